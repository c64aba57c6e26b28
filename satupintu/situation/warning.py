"""Early warning (kewaspadaan dini): a conflict-potential index per regency and province, its
zone (hijau / kuning / merah), the explanation of every index, and an alert when a zone changes.

The ministry's own EWS scores regions from penyuluh reports alone; this index joins everything
Satu Pintu knows about a place. Signals (the window is the last SITUATION_WARNING_WINDOW_DAYS
days, 14 by default; a signal weighs half as much every SITUATION_WARNING_HALF_LIFE_DAYS days,
7 by default, so last week's clash counts more than an old one):

==================  ===============================================================  ========
kind                what                                                             points
==================  ===============================================================  ========
``news``            negative news items (feeds, web pages) on kerukunan or           3
                    radikalisme-intoleransi
``social``          the same from social-media exports (more of them, noisier)       1
``field_<urgency>`` verified field reports (satupintu.field) by urgency: low,        4 / 10 /
                    medium, high, critical; times a factor by category: tension,     20 / 40
                    worship, intolerance, deviant, hoax 1; other 0.5; disaster 0.25;
                    service 0 (a flood or a slow desk is not conflict potential)
``complaint``       public complaints in "Kerukunan umat beragama", not rejected     6
                    (aspirations ask for dialogue; they are no warning)
``spike``           open spike alerts (trends.py) on those topics                    15
==================  ===============================================================  ========

Items that came from a complaint or a field report are not counted twice. A signal is placed
in its regency; one that names only a province is the province's own.

A regency's index is the sum of its signals' points, at most 100. A province's is its own
signals plus ``province_max`` (0.7) times its highest regency plus ``province_mean`` (0.3) times
the mean of all its regencies, at most 100: one kuning regency does not colour a province, a
merah one or several kuning ones do. When the points pass 100 each is scaled by the same
factor, so the contributions listed always add up to the index.

Zones: hijau below the first number of SITUATION_WARNING_THRESHOLDS ("25,60"), kuning from it,
merah from the second. 25 is about one fresh verified high-urgency report with a little
coverage, or eight fresh negative news items; 60 a critical report with a spike, or a clash in
every feed. Weights: SITUATION_WARNING_WEIGHTS, a JSON object merged over DEFAULT_WEIGHTS
(e.g. ``{"news": 4, "field_urgency": {"critical": 50}}``); an unknown key or a negative number
stops the computation with ConfigError rather than silently scoring something else.

`compute` runs on schedule (CELERY_BEAT_SCHEDULE "situation-warning", every
SITUATION_WARNING_EVERY_MINUTES, 30). It reads every signal of the country in one query per
kind (no query per region), stores the latest index per region (RegionWarning), a history row
when the zone changed or the index moved by HISTORY_STEP, and for each zone change an Alert
(kind "zone") e-mailed through the outbox to the head of the Kankemenag and the head of the
Kanwil (by duty, whatever their subscriptions) and to every matching alert subscription.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from satupintu.core.db_locks import take_turn
from satupintu.core.env import ConfigError
from satupintu.core.links import is_web_link
from satupintu.core.numbers import decimal
from satupintu.core.privacy import mask_free_text
from satupintu.core.texts import clipped
from satupintu.organization import reference
from satupintu.situation.models import (
    WARNING_TOPICS,
    Alert,
    AlertKind,
    AlertStatus,
    Item,
    RegionWarning,
    RegionWarningHistory,
    SourceKind,
    WarningLevel,
    Zone,
    topic_bit,
)

DEFAULT_WEIGHTS: dict[str, Any] = {
    "news": 3.0,
    "social": 1.0,
    "complaint": 6.0,
    "spike": 15.0,
    "field_urgency": {"low": 4.0, "medium": 10.0, "high": 20.0, "critical": 40.0},
    "field_category": {"tension": 1.0, "worship": 1.0, "intolerance": 1.0, "deviant": 1.0, "hoax": 1.0,
                       "other": 0.5, "disaster": 0.25, "service": 0.0},
    "province_max": 0.7,
    "province_mean": 0.3,
}
MAX_INDEX = 100.0
MAX_LINKS = 5  # per signal: the newest
HISTORY_STEP = 1.0  # index points; smaller moves (mostly decay) write no history row
URGENCIES = ("critical", "high", "medium", "low")

SIGNAL_LABELS = {
    "news": _("Berita negatif (kerukunan, intoleransi, radikalisme)"),
    "social": _("Unggahan media sosial negatif"),
    "field_critical": _("Laporan lapangan terverifikasi, darurat"),
    "field_high": _("Laporan lapangan terverifikasi, tinggi"),
    "field_medium": _("Laporan lapangan terverifikasi, sedang"),
    "field_low": _("Laporan lapangan terverifikasi, rendah"),
    "complaint": _("Pengaduan kerukunan umat beragama"),
    "spike": _("Lonjakan terbuka"),
    "regency_max": _("Kabupaten/kota tertinggi"),
    "regency_mean": _("Rata-rata semua kabupaten/kota"),
}
NO_SIGNALS = _("Tidak ada sinyal dalam %(days)s hari terakhir.")


# --- configuration -------------------------------------------------------------------------------

@dataclass(frozen=True)
class WarningConfig:
    weights: dict[str, Any]
    kuning: float
    merah: float
    window_days: int
    half_life_days: float

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ConfigError(f"SITUATION_WARNING_WEIGHTS: {name} must be a number of at least 0, got {value!r}")
    return float(value)


def _weights(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError("SITUATION_WARNING_WEIGHTS must be a JSON object")
    weights: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in DEFAULT_WEIGHTS.items()}
    for key, value in raw.items():
        if key not in DEFAULT_WEIGHTS:
            raise ConfigError(f"SITUATION_WARNING_WEIGHTS: unknown key {key!r} (known: {', '.join(DEFAULT_WEIGHTS)})")
        if isinstance(DEFAULT_WEIGHTS[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"SITUATION_WARNING_WEIGHTS: {key} must be an object")
            for sub, number in value.items():
                if sub not in DEFAULT_WEIGHTS[key]:
                    raise ConfigError(f"SITUATION_WARNING_WEIGHTS: unknown {key} {sub!r}")
                weights[key][sub] = _number(f"{key}.{sub}", number)
        else:
            weights[key] = _number(key, value)
    return weights


def _thresholds(raw: object) -> tuple[float, float]:
    parts = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
    try:
        kuning, merah = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise ConfigError(f"SITUATION_WARNING_THRESHOLDS must be two numbers 'kuning,merah', got {raw!r}") from None
    if not 0 < kuning < merah <= MAX_INDEX:
        raise ConfigError(f"SITUATION_WARNING_THRESHOLDS: need 0 < kuning < merah <= 100, got {raw!r}")
    return kuning, merah


def warning_config() -> WarningConfig:
    """The weights, thresholds and window from settings, checked."""
    kuning, merah = _thresholds(getattr(settings, "SITUATION_WARNING_THRESHOLDS", "25,60"))
    window = int(getattr(settings, "SITUATION_WARNING_WINDOW_DAYS", 14))
    half_life = float(getattr(settings, "SITUATION_WARNING_HALF_LIFE_DAYS", 7))
    if window < 1 or not half_life > 0:
        raise ConfigError("SITUATION_WARNING_WINDOW_DAYS must be at least 1 and the half-life above 0")
    return WarningConfig(_weights(getattr(settings, "SITUATION_WARNING_WEIGHTS", {}) or {}), kuning, merah, window,
                         half_life)


def zone_for(index: float, cfg: WarningConfig) -> str:
    if index >= cfg.merah:
        return Zone.MERAH
    if index >= cfg.kuning:
        return Zone.KUNING
    return Zone.HIJAU


def decay(age: timedelta, half_life_days: float) -> float:
    """1 for a signal of now, 1/2 after one half-life, 1/4 after two."""
    return 0.5 ** (max(age.total_seconds(), 0.0) / 86400 / half_life_days)


# --- reading the signals ---------------------------------------------------------------------------

@dataclass
class _Tally:
    count: int = 0
    points: float = 0.0
    weight: float = 0.0
    refs: list[tuple[datetime, str, Any]] = field(default_factory=list)  # (when, what, id)


@dataclass
class Reading:
    """One region's index: what `compute` stores and the CLI prints."""

    level: str
    code: str
    index: float
    zone: str
    signals: list[dict[str, Any]]
    capped: bool = False

    @property
    def name(self) -> str:
        return reference.region_name(self.code)


