"""What a breakthrough did to the figures the product already keeps: each indicator before and after.

Windows (office-local dates, both ends included):

- before: the ``WINDOW_DAYS`` (90) days up to the day before ``started_on``;
- after: from ``started_on`` to today, at most the last ``WINDOW_DAYS`` days (a breakthrough of last
  year is judged on how the service runs now, not on its first weeks).

A figure needs ``MIN_N`` rows in its window (fewer is noise: one late application would move the
on-time rate by 50 points). With fewer, the figure is None and ``message`` says what is missing, in
words an officer can act on; never an exception and never a made-up 0.

The figures come from where the product keeps them:

- on-time rate: the SLA clock (services/sla.py) of applications decided in the window (completed or
  rejected; a withdrawal is the citizen's). A stopped clock is on time when it used no more than its
  budget, i.e. ``sla_remaining_seconds`` >= 0;
- IKM: ``feedback.selectors.ikm_of_office`` over the window, narrowed to the unit / service;
- complaint handling time: the SLA clock of complaints answered in the window (``report_act``
  stops it at the answer), so it is the median of working hours of the office, pauses excluded;
  integrity reports are the inspectorate's, not the unit's, and are left out;
- online share: applications submitted in the window that the citizen sent (web, WhatsApp, API),
  against those a desk officer typed in for them (assisted mode, ``Application.assisted_by``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.core.bilingual import local_text
from satupintu.feedback.models import Report, ReportKind
from satupintu.feedback.selectors import Period, ikm_of_office
from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import office_today
from satupintu.reform.models import Breakthrough, BreakthroughIndicator, IndicatorKind
from satupintu.services.models import Application, Service, Status

WINDOW_DAYS = 90
MIN_N = {
    IndicatorKind.ON_TIME_RATE: 5,
    IndicatorKind.IKM: 10,
    IndicatorKind.COMPLAINT_HOURS: 3,
    IndicatorKind.ONLINE_SHARE: 5,
}
UNITS = {IndicatorKind.ON_TIME_RATE: "%", IndicatorKind.IKM: "IKM", IndicatorKind.COMPLAINT_HOURS: "jam",
         IndicatorKind.ONLINE_SHARE: "%"}
# Shorter handling time is the good direction; every other figure should rise.
LOWER_IS_BETTER = {IndicatorKind.COMPLAINT_HOURS}


@dataclass(frozen=True)
class IndicatorEffect:
    kind: str
    label: str
    unit: str  # "%", "jam", "IKM"
    before: float | None
    after: float | None
    before_n: int
    after_n: int
    message: str  # '' or why there is no figure
    better: bool | None  # True when the change is in the good direction; None without both figures


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # included


@dataclass(frozen=True)
class Figure:
    value: float | None  # None when there are no rows at all
    n: int
    part: int = 0  # of a share: the rows counted in it (on time, online)


def _share(part: int, n: int) -> Figure:
    return Figure(round(100 * part / n, 1) if n else None, n, part)


def windows(started_on: date, today: date) -> tuple[Window, Window]:
    before = Window(started_on - timedelta(days=WINDOW_DAYS), started_on - timedelta(days=1))
    after = Window(max(started_on, today - timedelta(days=WINDOW_DAYS - 1)), today)
    return before, after


def _bounds(office: Office, window: Window) -> tuple[datetime, datetime]:
    """The window as instants: from midnight of its first day to midnight after its last, office time."""
    tz = ZoneInfo(office.timezone)
    return (datetime.combine(window.start, time(0), tzinfo=tz),
            datetime.combine(window.end + timedelta(days=1), time(0), tzinfo=tz))


def _applications(office: Office, unit: Unit | None, service: Service | None) -> QuerySet[Application]:
    qs = Application.objects.filter(office=office)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if service is not None:
        qs = qs.filter(service=service)
    return qs


def _decided(office: Office, window: Window, unit: Unit | None = None,
             service: Service | None = None) -> QuerySet[Application]:
    start, end = _bounds(office, window)
    return (_applications(office, unit, service)
            .filter(status__in=[Status.COMPLETED, Status.REJECTED], closed_at__gte=start, closed_at__lt=end))


ON_TIME = Count("pk", filter=Q(sla_used_seconds__lte=F("sla_budget_seconds")))


def on_time_rate(office: Office, window: Window, *, unit: Unit | None = None,
                 service: Service | None = None) -> Figure:
    totals = _decided(office, window, unit, service).aggregate(n=Count("pk"), on_time=ON_TIME)
    return _share(totals["on_time"], totals["n"])


def on_time_by_unit(office: Office, window: Window) -> list[tuple[str, Figure]]:
    """``on_time_rate`` of each unit that decided applications in the window (one query), by unit name
    in the language being served (its English name on English pages and packs)."""
    rows = (_decided(office, window).values("unit__name", "unit__name_en").annotate(n=Count("pk"), on_time=ON_TIME)
            .order_by("unit__name"))
    return [(local_text(r["unit__name"], r["unit__name_en"] or ""), _share(r["on_time"], r["n"])) for r in rows]


def online_share(office: Office, window: Window, *, unit: Unit | None = None,
                 service: Service | None = None) -> Figure:
    start, end = _bounds(office, window)
    totals = (_applications(office, unit, service).filter(submitted_at__gte=start, submitted_at__lt=end)
              .aggregate(n=Count("pk"), online=Count("pk", filter=Q(assisted_by__isnull=True))))
    return _share(totals["online"], totals["n"])


def ikm(office: Office, window: Window, *, unit: Unit | None = None, service: Service | None = None) -> Figure:
    result = ikm_of_office(office, Period(window.start, window.end), unit=unit.code if unit else "",
                           service=service.slug if service else "")
    return Figure(float(result.ikm) if result.ikm is not None else None, result.respondents)


def complaint_hours(office: Office, window: Window, *, unit: Unit | None = None,
                    service: Service | None = None) -> Figure:
    start, end = _bounds(office, window)
    qs = Report.objects.filter(office=office, kind=ReportKind.COMPLAINT, integrity=False,
                               answered_at__gte=start, answered_at__lt=end, sla_running_since__isnull=True)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if service is not None:
        qs = qs.filter(application__service=service)
    used = list(qs.values_list("sla_used_seconds", flat=True))
    return Figure(round(median(used) / 3600, 1) if used else None, len(used))


FIGURES = {
    IndicatorKind.ON_TIME_RATE: on_time_rate,
    IndicatorKind.IKM: ikm,
    IndicatorKind.COMPLAINT_HOURS: complaint_hours,
    IndicatorKind.ONLINE_SHARE: online_share,
}


def _rows(kind: str, n: int) -> str:
    """'3 permohonan selesai', '0 jawaban survei': what was counted, in words."""
    if kind == IndicatorKind.ON_TIME_RATE:
        return ngettext("%(n)d permohonan selesai", "%(n)d permohonan selesai", n) % {"n": n}
    if kind == IndicatorKind.IKM:
        return ngettext("%(n)d jawaban survei", "%(n)d jawaban survei", n) % {"n": n}
    if kind == IndicatorKind.COMPLAINT_HOURS:
        return ngettext("%(n)d pengaduan dijawab", "%(n)d pengaduan dijawab", n) % {"n": n}
    return ngettext("%(n)d permohonan masuk", "%(n)d permohonan masuk", n) % {"n": n}


def _day(d: date) -> str:
    return formats.date_format(d, "j M Y")


def _missing(kind: str, before: Figure, after: Figure, win_before: Window, win_after: Window) -> str:
    """Why a figure is missing ('' when both are there)."""
    need = MIN_N[kind]  # type: ignore[index]
    parts = []
    if after.n < need:
        params = {"rows": _rows(kind, after.n), "since": _day(win_after.start), "need": need}
        parts.append(_("Belum ada data setelah terobosan dimulai (%(rows)s sejak %(since)s).") % params
                     if after.n == 0 else
                     _("Data setelah terobosan dimulai belum cukup: %(rows)s sejak %(since)s, perlu paling "
                       "sedikit %(need)s.") % params)
    if before.n < need:
        params = {"rows": _rows(kind, before.n), "start": _day(win_before.start), "end": _day(win_before.end),
                  "need": need}
        parts.append(_("Belum ada data sebelum terobosan dimulai (%(rows)s pada %(start)s–%(end)s).") % params
                     if before.n == 0 else
                     _("Data sebelum terobosan dimulai belum cukup: %(rows)s pada %(start)s–%(end)s, perlu "
                       "paling sedikit %(need)s.") % params)
    return " ".join(parts)


def indicator_effect(indicator: BreakthroughIndicator, *, today: date | None = None) -> IndicatorEffect:
    breakthrough = indicator.breakthrough
    office = breakthrough.office
    kind = indicator.kind
    today = today or office_today(office)
    win_before, win_after = windows(breakthrough.started_on, today)
    compute = FIGURES[kind]  # type: ignore[index]
    unit, service = breakthrough.unit, indicator.service
    before = compute(office, win_before, unit=unit, service=service)
    after = (compute(office, win_after, unit=unit, service=service) if win_after.start <= win_after.end
             else Figure(None, 0))  # started today in another time zone: nothing after yet
    need = MIN_N[kind]  # type: ignore[index]
    before_value = before.value if before.n >= need else None
    after_value = after.value if after.n >= need else None
    better: bool | None = None
    if before_value is not None and after_value is not None:
        better = after_value < before_value if kind in LOWER_IS_BETTER else after_value > before_value
    return IndicatorEffect(
        kind=kind, label=str(IndicatorKind(kind).label), unit=UNITS[kind],  # type: ignore[index]
        before=before_value, after=after_value, before_n=before.n, after_n=after.n,
        message=_missing(kind, before, after, win_before, win_after), better=better,
    )


def before_after(breakthrough: Breakthrough, *, today: date | None = None) -> list[IndicatorEffect]:
    """Every indicator of the breakthrough, in the order of ``IndicatorKind`` (reads the prefetched
    ``indicators`` when there are)."""
    order = list(IndicatorKind.values)
    indicators = sorted(breakthrough.indicators.all(), key=lambda i: (order.index(i.kind), i.pk))
    for i in indicators:
        i.breakthrough = breakthrough  # one office and unit, not one query per indicator
    return [indicator_effect(i, today=today) for i in indicators]


def describe_window(started_on: date, today: date) -> dict[str, str]:
    """The two windows in words, for the page's explanation."""
    win_before, win_after = windows(started_on, today)
    return {"before_start": _day(win_before.start), "before_end": _day(win_before.end),
            "after_start": _day(win_after.start), "after_end": _day(win_after.end)}
