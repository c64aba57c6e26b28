"""Reminders before a report's answer is due and escalation after, on the SLA clock of
services/sla.py: to the office's complaint officers (inspectorate for integrity reports),
then to the head of office (the inspectorate of the Kanwil above for integrity reports)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from satupintu.core import actors
from satupintu.core.privacy import mask_free_text
from satupintu.core.reading_language import mail_for
from satupintu.feedback.models import Report, ReportEvent, ReportStatus
from satupintu.feedback.reports import record_event
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.organization.access import mailboxes
from satupintu.organization.models import Office, Role
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import sla


def _recipients(report: Report, *, escalate: bool) -> list[tuple[int, str]]:
    if report.integrity:
        offices = [report.office_id, report.office.parent_id] if escalate else [report.office_id]
        roles = {Role.INSPECTORATE}
    else:
        offices, roles = [report.office_id], ({Role.HEAD_OF_OFFICE} if escalate else {Role.COMPLAINT_OFFICER})
    return mailboxes([o for o in offices if o], roles)  # active accounts only: not those who left


def _notify(report: Report, kind: str, subject: str, body: str) -> None:
    """``subject`` and ``body`` are marked messages (gettext_noop) with {code} and {title}: each reader
    gets them in their own language (core/reading_language)."""
    for user_id, email in _recipients(report, escalate=kind == "escalation"):
        heading, text = mail_for(user_id, lambda: (gettext(subject).format(code=report.tracking_code),
                                                   gettext(body).format(title=mask_free_text(report.title))),
                                 f"{settings.SITE_URL}/petugas/pengaduan/{report.tracking_code}/")
        outbox_enqueue(channel="email", recipient=email, subject=heading, body=text,
                       dedupe_key=f"report-{kind}:{report.pk}:{report.sla_used_seconds}:{user_id}")


# SP4N-LAPOR!: a case closes 10 working days after the answer if the reporter does not reply.
AUTO_CLOSE_WORKING_DAYS = 10


def _auto_close(now: datetime, calendars: dict[int, WorkingCalendar]) -> int:
    closed = 0
    for report in Report.objects.filter(status=ReportStatus.ANSWERED, answered_at__isnull=False).select_related(
        "office"
    ).iterator(chunk_size=500):
        if report.office_id not in calendars:
            calendars[report.office_id] = WorkingCalendar.for_office(report.office)
        calendar = calendars[report.office_id]
        if report.answered_at is None:  # excluded by the query; keeps the type checker honest
            continue
        limit = calendar.add_working_seconds(report.answered_at, AUTO_CLOSE_WORKING_DAYS * calendar.seconds_per_day)
        if now >= limit:
            with transaction.atomic():
                if Report.objects.filter(pk=report.pk, status=ReportStatus.ANSWERED).update(
                    status=ReportStatus.CLOSED, closed_at=now
                ):
                    report.status, report.closed_at = ReportStatus.CLOSED, now
                    # As every other change of status: the webhook and the reporter's e-mail.
                    record_event(report, "close", to_status=ReportStatus.CLOSED, now=now, **actors.step_note(
                        gettext_noop("Ditutup otomatis: tidak ada tanggapan pelapor 10 hari kerja.")))
                    closed += 1
    return closed


# kind -> (field set once, timeline action, timeline note, subject, body)
_FLAGS = {
    "warning": ("warned_at", "sla_warning", gettext_noop("Batas waktu jawaban segera tiba."),
                gettext_noop("[Tenggat] Laporan {code} segera jatuh tempo"),
                gettext_noop("Laporan '{title}' perlu dijawab sebelum batas waktu.")),
    "escalation": ("escalated_at", "sla_escalation", gettext_noop("Melewati batas waktu jawaban."),
                   gettext_noop("[Eskalasi] Laporan {code} melewati batas waktu"),
                   gettext_noop("Laporan '{title}' belum dijawab melewati batas waktu.")),
}


def flag(report: Report, now: datetime, kind: str) -> int:
    """Set the report's warned/escalated mark once (a conditional update, safe with several
    schedulers), record it on the internal timeline and tell the right people. 1 if done now."""
    field, action, note, subject, body = _FLAGS[kind]
    # ``report`` is the sweep's reading, which may be old by now: the mark is set only if the clock
    # still reads as it did, so a report answered, closed or paused since is left to the next sweep.
    clock_as_read = {"sla_running_since": report.sla_running_since, "sla_used_seconds": report.sla_used_seconds}
    with transaction.atomic():
        if not Report.objects.filter(pk=report.pk, **{f"{field}__isnull": True}, **clock_as_read).update(
                **{field: now}):
            return 0
        ReportEvent.objects.create(report=report, at=now, action=action, actor_label="Sistem", public=False,
                                   **actors.step_note(note))
        _notify(report, kind, subject, body)
    return 1


def report_deadline_sweep(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    calendars: dict[int, WorkingCalendar] = {}
    warned = escalated = 0
    closed = _auto_close(now, calendars)
    for report in Report.objects.filter(sla_running_since__isnull=False, escalated_at__isnull=True).select_related(
        "office"
    ).iterator(chunk_size=500):
        if report.office_id not in calendars:
            calendars[report.office_id] = WorkingCalendar.for_office(Office.objects.get(pk=report.office_id))
        state = sla.sla_state(report, calendar=calendars[report.office_id], now=now)
        if state == "overdue":
            escalated += flag(report, now, "escalation")
        elif state == "warning" and report.warned_at is None:
            warned += flag(report, now, "warning")
    return {"warned": warned, "escalated": escalated, "closed": closed}