Signals = dict[str, dict[str, _Tally]]  # region code -> kind -> tally


def _place(names: dict[str, str], province: str, regency: str) -> str:
    """The region a signal counts for: its regency, else its province (its own signal), else none."""
    if regency and regency in names:
        return regency
    if province and province in names:
        return province
    return ""


def _add(signals: Signals, code: str, kind: str, weight: float, points: float, when: datetime, ref: Any) -> None:
    tally = signals[code][kind]
    tally.count += 1
    tally.points += points
    tally.weight = weight
    tally.refs.append((when, kind.split("_")[0] if kind.startswith("field_") else kind, ref))


def collect(now: datetime, cfg: WarningConfig) -> Signals:
    """Every signal of the country in the window, tallied per region and kind (one query per kind)."""
    from satupintu.feedback.models import Report, ReportCategory, ReportKind, ReportStatus
    from satupintu.field.models import FieldReport
    from satupintu.field.models import ReportStatus as FieldStatus

    since, w = now - cfg.window, cfg.weights
    names = reference.region_names()
    signals: Signals = defaultdict(lambda: defaultdict(_Tally))

    def fresh(when: datetime) -> float:
        return decay(now - when, cfg.half_life_days)

    mask = sum(topic_bit(t) for t in WARNING_TOPICS)
    items = (Item.objects.filter(published_at__gt=since, published_at__lte=now, duplicate_of__isnull=True,
                                 sentiment="negative", field_report__isnull=True)
             # complaints and field reports count below, from their own tables
             .exclude(source__kind__in=[SourceKind.INTERNAL, SourceKind.FIELD])
             .annotate(_w=F("topics_mask").bitand(mask)).exclude(_w=0)
             .values_list("id", "province_code", "regency_code", "published_at", "source__kind"))
    for pk, province, regency, when, source_kind in items:
        if code := _place(names, province, regency):
            kind = "social" if source_kind == SourceKind.SOCIAL else "news"
            _add(signals, code, kind, w[kind], w[kind] * fresh(when), when, pk)

    # Only what the regency's own Kankemenag verified moves its index: another office's word about
    # a region it does not answer for is not a signal there (field.access.reporting_office).
    reports = (FieldReport.objects.filter(status=FieldStatus.VERIFIED, verified_at__lte=now, occurred_at__gt=since,
                                          occurred_at__lte=now, office__code=F("regency_code"))
               .values_list("id", "province_code", "regency_code", "occurred_at", "urgency", "category"))
    for pk, province, regency, when, urgency, category in reports:
        if (code := _place(names, province, regency)) and urgency in w["field_urgency"]:
            points = w["field_urgency"][urgency] * w["field_category"].get(category, w["field_category"]["other"])
            _add(signals, code, f"field_{urgency}", w["field_urgency"][urgency], points * fresh(when), when, pk)

    complaints = (Report.objects.filter(kind=ReportKind.COMPLAINT, category=ReportCategory.RELIGIOUS_HARMONY,
                                        confidential=False, submitted_at__gt=since, submitted_at__lte=now)
                  .exclude(status=ReportStatus.REJECTED)
                  .values_list("pk", "title", "office__code", "submitted_at"))
    for pk, title, office_code, when in complaints:
        if code := _place(names, office_code[:2], office_code if "." in office_code else ""):
            _add(signals, code, "complaint", w["complaint"], w["complaint"] * fresh(when), when, (pk, title))

    alerts = (Alert.objects.filter(kind__in=[AlertKind.VOLUME, AlertKind.NEGATIVE, AlertKind.ISSUE],
                                   topic__in=WARNING_TOPICS, created_at__gt=since, created_at__lte=now)
              .exclude(status=AlertStatus.RESOLVED)
              .values_list("id", "province_code", "regency_code", "created_at", "summary"))
    for pk, province, regency, when, summary in alerts:
        if code := _place(names, province, regency):
            _add(signals, code, "spike", w["spike"], w["spike"] * fresh(when), when, (pk, summary))
    return signals


