"""Reads for the scorecards: a period (a month or a year), every office's row with its score and
ranks (per Kanwil and national), the award categories, and one office's month in detail.

Rows come from the pre-aggregate (MonthlyFigure; a year sums its months in the database) and
the targets; the score is computed here (score.py) because targets change any day. Every
scorecard ranks all Kanwil and Kankemenag offices (553 rows) and then keeps the scope asked
for, so a Kanwil page shows both ranks from the same numbers.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from satupintu.core import numbers
from satupintu.core.errors import DomainError
from satupintu.humas import score as scoring
from satupintu.humas.figures import next_month
from satupintu.humas.models import MonthlyFigure, Target
from satupintu.humas.targets import weeks_in
from satupintu.organization.models import Level, Office
from satupintu.organization.working_calendar import office_today

SUMMED = ("stories", "original", "repeats", "priority_stories", "social_posts", "social_views", "social_reach",
          "social_engagement", "coverage_positive", "coverage_neutral", "coverage_negative", "wa_answered",
          "wa_within_target", "wa_unanswered")
WA_AWARD_MIN_ANSWERED = 5
AWARD_PLACES = 3
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None  # None: the whole year

    @property
    def months(self) -> list[date]:
        if self.month is not None:
            return [date(self.year, self.month, 1)]
        today = timezone.localdate()
        last = today.month if self.year == today.year else 12
        return [date(self.year, m, 1) for m in range(1, last + 1)] if self.year <= today.year else []

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def shown(self) -> str:
        """For people: "November 2026" ("2026-11" is the address's), in the page's language."""
        from django.utils.formats import date_format

        return date_format(date(self.year, self.month, 1), "F Y") if self.month else str(self.year)

    @property
    def weeks(self) -> float:
        """Weeks in the whole period (its months so far, each counted whole)."""
        return sum(weeks_in(m) for m in self.months)

    def _days_until(self, first_day: date, today: date) -> int:
        """The month's days counted on ``today``: all of a past month, the days so far of the running one."""
        if (first_day.year, first_day.month) == (today.year, today.month):
            return today.day
        return 0 if first_day > today else calendar.monthrange(first_day.year, first_day.month)[1]

    def weeks_until(self, today: date) -> float:
        """The weeks a weekly target is measured over on ``today`` (the office's local date): a past
        period whole, the running month only up to today (score.py's docstring)."""
        return sum(self._days_until(m, today) for m in self.months) / 7

    def months_until(self, today: date) -> float:
        """Like weeks_until, in months: the running month counts its share of days so far."""
        return sum(self._days_until(m, today) / calendar.monthrange(m.year, m.month)[1] for m in self.months)

    @property
    def query(self) -> str:
        """The period as the pages' query string (``bulan=2026-11`` or ``tahun=2026``)."""
        return f"bulan={self.label}" if self.month else f"tahun={self.year}"

    @property
    def month_label(self) -> str:
        """The month a link to one office's page opens: this one, or the year's last counted."""
        months = self.months
        return f"{months[-1]:%Y-%m}" if months else f"{self.year}-12"


def parse_month(text: str | None, *, today: date | None = None) -> Period:
    """``YYYY-MM`` (empty: the month of ``today``, by default the server's current month)."""
    if not text:
        today = today or timezone.localdate()
        return Period(today.year, today.month)
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
        raise DomainError("humas_bad_month", "Bulan harus berbentuk TTTT-BB, misalnya 2026-11.", field="bulan",
                          params=None)
    return Period(int(m.group(1)), int(m.group(2)))


def parse_year(text: str | None, *, today: date | None = None) -> Period:
    """``YYYY`` (empty: the year of ``today``, by default the server's): every month of it so far, summed."""
    try:
        year = int(text or (today or timezone.localdate()).year)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise DomainError("humas_bad_year", "Tahun harus empat angka, misalnya 2026.", field="tahun")
    return Period(year)


def parse_period(bulan: str | None, tahun: str | None, choice: str | None = None, *,
                 today: date | None = None) -> Period:
    """What the ranking's form asks for: ``choice`` ("bulan"/"tahun", the form's radio) picks
    the field that counts; without it a ``tahun`` given means the year, else the month. ``today``:
    what an empty field means (the ranked offices' local date)."""
    if choice == "tahun" or (choice != "bulan" and tahun):
        return parse_year(tahun, today=today)
    return parse_month(bulan, today=today)


@dataclass
class Row:
    office_id: int
    code: str
    name: str
    short_name: str
    level: str
    kanwil_code: str
    figures: scoring.Figures
    stories_per_week: int | None
    stories_target: float | None
    posts_target: float
    parts: dict[str, float | None]
    score: float
    rank_kanwil: int = 0
    rank_national: int = 0
    wa_median_seconds: int | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def progress_percent(self) -> int | None:
        return None if not self.stories_target else numbers.percent(self.figures.stories, self.stories_target)

    def as_json(self) -> dict[str, object]:
        f = self.figures
        return {
            "office": self.code, "name": self.name, "level": self.level, "kanwil": self.kanwil_code,
            "stories": f.stories, "original": f.original, "repeats": f.repeats, "priority_stories": f.priority_stories,
            "target": round(self.stories_target, 1) if self.stories_target is not None else None,
            "target_per_week": self.stories_per_week, "progress_percent": self.progress_percent,
            "social_posts": f.social_posts, "social_views": f.social_views, "social_reach": f.social_reach,
            "social_engagement": f.social_engagement,
            "coverage": {"positive": f.coverage_positive, "neutral": f.coverage_neutral,
                         "negative": f.coverage_negative},
            "whatsapp": {"answered": f.wa_answered, "within_target": f.wa_within_target,
                         "unanswered": f.wa_unanswered},
            "score": self.score, "rank_kanwil": self.rank_kanwil, "rank": self.rank_national,
        }


def _ranked_offices() -> list[Office]:
    return list(Office.objects.filter(level__in=[Level.KANWIL, Level.KANKEMENAG], merged_into__isnull=True)
                .select_related("parent").only("pk", "code", "name", "region_name", "level", "timezone", "parent__code"))


def _summed(period: Period) -> dict[int, dict[str, int]]:
    qs = MonthlyFigure.objects.filter(month__in=period.months)
    if period.month is not None:
        return {r["office_id"]: r for r in qs.values("office_id", "wa_median_seconds", *SUMMED)}
    return {r["office_id"]: r for r in qs.values("office_id").annotate(**{k: Sum(k) for k in SUMMED}).order_by()}


def scorecard(period: Period, *, kanwil: Office | None = None, office: Office | None = None) -> list[Row]:
    """Every ranked office's row for the period, ranked; ``kanwil``/``office`` keep that scope."""
    figures = _summed(period)
    targets = {t[0]: t[1:] for t in Target.objects.filter(year=period.year).values_list(
        "office_id", "stories_per_week", "social_posts_per_month")}
    rows: list[Row] = []
    for o in _ranked_offices():
        raw = figures.get(o.pk, {})
        f = scoring.Figures(**{k: int(raw.get(k) or 0) for k in SUMMED})
        per_week, per_month = targets.get(o.pk, (None, None))
        today = office_today(o)  # the running month counts its days so far, in the office's own timezone
        weeks, months = period.weeks_until(today), period.months_until(today)
        stories_target = per_week * weeks if per_week and weeks else None
        posts_target = (per_month or scoring.SOCIAL_POSTS_DEFAULT_PER_MONTH) * months
        values = scoring.parts(f, stories_target=stories_target, posts_target=posts_target)
        kanwil_code = o.code if o.level == Level.KANWIL else (o.parent.code if o.parent else "")
        rows.append(Row(o.pk, o.code, o.name, o.short_name, o.level, kanwil_code, f, per_week, stories_target,
                        posts_target, values, scoring.score(values),
                        wa_median_seconds=raw.get("wa_median_seconds") if period.month else None))
    rows.sort(key=lambda r: (-r.score, -r.figures.stories, r.code))
    per_kanwil: dict[str, int] = {}
    for i, r in enumerate(rows, 1):
        r.rank_national = i
        per_kanwil[r.kanwil_code] = per_kanwil.get(r.kanwil_code, 0) + 1
        r.rank_kanwil = per_kanwil[r.kanwil_code]
    if office is not None:
        return [r for r in rows if r.office_id == office.pk]
    if kanwil is not None:
        return [r for r in rows if r.kanwil_code == kanwil.code]
    return rows


@dataclass
class Awards:
    website: list[Row]
    social: list[Row]
    whatsapp: list[Row]


def awards(rows: list[Row]) -> Awards:
    """The three award categories, best first (ties: the better score)."""
    website = sorted((r for r in rows if r.figures.original), key=lambda r: (-r.figures.original, -r.score, r.code))
    social = sorted((r for r in rows if r.figures.social_engagement),
                    key=lambda r: (-r.figures.social_engagement, -r.figures.social_posts, r.code))
    wa = sorted((r for r in rows if r.figures.wa_handled >= WA_AWARD_MIN_ANSWERED),
                key=lambda r: (-r.figures.wa_within_target / r.figures.wa_handled, -r.figures.wa_answered, r.code))
    return Awards(website[:AWARD_PLACES], social[:AWARD_PLACES], wa[:AWARD_PLACES])


def programme_counts(office: Office, period: Period) -> dict[str, int]:
    out: dict[str, int] = {}
    for programmes in MonthlyFigure.objects.filter(office=office, month__in=period.months).values_list(
            "programmes", flat=True):
        for code, n in (programmes or {}).items():
            out[code] = out.get(code, 0) + int(n)
    return out


def month_after(period: Period) -> date:
    return next_month(date(period.year, period.month or 12, 1))
