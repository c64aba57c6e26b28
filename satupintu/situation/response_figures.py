"""How offices respond (issue #15), for the room's table and the daily brief: per office, time to
first response and time to resolution (medians, in the acting office's working hours, so a case
opened on Friday evening is not late by the weekend), and the share of negative issues in the
office's region that got a response case; and the list of cases, overdue first.

Offices shown are those of the room's region at its own level (national: Pusat and the Kanwil;
a province: its Kanwil and Kankemenag; a regency: its Kankemenag) that had a case or a negative
issue in the period, and any office that acted on a case there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from django.db.models import BooleanField, Case, ExpressionWrapper, Q, QuerySet, Value, When
from django.utils import timezone

from satupintu.core import numbers
from satupintu.core.numbers import decimal
from satupintu.organization.models import Level, Office
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.situation.models import Issue, IssueStatus, ResponseCase, ResponseStatus


@dataclass
class OfficeFigures:
    office: Office
    cases: int = 0
    resolved: int = 0
    overdue: int = 0
    first_response_hours: float | None = None
    resolution_hours: float | None = None
    negative_issues: int = 0
    responded_issues: int = 0

    @property
    def responded_percent(self) -> int | None:
        return numbers.percent(self.responded_issues, self.negative_issues) if self.negative_issues else None


def hours_label(hours: float | None) -> str:
    """"3,5 jam" ("-" when nothing was measured): in the brief's language, Indonesian."""
    return "-" if hours is None else f"{decimal(hours, 1, 'id')} jam"


def _region_q(prefix: str, province: str, regency: str) -> Q:
    if regency:
        return Q(**{f"{prefix}regency_code": regency})
    if province:
        return Q(**{f"{prefix}province_code": province})
    return Q()


def _office_region(office: Office) -> tuple[str, str]:
    """(province, regency) an office looks after; ("", "") for Pusat (everything)."""
    if office.level == Level.KANKEMENAG:
        return office.code[:2], office.code
    if office.level == Level.KANWIL:
        return office.code, ""
    return "", ""


def _row_offices(province: str, regency: str) -> QuerySet[Office]:
    if regency:
        return Office.objects.filter(code=regency)
    if province:
        return Office.objects.filter(Q(code=province) | Q(parent__code=province))
    return Office.objects.filter(level__in=[Level.PUSAT, Level.KANWIL])


def office_figures(*, since: datetime, until: datetime, province: str = "", regency: str = "",
                   now: datetime | None = None, limit: int = 15) -> list[OfficeFigures]:
    """The figures of the offices of a region (see the module docstring), the ones with most
    unanswered negative issues first. Cases opened in the period; negative issues seen in it."""
    now = now or timezone.now()
    cases = list(ResponseCase.objects.filter(opened_at__gt=since, opened_at__lte=until)
                 .filter(_region_q("", province, regency) | Q(office__code__in=[c for c in (regency, province) if c])
                         if province or regency else Q()).select_related("office"))
    negative = Issue.objects.filter(negative_count__gt=0, last_seen__gt=since, first_seen__lte=until).exclude(
        status=IssueStatus.MERGED).filter(_region_q("", province, regency))
    issues = list(negative.values_list("pk", "province_code", "regency_code"))
    responded = set(ResponseCase.objects.filter(issue__in=negative.values("pk")).values_list("issue_id", flat=True))
    responded |= set(ResponseCase.objects.filter(alert__issue__in=negative.values("pk"))
                     .values_list("alert__issue_id", flat=True))

    offices = {o.pk: o for o in _row_offices(province, regency)}
    offices.update({c.office.pk: c.office for c in cases})
    rows: dict[int, OfficeFigures] = {}
    calendars: dict[int, WorkingCalendar] = {}
    firsts: dict[int, list[float]] = {}
    closes: dict[int, list[float]] = {}
    for case in cases:
        row = rows.setdefault(case.office_id, OfficeFigures(offices[case.office_id]))
        if case.office_id not in calendars:  # not setdefault: its default would be built (a query) each time
            calendars[case.office_id] = WorkingCalendar.for_office(case.office)
        calendar = calendars[case.office_id]
        row.cases += 1
        if case.first_response_at:
            firsts.setdefault(case.office_id, []).append(
                calendar.working_seconds_between(case.opened_at, case.first_response_at) / 3600)
        if case.status == ResponseStatus.RESOLVED and case.resolved_at:
            row.resolved += 1
            closes.setdefault(case.office_id, []).append(
                calendar.working_seconds_between(case.opened_at, case.resolved_at) / 3600)
        elif case.due_at < now:
            row.overdue += 1
    for office_id, values in firsts.items():
        rows[office_id].first_response_hours = median(values)
    for office_id, values in closes.items():
        rows[office_id].resolution_hours = median(values)
    for office in offices.values():
        o_province, o_regency = _office_region(office)
        mine = [pk for pk, p, r in issues if (not o_province or p == o_province) and (not o_regency or r == o_regency)]
        if mine:
            row = rows.setdefault(office.pk, OfficeFigures(office))
            row.negative_issues = len(mine)
            row.responded_issues = sum(1 for pk in mine if pk in responded)
    ordered = sorted(rows.values(), key=lambda r: (-(r.negative_issues - r.responded_issues), -r.overdue,
                                                    -r.cases, r.office.code))
    return ordered[:limit]


def case_queue(*, status: str = "open", offices: list[Office] | None = None,
               now: datetime | None = None) -> QuerySet[ResponseCase]:
    """The cases list: overdue first, then by deadline; resolved ones last.
    ``offices``: only cases acted on by these offices or escalated to them."""
    now = now or timezone.now()
    qs = ResponseCase.objects.select_related("office", "issue", "alert", "field_report", "escalated_to")
    if status == "open":
        qs = qs.exclude(status=ResponseStatus.RESOLVED)
    elif status in ResponseStatus.values:
        qs = qs.filter(status=status)
    if offices is not None:
        qs = qs.filter(Q(office__in=offices) | Q(escalated_to__in=offices))
    overdue = ExpressionWrapper(Q(due_at__lt=now) & ~Q(status=ResponseStatus.RESOLVED), output_field=BooleanField())
    done = Case(When(status=ResponseStatus.RESOLVED, then=Value(1)), default=Value(0))
    return qs.annotate(is_overdue=overdue, is_done=done).order_by("is_done", "-is_overdue", "due_at", "pk")
