"""Where a one-time sign-in code goes: WhatsApp where the national line is configured and the
number opted in (the 'sign_in_code' authentication template), else SMS (the pluggable
channel, notifications/channels/sms.py). Both through the outbox, so nothing is lost; a
code sent to an e-mail address goes through the outbox too (adapter.send_mail)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.notifications.models import OutboxMessage
from satupintu.notifications.outbox import outbox_enqueue

SMS_SUBJECT = "Kode masuk"


def sign_in_text(code: str) -> str:
    return _("Kode masuk Satu Pintu Anda: %(code)s. Jangan berikan kode ini kepada siapa pun, termasuk petugas.") % {
        "code": code}


@transaction.atomic
def send_sign_in_code(phone: str, code: str) -> str:
    """Queue the code for ``phone`` (E.164); returns the channel that carries it."""
    from satupintu.whatsapp import outbound

    if outbound.send_sign_in_code(phone, code):
        return "whatsapp"
    outbox_enqueue(channel="sms", recipient=phone, subject=SMS_SUBJECT, body=sign_in_text(code),
                   dedupe_key=f"sign-in:{uuid.uuid4().hex}")
    return "sms"


def recent_demo_codes(limit: int = 20) -> list[OutboxMessage]:
    """The last sign-in and claim texts of the demo (SMS kept in the outbox, no gateway)."""
    from satupintu.citizen.claims import CLAIM_SMS_SUBJECT

    return list(OutboxMessage.objects.filter(channel="sms", subject__in=(SMS_SUBJECT, CLAIM_SMS_SUBJECT))
                .order_by("-created_at", "-id")[:limit])
