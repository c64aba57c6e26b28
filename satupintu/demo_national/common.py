"""What the parts share: the generation context (offices, services, calendars, the clock,
the random generator), tracking codes, names, and the default values of columns the
generator does not fill (so a field added later does not break the bulk insert)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection

from satupintu.demo_national.worktime import ArrayCalendar, calendars_for
from satupintu.services.tracking_codes import ALPHABET

DAY = 86400
YEAR_DAYS = 365
TZ_OFFSET = {"Asia/Jakarta": 7 * 3600, "Asia/Makassar": 8 * 3600, "Asia/Jayapura": 9 * 3600}
FIRST_NAMES = ("Ahmad", "Muhammad", "Siti", "Nur", "Andi", "Rina", "Budi", "Dewi", "Hendra", "Fitri", "Yohanes",
               "Made", "Ketut", "Agus", "Sri", "Rahmat", "Aisyah", "Fauzi", "Maria", "Ilham", "Wahyu", "Putri",
               "Abdul", "Dian", "Eka", "Yusuf", "Lestari", "Hasan", "Indah", "Rudi")
LAST_NAMES = ("Hidayat", "Lestari", "Siregar", "Wijaya", "Rahman", "Saputra", "Nasution", "Pratama", "Hakim",
              "Kurniawan", "Santoso", "Harahap", "Syahputra", "Wulandari", "Setiawan", "Halim", "Pangaribuan",
              "Daeng", "Mahmud", "Susanti", "Sulistyo", "Tanjung", "Lubis", "Gunawan", "Ramadhan")


@dataclass
class Context:
    seed: int
    scale: float  # applications / 1,000,000: how much of the per-office extras (meetings, news) to make
    rng: np.random.Generator
    now: int  # epoch seconds
    start: int  # epoch seconds, a year before now
    offices: list  # type: ignore[type-arg]
    office_index: dict[int, int]
    calendars: list[ArrayCalendar]
    office_calendar: np.ndarray
    tz_offset: np.ndarray  # per office
    weight: np.ndarray
    late: np.ndarray
    progress: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def part_rng(self, part: str) -> np.random.Generator:
        """Each part its own stream (seed, part): what one part draws never shifts another."""
        return np.random.default_rng([self.seed, sum(part.encode())])

    def bar(self, total: int, desc: str):  # type: ignore[no-untyped-def]
        if not self.progress:
            return None
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit="row", unit_scale=True, dynamic_ncols=True)


def make_context(applications: int, seed: int, progress: bool, now_at: datetime | None = None) -> Context:
    from satupintu.demo_national.skew import office_skew
    from satupintu.organization.models import Office

    rng = np.random.default_rng(seed)
    now = int((now_at or datetime.now(UTC)).timestamp())
    start = now - YEAR_DAYS * DAY
    offices = list(Office.objects.order_by("code"))
    first = (datetime.fromtimestamp(start, UTC) - timedelta(days=10)).date()
    last = (datetime.fromtimestamp(now, UTC) + timedelta(days=800)).date()
    calendars, office_calendar = calendars_for(offices, first, last)
    skew = office_skew(rng, offices)
    return Context(
        seed=seed, scale=min(1.0, applications / 1_000_000), rng=rng, now=now, start=start, offices=offices,
        office_index={o.pk: i for i, o in enumerate(offices)}, calendars=calendars, office_calendar=office_calendar,
        tz_offset=np.array([TZ_OFFSET.get(o.timezone, 7 * 3600) for o in offices], dtype=np.int64),
        weight=skew.weight, late=skew.late, progress=progress,
    )


def tracking_codes(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    """n distinct valid codes (45 random bits + the Luhn mod-32 check character of
    services/tracking_codes.py), none of them in ``taken``."""
    out: list[str] = []
    seen = set(taken)
    need = n
    while need:
        body = rng.integers(0, 32, size=(need + 16, 9))
        # Luhn mod 32 over body + check placeholder, from the right: positions 1, 3, 5, 7, 9
        # (body[8], body[6], ... body[0]) are doubled, positions 2, 4, 6, 8 are not.
        doubled = body[:, [8, 6, 4, 2, 0]] * 2
        total = (doubled // 32 + doubled % 32).sum(axis=1) + body[:, [7, 5, 3, 1]].sum(axis=1)
        check = (-(total % 32)) % 32
        alphabet = np.array(list(ALPHABET))
        chars = alphabet[np.concatenate([body, check[:, None]], axis=1)]
        for row in chars:
            s = "".join(row)
            code = f"{s[:5]}-{s[5:]}"
            if code not in seen:
                seen.add(code)
                out.append(code)
                need -= 1
                if not need:
                    break
    return out


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    a = rng.integers(0, len(FIRST_NAMES), n)
    b = rng.integers(0, len(LAST_NAMES), n)
    return [f"{FIRST_NAMES[i]} {LAST_NAMES[j]}" for i, j in zip(a.tolist(), b.tolist(), strict=True)]


def defaults_for(model, given: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:  # type: ignore[no-untyped-def, type-arg]
    """Columns of ``model`` the generator does not write, with their default, ready for the database."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.column in given or f.primary_key:
            continue
        default = f.get_default()
        if default is None and not f.null:
            if f.get_internal_type() in ("DateTimeField",):
                default = datetime.now(UTC)
            elif f.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField", "URLField"):
                default = ""
        value = f.get_db_prep_save(default, connection)
        if hasattr(value, "dumps"):  # JSON adapter
            value = json.dumps(default)
        elif isinstance(default, (dict, list)):
            value = json.dumps(default)
        names.append(f.column)
        values.append(value)
    return tuple(names), tuple(values)


def jdump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
