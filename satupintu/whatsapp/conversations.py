"""What officers do with a conversation: reply (outbound.py), assign, link to an application or a
report, file a report from it, close; and the first-response time on the office's clock.

Each action works on the conversation as it is now, not on the copy the officer's request read:
it is read again under a row lock, access and its status are checked on that, and only the
fields the action changes are written. A colleague may have closed it meanwhile (and the citizen
opened a new one: writing the old row back whole would reopen it, against the one-open-
conversation rule), or taken it, or the bot may have moved it out of the office.
"""

from __future__ import annotations

from datetime import datetime
from types import EllipsisType
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


def _locked(conv: Conversation, user: Any) -> Conversation:
    """The conversation as it is now, locked to the end of the caller's transaction, if ``user`` may
    still act on it."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins (office, number's office).
    fresh = (Conversation.objects.select_for_update(of=("self",)).select_related("number__office", "office")
             .filter(pk=conv.pk).first())
    if fresh is None:
        raise DomainError("forbidden", "Percakapan ini bukan bagian kantor Anda.", status=403)
    _may(user, fresh)
    return fresh


def _open(conv: Conversation) -> None:
    if conv.status == ConversationStatus.CLOSED:
        raise DomainError("conversation_closed", "Percakapan sudah ditutup.", status=409)


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
    with transaction.atomic():
        conv = _locked(conv, user)
        _open(conv)
        if template:
            message = outbound.officer_template(conv, user=user)
        elif upload is not None:
            message = outbound.officer_file(conv, upload=upload, user=user)
        else:
            message = outbound.officer_reply(conv, text=text, user=user)
        record_response(conv, user)
        conv.save(update_fields=["first_response_at", "first_responder", "first_response_seconds", "status",
                                 "assignee"])
    return message


def assign(conv: Conversation, *, user: Any, assignee: Any, seen_assignee_id: int | None | EllipsisType = ...,
           ) -> None:
    """Give the conversation to a colleague (or to nobody). ``seen_assignee_id``: who had it when the
    officer chose (None: nobody; default: the caller's copy). If someone else took it meanwhile the
    assignment is refused: two officers claiming at once must not both think it is theirs."""
    seen = conv.assignee_id if seen_assignee_id is ... else seen_assignee_id
    with transaction.atomic():
        conv = _locked(conv, user)
        _open(conv)
        wanted = assignee.pk if assignee is not None else None
        if conv.assignee_id not in (seen, wanted):
            raise DomainError("conversation_taken", "Percakapan ini sudah ditangani petugas lain sejak halaman "
                              "dibuka. Periksa lagi sebelum menugaskannya.", field="assignee", status=409)
        if assignee is not None and not access.answerers_of(conv).filter(pk=assignee.pk).exists():
            raise DomainError("invalid_assignee", "Petugas ini tidak menjawab WhatsApp kantor ini.",
                              field="assignee")
        conv.assignee = assignee
        if assignee is not None and conv.status in (ConversationStatus.BOT, ConversationStatus.WAITING):
            conv.status = ConversationStatus.ASSIGNED
            conv.waiting_since = conv.waiting_since or timezone.now()
        conv.save(update_fields=["assignee", "status", "waiting_since"])


def link(conv: Conversation, *, user: Any, code: str) -> Application | Report:
    """Link to the application or report with this tracking code (of the same office)."""
    normal = normalize_tracking_code(code)
    with transaction.atomic():
        conv = _locked(conv, user)
        app = Application.objects.filter(tracking_code=normal).first()
        target: Application | Report | None = app or Report.objects.filter(tracking_code=normal).first()
        if target is None or (conv.office_id is not None and target.office_id != conv.office_id):
            raise DomainError("unknown_tracking_code", "Tidak ada permohonan atau laporan kantor ini dengan kode itu.",
                              field="code", status=404)
        if isinstance(target, Application):
            conv.application = target
            conv.save(update_fields=["application"])
        else:
            conv.report = target
            conv.save(update_fields=["report"])
    return target


def file_report(conv: Conversation, *, user: Any, kind: str, category: str, title: str) -> Report:
    """A report made from what the citizen wrote (their messages, in order), with their number; once
    (two officers sending the form at once make one report, and the second is told)."""
    with transaction.atomic():
        conv = _locked(conv, user)
        if conv.office is None:
            raise DomainError("missing_office", "Tentukan kantor percakapan ini dulu.", status=409)
        if conv.report_id is not None:
            raise DomainError("report_already_filed", "Percakapan ini sudah punya laporan: %(code)s.", status=409,
                              params={"code": Report.objects.get(pk=conv.report_id).tracking_code})
        said = "\n".join(m.text for m in conv.messages.filter(direction=Direction.IN, kind="text")
                         .order_by("created_at"))
        report = reports.report_submit(reports.ReportSubmission(
            kind=kind, category=category, office=conv.office.code, title=title, text=said,
            name=conv.profile_name or "Pelapor WhatsApp", phone=f"+{conv.wa_id}"))
        conv.report = report
        conv.save(update_fields=["report"])
    return report


def close(conv: Conversation, *, user: Any) -> None:
    with transaction.atomic():
        conv = _locked(conv, user)
        if conv.status == ConversationStatus.CLOSED:  # a colleague closed it first: done, and closed_at stays
            return
        conv.status, conv.closed_at, conv.state = ConversationStatus.CLOSED, timezone.now(), {}
        conv.save(update_fields=["status", "closed_at", "state"])
