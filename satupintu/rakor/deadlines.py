"""Reminders before a follow-up action is due and escalation after, in working days of the
responsible office (the calendar of #2: weekends, national holidays, joint leave days).

Reminder: REMIND_WORKING_DAYS working days before the due date, to the responsible office's
head (and admins). Escalation: the first working day after the due date, to the head of the
office that issued the decision and again to the responsible head. Each is sent once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from satupintu.core import clock
from satupintu.core.reading_language import mail_each
from satupintu.organization.access import mailboxes
from satupintu.organization.models import Office, Role
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.rakor.models import Action, ActionStatus

REMIND_WORKING_DAYS = 2
HEADS = (Role.HEAD_OF_OFFICE, Role.ADMIN)


def working_days_until(calendar: WorkingCalendar, today: date, due: date) -> int:
    """Working days after today up to and including the due date (0 when due today or past)."""
    days, day = 0, today
    while day < due:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            days += 1
    return days


def _heads(*offices: Office) -> list[tuple[int, str]]:
    # Active accounts only: someone whose account was disabled (moved, left) hears no more of it.
    return mailboxes([o for o in offices if o], HEADS)


def _send(action: Action, kind: str, compose: Callable[[], tuple[str, str]], offices: list[Office],
          now: datetime) -> int:
    """E-mail the heads of ``offices``; ``compose`` gives (subject, body), called in each one's language."""
    link = f"{settings.SITE_URL.rstrip('/')}/rakor/tindak-lanjut/{action.pk}/"
    # Once per action and kind: the sweep marks the action first, atomically.
    return mail_each(_heads(*offices), compose, link, f"rakor-{kind}:{action.pk}:{now.timestamp():.0f}")


def rakor_deadline_sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    calendars: dict[int, WorkingCalendar] = {}
    result = {"reminded": 0, "escalated": 0}
    actions = (Action.objects.filter(status=ActionStatus.OPEN)
               .filter(escalated_at__isnull=True).select_related("office", "decision__meeting__office"))
    for action in actions.iterator(chunk_size=500):
        if action.office.pk not in calendars:  # not setdefault: its default would be built (a query) each time
            calendars[action.office.pk] = WorkingCalendar.for_office(action.office)
        calendar = calendars[action.office.pk]
        kind = remind_or_escalate(action, calendar=calendar, now=now)
        if kind:
            result[kind] += 1
    return result


def remind_or_escalate(action: Action, *, calendar: WorkingCalendar, now: datetime) -> str:
    """Escalate a lapsed action, or remind its office of a near one: "escalated", "reminded" or "".
    ``action`` is the sweep's reading, which may be old by now (a sweep at national scale takes a
    while): each update also asks that the action is still open, so one closed since gets nothing."""
    office = action.office
    today = now.astimezone(ZoneInfo(office.timezone)).date()  # the sweep's moment, in the office's time
    # Escalated on the first working day after the due date (a Friday's action, on Monday; not on
    # Saturday, when nobody at the office reads it).
    if action.due_date < today and calendar.is_working_day(today):
        with transaction.atomic():
            if Action.objects.filter(pk=action.pk, status=ActionStatus.OPEN, escalated_at__isnull=True).update(
                    escalated_at=now):
                _send(action, "escalation", partial(_late_mail, action), [action.decision.meeting.office, office], now)
                return "escalated"
    # A due date far off needs no count of working days (a walk day by day: 30 ms for 2100).
    elif (action.reminded_at is None and (action.due_date - today).days <= 3 * REMIND_WORKING_DAYS + 14
          and working_days_until(calendar, today, action.due_date) <= REMIND_WORKING_DAYS):
        with transaction.atomic():
            if Action.objects.filter(pk=action.pk, status=ActionStatus.OPEN, reminded_at__isnull=True).update(
                    reminded_at=now):
                _send(action, "reminder", partial(_reminder_mail, action), [office], now)
                return "reminded"
    return ""


def _mail_params(action: Action) -> dict[str, str]:
    return {"indicator": action.indicator, "meeting": action.decision.meeting.title, "office": action.office.name,
            "due": clock.shown(action.due_date, "d/m/Y")}  # "5 Dec 2026" for English readers


def _late_mail(action: Action) -> tuple[str, str]:
    params = _mail_params(action)
    return (gettext("[Rakor] Tindak lanjut terlambat: %(office)s") % params,
            gettext("Tindak lanjut “%(indicator)s” (%(meeting)s) oleh %(office)s melewati tenggat %(due)s.")
            % params)


def _reminder_mail(action: Action) -> tuple[str, str]:
    params = _mail_params(action)
    return (gettext("[Rakor] Tenggat tindak lanjut %(due)s") % params,
            gettext("Tindak lanjut “%(indicator)s” (%(meeting)s) jatuh tempo %(due)s. Laporkan kemajuan "
                    "dan buktinya sebelum tenggat.") % params)
