"""The SLA clock: how much office time an application has used and when it is due.

The budget is the service's working days times the office's working hours per day. The
clock runs from submission, pauses while the citizen holds the file (Perlu Dilengkapi) and
stops at a final status. Time is counted in the office's own calendar (organization/
working_calendar.py): its time zone, hours, weekends, national holidays and leave days.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.organization.working_calendar import WorkingCalendar

SlaState = Literal["running", "warning", "overdue", "paused", "stopped"]


class Clocked(Protocol):
    """What carries the clock's fields: an application, a public report (feedback.Report)."""

    sla_budget_seconds: int
    sla_used_seconds: int
    sla_running_since: datetime | None
    due_at: datetime | None

    @property
    def is_final(self) -> bool: ...


# Warn the officer once less than this share of the budget is left.
WARNING_SHARE = 0.25


def sla_budget_seconds(calendar: WorkingCalendar, working_days: int) -> int:
    return max(1, working_days) * calendar.seconds_per_day


def sla_start(app: Clocked, *, calendar: WorkingCalendar, now: datetime, working_days: int) -> None:
    app.sla_budget_seconds = sla_budget_seconds(calendar, working_days)
    app.sla_used_seconds = 0
    app.sla_running_since = now
    app.due_at = calendar.add_working_seconds(now, app.sla_budget_seconds)


def _settle(app: Clocked, calendar: WorkingCalendar, now: datetime) -> None:
    if app.sla_running_since is not None:
        app.sla_used_seconds += max(0, calendar.working_seconds_between(app.sla_running_since, now))
        app.sla_running_since = None


def sla_pause(app: Clocked, *, calendar: WorkingCalendar, now: datetime) -> None:
    """Stop counting while the citizen holds the file; the due date is unknown until they return."""
    _settle(app, calendar, now)
    app.due_at = None


def sla_resume(app: Clocked, *, calendar: WorkingCalendar, now: datetime) -> None:
    if app.sla_running_since is not None:
        return
    app.sla_running_since = now
    app.due_at = calendar.add_working_seconds(now, max(0, app.sla_budget_seconds - app.sla_used_seconds))


def sla_stop(app: Clocked, *, calendar: WorkingCalendar, now: datetime) -> None:
    _settle(app, calendar, now)


def _rescale(app: Clocked, before: WorkingCalendar, after: WorkingCalendar) -> None:
    """Budget and time used are seconds of office time: where the working day is longer or shorter
    they keep their share of working days (two of five days used stay two of five)."""
    old_day, new_day = before.seconds_per_day, after.seconds_per_day
    if old_day != new_day:
        app.sla_budget_seconds = round(app.sla_budget_seconds * new_day / old_day)
        app.sla_used_seconds = round(app.sla_used_seconds * new_day / old_day)


def sla_reschedule(app: Clocked, *, before: WorkingCalendar, calendar: WorkingCalendar, now: datetime) -> None:
    """After a move to another office, or a change of the office's hours or days: the time already used
    stays used, as the calendar it was used under counts it (``before``), and what is left is the same
    share of working days under ``calendar`` (half a day left at an 08-16 office is half a day, four
    hours, at an office open 08-12; it was the same eight hours: two days there)."""
    running = app.sla_running_since is not None
    _settle(app, before, now)
    _rescale(app, before, calendar)
    if running:
        sla_resume(app, calendar=calendar, now=now)


def sla_remaining_seconds(app: Clocked, *, calendar: WorkingCalendar, now: datetime) -> int:
    used = app.sla_used_seconds
    if app.sla_running_since is not None:
        used += max(0, calendar.working_seconds_between(app.sla_running_since, now))
    return app.sla_budget_seconds - used


def sla_state(app: Clocked, *, calendar: WorkingCalendar, now: datetime) -> SlaState:
    if app.is_final:
        return "stopped"
    if app.sla_running_since is None:
        return "paused"
    remaining = sla_remaining_seconds(app, calendar=calendar, now=now)
    if remaining <= 0:
        return "overdue"
    if remaining < WARNING_SHARE * app.sla_budget_seconds:
        return "warning"
    return "running"


def format_office_time(seconds: int, calendar: WorkingCalendar) -> str:
    """'2 hari kerja 3 jam' style, in working days of this office: a length of time, never
    negative (whether it is left or overdue is said in words by ``deadline_phrase``)."""
    seconds = abs(seconds)
    per_day = calendar.seconds_per_day
    days, rest = divmod(seconds, per_day)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%(n)d hari kerja", "%(n)d hari kerja", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    if not days and minutes:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    return " ".join(parts) or ngettext("%(n)d menit", "%(n)d menit", 0) % {"n": 0}


def deadline_phrase(item: Clocked, *, calendar: WorkingCalendar, now: datetime) -> str:
    """How a deadline reads to people: "terlambat 3 hari kerja", "sisa 2 hari kerja",
    "jatuh tempo hari ini". Never a minus sign: "terlambat -3 hari kerja" said the opposite."""
    remaining = sla_remaining_seconds(item, calendar=calendar, now=now)
    running = item.sla_running_since is not None and not item.is_final
    if remaining < 0:
        return _("terlambat %(time)s") % {"time": format_office_time(remaining, calendar)}
    if running and remaining == 0 and item.due_at is not None and item.due_at <= now:
        # Due on Friday at closing, read on Sunday: no office time has passed since, but it is late.
        return _("melewati tenggat")
    due_today = (
        running and item.due_at is not None
        and item.due_at.astimezone(calendar.tz).date() == now.astimezone(calendar.tz).date()
    )
    if due_today or remaining == 0:
        return _("jatuh tempo hari ini")
    return _("sisa %(time)s") % {"time": format_office_time(remaining, calendar)}


def sla_summary(item: Clocked, *, calendar: WorkingCalendar, now: datetime) -> dict[str, object]:
    """What a queue row shows: state, time left in office time, due date in office time.
    Works for anything that carries the clock's fields (applications, public reports)."""
    return {
        "state": sla_state(item, calendar=calendar, now=now),
        "left": format_office_time(sla_remaining_seconds(item, calendar=calendar, now=now), calendar),
        "phrase": deadline_phrase(item, calendar=calendar, now=now),
        "due_local": item.due_at.astimezone(calendar.tz) if item.due_at else None,
    }