def _link(label: str, url: str, index: float | None = None) -> dict[str, Any]:
    """A signal's link; a regency's ``index`` is kept as a number, written in the reader's language
    where it is shown (``link_text``)."""
    return {"label": clipped(label, 140), "url": url} | ({"index": round(index, 1)} if index is not None else {})


def link_text(link: dict[str, Any]) -> str:
    label = str(link["label"])
    # A complaint's or a field report's label starts with what it is, stored in Indonesian; the
    # reader gets that word in their language ("kind": the category code, or "complaint").
    kind, head = link.get("kind"), link.get("head")
    if kind and head is not None:
        if kind == "complaint":
            label = f"{_('Pengaduan')}: {head}"
        else:
            from satupintu.field.models import Category

            label = f"{dict(Category.choices).get(kind, kind)}: {head}"
    return f"{label} ({decimal(link['index'])})" if link.get("index") is not None else label


def _field_report_url(pk: int) -> str:
    return reverse("field_detail", args=[pk])  # the verification page checks who may open it


def _links(signals: Signals) -> dict[tuple[str, str], list[dict[str, str]]]:
    """(region, kind) -> links to the newest signals; titles in one query per table."""
    from satupintu.field.models import Category, FieldReport

    chosen: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    wanted: dict[str, set[Any]] = defaultdict(set)
    for code, kinds in signals.items():
        for kind, tally in kinds.items():
            refs = [(what, ref) for _, what, ref in sorted(tally.refs, key=lambda r: r[0], reverse=True)[:MAX_LINKS]]
            chosen[(code, kind)] = refs
            for what, ref in refs:
                wanted[what].add(ref)
    item_ids = wanted["news"] | wanted["social"]
    items = {row["id"]: row for row in Item.objects.filter(pk__in=item_ids)
             .annotate(head=Substr("text", 1, 141)).values("id", "title", "head", "url", "issue_id")} if item_ids else {}
    # What reporters and citizens wrote, masked like every text that reaches the room: the labels are
    # stored with the index, shown to all staff and mailed with zone alerts. Masked whole, then cut
    # (a number cut in two would no longer be recognised).
    reports: dict[int, dict[str, str]] = {
        pk: {"category": category, "head": clipped(mask_free_text(description), 100)}
        for pk, category, description in FieldReport.objects.filter(pk__in=wanted["field"])
        .values_list("id", "category", "description")} if wanted["field"] else {}
    with translation.override("id"):  # stored with the index: the room's language, whoever runs it
        categories = {k: str(v) for k, v in Category.choices}
        complaint_word = str(_("Pengaduan"))
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for key, refs in chosen.items():
        links = []
        for what, ref in refs:
            if what in ("news", "social") and (row := items.get(ref)):
                url = f"/situasi/isu/{row['issue_id']}/" if row["issue_id"] else (
                    row["url"] if is_web_link(row["url"]) else "")
                links.append(_link(row["title"] or row["head"], url))
            elif what == "field" and (row := reports.get(ref)):
                links.append(_link(f"{categories.get(row['category'], row['category'])}: {row['head']}",
                                   _field_report_url(ref)) | {"kind": row["category"], "head": row["head"]})
            elif what == "complaint":
                # Never the tracking code: it opens the complaint's public page and lets whoever
                # holds it act as the complainant, and these labels reach every staff reader and
                # their alert e-mails. The page links it for readers who may open it (complaint_links).
                head = mask_free_text(ref[1])
                links.append(_link(f"{complaint_word}: {head}", "") | {"report": ref[0], "kind": "complaint",
                                                                        "head": clipped(head, 140)})
            elif what == "spike":
                links.append(_link(ref[1], reverse("situation_alert", args=[ref[0]])))
        out[key] = links
    return out


