"""The periodic sweep: warn before the deadline, escalate overdue work to the head of unit."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from satupintu.core import actors
from satupintu.organization.models import Office, Role
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import messages, sla, workflow
from satupintu.services.models import Application


def sla_sweep(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    calendars: dict[int, WorkingCalendar] = {}
    warned = escalated = 0
    running = Application.objects.filter(sla_running_since__isnull=False, escalated_at__isnull=True).select_related(
        "office", "service", "unit"
    )
    for app in running.iterator(chunk_size=500):
        calendar = calendars.get(app.office_id)
        if calendar is None:
            calendar = calendars[app.office_id] = WorkingCalendar.for_office(Office.objects.get(pk=app.office_id))
        done = warn_or_escalate(app, calendar=calendar, now=now)
        warned += done == "warned"
        escalated += done == "escalated"
    return {"warned": warned, "escalated": escalated}


def warn_or_escalate(app: Application, *, calendar: WorkingCalendar, now: datetime) -> str:
    """Escalate an overdue application, or warn of a near deadline: "escalated", "warned" or "".

    ``app`` is the sweep's reading, which may be old by now (a sweep over every office takes a
    while, and officers keep working): each update also asks that the clock still reads as it did
    (running since the same moment, the same time used), so an application completed, paused or
    resumed since is left for the next sweep to judge afresh."""
    clock_as_read = {"sla_running_since": app.sla_running_since, "sla_used_seconds": app.sla_used_seconds}
    state = sla.sla_state(app, calendar=calendar, now=now)
    if state == "overdue":
        with transaction.atomic():
            if Application.objects.filter(pk=app.pk, escalated_at__isnull=True, **clock_as_read).update(
                    escalated_at=now):
                workflow.record_event(
                    app, action="sla_escalation", public=False, now=now, label="Sistem",
                    **actors.step_note(gettext_noop("Melewati tenggat; dieskalasi ke kepala unit.")),
                )
                messages.notify_staff(app, roles={Role.HEAD_OF_UNIT}, kind="escalation",
                                      compose=partial(_escalation_mail, app))
                return "escalated"
    elif state == "warning" and app.warned_at is None:
        with transaction.atomic():
            if Application.objects.filter(pk=app.pk, warned_at__isnull=True, **clock_as_read).update(warned_at=now):
                remaining = sla.sla_remaining_seconds(app, calendar=calendar, now=now)
                left = sla.format_office_time(remaining, calendar)
                workflow.record_event(
                    app, action="sla_warning", public=False, now=now, label="Sistem", note=f"Sisa waktu {left}."
                )
                messages.notify_staff(app, roles={Role.UNIT_OFFICER, Role.HEAD_OF_UNIT}, kind="warning",
                                      compose=partial(_warning_mail, app, remaining, calendar))
                return "warned"
    return ""


# Composed for each reader, in their language (messages.notify_staff).
def _escalation_mail(app: Application) -> tuple[str, str]:
    params = {"code": app.tracking_code, "service": app.service.local_name}
    return (gettext("[Eskalasi] Permohonan %(code)s melewati tenggat") % params,
            gettext("Permohonan %(service)s (%(code)s) telah melewati tenggat layanan dan belum selesai.") % params)


def _warning_mail(app: Application, remaining: int, calendar: WorkingCalendar) -> tuple[str, str]:
    params = {"code": app.tracking_code, "service": app.service.local_name,
              "left": sla.format_office_time(remaining, calendar)}
    return (gettext("[Tenggat] Permohonan %(code)s: sisa %(left)s") % params,
            gettext("Permohonan %(service)s (%(code)s) mendekati tenggat: sisa %(left)s.") % params)
