"""The periodic sweep: warn before the deadline, escalate overdue work to the head of unit."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

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
        state = sla.sla_state(app, calendar=calendar, now=now)
        if state == "overdue":
            with transaction.atomic():
                if Application.objects.filter(pk=app.pk, escalated_at__isnull=True).update(escalated_at=now):
                    workflow.record_event(
                        app, action="sla_escalation", public=False, now=now, label="Sistem",
                        note="Melewati tenggat; dieskalasi ke kepala unit.",
                    )
                    messages.notify_staff(
                        app, roles={Role.HEAD_OF_UNIT}, kind="escalation",
                        subject=f"[Eskalasi] Permohonan {app.tracking_code} melewati tenggat",
                        body=f"Permohonan {app.service.name} ({app.tracking_code}) telah melewati tenggat "
                        f"layanan dan belum selesai.",
                    )
                    escalated += 1
        elif state == "warning" and app.warned_at is None:
            with transaction.atomic():
                if Application.objects.filter(pk=app.pk, warned_at__isnull=True).update(warned_at=now):
                    left = sla.format_office_time(sla.sla_remaining_seconds(app, calendar=calendar, now=now), calendar)
                    workflow.record_event(
                        app, action="sla_warning", public=False, now=now, label="Sistem", note=f"Sisa waktu {left}."
                    )
                    messages.notify_staff(
                        app, roles={Role.UNIT_OFFICER, Role.HEAD_OF_UNIT}, kind="warning",
                        subject=f"[Tenggat] Permohonan {app.tracking_code}: sisa {left}",
                        body=f"Permohonan {app.service.name} ({app.tracking_code}) mendekati tenggat: sisa {left}.",
                    )
                    warned += 1
    return {"warned": warned, "escalated": escalated}