def _reading(level: str, code: str, entries: list[tuple[str, int, float, float, list[dict[str, str]]]],
             cfg: WarningConfig) -> Reading:
    """Sum the points (at most 100) into an index whose listed contributions add up to it.
    ``entries``: (kind, count, weight, points, links)."""
    entries = [e for e in entries if e[1]]
    raw = sum(points for _, _, _, points, _ in entries)
    scale = MAX_INDEX / raw if raw > MAX_INDEX else 1.0
    index = round(min(raw, MAX_INDEX), 1)
    # Contributions in tenths by largest remainder: each is its share rounded down, and the
    # tenths left go to the largest fractions, so the listed contributions add up to the index.
    exact = [points * scale * 10 for _, _, _, points, _ in entries]
    tenths = [math.floor(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - tenths[i], reverse=True)[:max(
            round(index * 10) - sum(tenths), 0)]:
        tenths[i] += 1
    signals: list[dict[str, Any]] = [
        {"kind": kind, "count": count, "weight": round(weight, 3), "points": round(points, 2),
         "contribution": t / 10, "links": links}
        for (kind, count, weight, points, links), t in zip(entries, tenths, strict=True)]
    signals.sort(key=lambda s: (-s["contribution"], s["kind"]))
    return Reading(level, code, index, zone_for(index, cfg), signals, capped=raw > MAX_INDEX)


def read_all(now: datetime | None = None, cfg: WarningConfig | None = None) -> dict[str, Reading]:
    """Every regency's and province's index at ``now`` (nothing stored)."""
    now = now or timezone.now()
    cfg = cfg or warning_config()
    signals = collect(now, cfg)
    links = _links(signals)

    def own(code: str) -> list[tuple[str, int, float, float, list[dict[str, str]]]]:
        return [(kind, t.count, t.weight, t.points, links.get((code, kind), []))
                for kind, t in signals.get(code, {}).items()]

    readings: dict[str, Reading] = {}
    by_province: dict[str, list[Reading]] = defaultdict(list)
    for r in reference.regencies():
        reading = _reading(WarningLevel.REGENCY, r["code"], own(r["code"]), cfg)
        readings[r["code"]] = reading
        by_province[r["province_code"]].append(reading)
    w = cfg.weights
    for p in reference.provinces():
        regencies = sorted(by_province.get(p["code"], []), key=lambda x: (-x.index, x.code))
        entries = own(p["code"])
        if regencies and regencies[0].index > 0:
            top = regencies[0]
            entries.append(("regency_max", 1, w["province_max"], w["province_max"] * top.index,
                            [_link(top.name, reverse("situation_warning_region", args=[top.code]), top.index)]))
            with_signals = [x for x in regencies if x.index > 0]
            mean = sum(x.index for x in regencies) / len(regencies)
            entries.append(("regency_mean", len(with_signals), w["province_mean"], w["province_mean"] * mean,
                            [_link(x.name, reverse("situation_warning_region", args=[x.code]), x.index)
                             for x in with_signals[:MAX_LINKS]]))
        readings[p["code"]] = _reading(WarningLevel.PROVINCE, p["code"], entries, cfg)
    return readings


# --- storing, history and alerts -----------------------------------------------------------------

@dataclass(frozen=True)
class ZoneChange:
    code: str
    previous: str
    zone: str
    index: float
    alert: Alert


@dataclass
class ComputeResult:
    readings: dict[str, Reading]
    changes: list[ZoneChange]
    history_rows: int


def compute(now: datetime | None = None) -> ComputeResult:
    """Compute every region's index, store it, record history, raise and send zone-change alerts."""
    from satupintu.situation.warning_alerts import raise_zone_alerts

    now = now or timezone.now()
    cfg = warning_config()
    readings = read_all(now, cfg)
    with transaction.atomic():
        # Two runs at once (a slow run overtaken by the next, a manual run beside the schedule) write
        # in turn: the second reads the rows the first created (it would create them again and fail
        # on the unique code) and raises no alert the first raised already.
        take_turn("situation.warning.compute")
        if RegionWarning.objects.filter(computed_at__gt=now).exists():
            # A run that read later has written already: this older reading would put the zones back
            # and raise alerts for a change that did not happen.
            return ComputeResult(readings, [], 0)
        existing = {w.code: w for w in RegionWarning.objects.select_for_update()}
        new, changed, history, zone_changes = [], [], [], []
        for code, r in readings.items():
            row = existing.get(code)
            if row is None:
                row = RegionWarning(level=r.level, code=code, province_code=code[:2], zone_since=now, computed_at=now)
                new.append(row)
            elif (row.index, row.zone, row.signals, row.capped) != (r.index, r.zone, r.signals, r.capped):
                changed.append(row)
            previous_zone, previous_index = row.zone, row.index
            row.index, row.zone, row.signals, row.capped, row.computed_at = r.index, r.zone, r.signals, r.capped, now
            moved = abs(r.index - row.recorded_index) >= HISTORY_STEP or ((r.index == 0) != (row.recorded_index == 0))
            if r.zone != previous_zone:
                row.zone_since = now
                zone_changes.append((r, previous_zone, previous_index))
            if r.zone != previous_zone or moved:
                row.recorded_index = r.index
                history.append(RegionWarningHistory(level=r.level, code=code, index=r.index, zone=r.zone,
                                                    previous_zone=previous_zone, signals=r.signals, computed_at=now))
        RegionWarning.objects.bulk_create(new, batch_size=500)
        RegionWarning.objects.bulk_update(changed, ["index", "zone", "signals", "capped", "zone_since",
                                                    "recorded_index"], batch_size=200)
        RegionWarning.objects.update(computed_at=now)
        alerts = raise_zone_alerts(zone_changes, now, cfg)
        for h in history:
            h.alert = alerts.get(h.code) if h.zone != h.previous_zone else None
        RegionWarningHistory.objects.bulk_create(history, batch_size=500)
    changes = [ZoneChange(r.code, prev, r.zone, r.index, alerts[r.code]) for r, prev, _ in zone_changes]
    return ComputeResult(readings, changes, len(history))


# --- reading what is stored (pages, CLI) -------------------------------------------------------------

def signal_label(kind: str) -> str:
    return str(SIGNAL_LABELS.get(kind, kind))


def no_signals_text(cfg: WarningConfig | None = None) -> str:
    return str(NO_SIGNALS) % {"days": (cfg or warning_config()).window_days}


def complaint_links(user: Any, signals: list[dict[str, Any]]) -> dict[int, str]:
    """Complaint id -> its desk page, for the complaints among ``signals``' links this reader may
    open (the stored link carries the id only)."""
    from satupintu.feedback.reports import visible_reports

    ids = {link["report"] for s in signals for link in s["links"] if isinstance(link.get("report"), int)}
    if not ids:
        return {}
    return {pk: reverse("report_detail", args=[code])
            for pk, code in visible_reports(user).filter(pk__in=ids).values_list("pk", "tracking_code")}


def link_href(url: str) -> str:
    """A stored signal link as an href: our own pages ("/situasi/...") or an http(s) article."""
    if url.startswith("/") and not url.startswith("//"):
        return url
    return url if is_web_link(url) else ""


def stored(province: str = "") -> list[RegionWarning]:
    """The stored indices, highest first: a province and its regencies, or the whole country."""
    qs = RegionWarning.objects.all()
    if province:
        qs = qs.filter(province_code=province)
    return list(qs.order_by("-index", "code"))


def as_json(row: RegionWarning | Reading) -> dict[str, Any]:
    """The CLI's contract: code, name, index, zone, signals (each with its label)."""
    return {"code": row.code, "name": reference.region_name(row.code), "index": row.index, "zone": row.zone,
            "signals": [{"kind": s["kind"], "label": signal_label(s["kind"]), "count": s["count"],
                         "weight": s["weight"], "contribution": s["contribution"], "links": s["links"]}
                        for s in row.signals]}
