"""What officers do with a conversation: reply (outbound.py), assign, link to an application or a
report, file a report from it, close; and the first-response time on the office's clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.feedback import reports
from satupintu.feedback.models import Report
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services.models import Application
from satupintu.services.tracking_codes import normalize_tracking_code
from satupintu.whatsapp import access, outbound
from satupintu.whatsapp.models import Conversation, ConversationStatus, Direction, Message


def _may(user: Any, conv: Conversation) -> None:
    if not access.may_answer(user, conv):
        raise DomainError("forbidden", "Percakapan ini bukan bagian kantor Anda.", status=403)


def record_response(conv: Conversation, user: Any, now: datetime | None = None) -> None:
    """The first human answer after the handover, measured in the office's working time."""
    now = now or timezone.now()
    if conv.first_response_at is not None:
        return
    conv.first_response_at, conv.first_responder = now, user
    if conv.waiting_since is not None and conv.office is not None:
        conv.first_response_seconds = max(0, WorkingCalendar.for_office(conv.office).working_seconds_between(
            conv.waiting_since, now))
    if conv.status in (ConversationStatus.BOT, ConversationStatus.WAITING):
        conv.status = ConversationStatus.ASSIGNED
        conv.assignee = conv.assignee or user


def reply(conv: Conversation, *, user: Any, text: str = "", template: bool = False, upload: Any = None) -> Message:
    """An officer's answer: free text or a file inside the window, the template outside it."""
    _may(user, conv)
    if conv.status == ConversationStatus.CLOSED:
        raise DomainError("conversation_closed", "Percakapan sudah ditutup.", status=409)
    with transaction.atomic():
        if template:
            message = outbound.officer_template(conv, user=user)
        elif upload is not None:
            message = outbound.officer_file(conv, upload=upload, user=user)
        else:
            message = outbound.officer_reply(conv, text=text, user=user)
        record_response(conv, user)
        conv.save()
    return message


def assign(conv: Conversation, *, user: Any, assignee: Any) -> None:
    _may(user, conv)
    if assignee is not None and not access.answerers_of(conv).filter(pk=assignee.pk).exists():
        raise DomainError("invalid_assignee", "Petugas ini tidak menjawab WhatsApp kantor ini.", field="assignee")
    conv.assignee = assignee
    if assignee is not None and conv.status in (ConversationStatus.BOT, ConversationStatus.WAITING):
        conv.status = ConversationStatus.ASSIGNED
        conv.waiting_since = conv.waiting_since or timezone.now()
    conv.save(update_fields=["assignee", "status", "waiting_since"])


def link(conv: Conversation, *, user: Any, code: str) -> Application | Report:
    """Link to the application or report with this tracking code (of the same office)."""
    _may(user, conv)
    normal = normalize_tracking_code(code)
    app = Application.objects.filter(tracking_code=normal).first()
    target: Application | Report | None = app or Report.objects.filter(tracking_code=normal).first()
    if target is None or (conv.office_id is not None and target.office_id != conv.office_id):
        raise DomainError("unknown_tracking_code", "Tidak ada permohonan atau laporan kantor ini dengan kode itu.",
                          field="code", status=404)
    if isinstance(target, Application):
        conv.application = target
    else:
        conv.report = target
    conv.save(update_fields=["application", "report"])
    return target


def file_report(conv: Conversation, *, user: Any, kind: str, category: str, title: str) -> Report:
    """A report made from what the citizen wrote (their messages, in order), with their number."""
    _may(user, conv)
    if conv.office is None:
        raise DomainError("missing_office", "Tentukan kantor percakapan ini dulu.", status=409)
    said = "\n".join(m.text for m in conv.messages.filter(direction=Direction.IN, kind="text").order_by("created_at"))
    report = reports.report_submit(reports.ReportSubmission(
        kind=kind, category=category, office=conv.office.code, title=title, text=said,
        name=conv.profile_name or "Pelapor WhatsApp", phone=f"+{conv.wa_id}"))
    conv.report = report
    conv.save(update_fields=["report"])
    return report


def close(conv: Conversation, *, user: Any) -> None:
    _may(user, conv)
    conv.status, conv.closed_at, conv.state = ConversationStatus.CLOSED, timezone.now(), {}
    conv.save(update_fields=["status", "closed_at", "state"])
