"""Where a one-time sign-in code goes: WhatsApp where the national line is configured and the
number opted in (the 'sign_in_code' authentication template), else SMS (the pluggable
channel, notifications/channels/sms.py). Both through the outbox, so nothing is lost; a
code sent to an e-mail address goes through the outbox too (adapter.send_mail)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.notifications.models import OutboxMessage
from satupintu.notifications.outbox import outbox_enqueue

SMS_SUBJECT = "Kode masuk"
# Asked for a code with a number no account has proved (or for a sign-up with one that an account
# has): the page says "a code was sent" either way, so as not to tell who has an account; the
# text tells the owner of the number what to do instead of leaving them waiting for a code.
NO_ACCOUNT_SUBJECT = "Nomor belum terdaftar"
TAKEN_SUBJECT = "Nomor sudah terdaftar"


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


def send_no_account_notice(phone: str) -> None:
    text = _("Belum ada akun Satu Pintu dengan nomor ini, jadi tidak ada kode masuk. Daftar di %(url)s. "
             "Abaikan pesan ini jika Anda tidak memintanya.") % {"url": f"{settings.SITE_URL}/akun/signup/"}
    _notice(phone, NO_ACCOUNT_SUBJECT, text)


def send_number_taken_notice(phone: str) -> None:
    text = _("Nomor ini sudah terdaftar di Satu Pintu. Masuk dengan kode di %(url)s. "
             "Abaikan pesan ini jika Anda tidak memintanya.") % {"url": f"{settings.SITE_URL}/akun/login/code/"}
    _notice(phone, TAKEN_SUBJECT, text)


def _notice(phone: str, subject: str, text: str) -> None:
    """By SMS even where WhatsApp is set up: free text needs the 24-hour window, and an authentication
    template carries a code only. Within its own limits per number and per address (core/ratelimit),
    past them silently: the page reads the same whether a text went or not."""
    from allauth.core import context

    from satupintu.core import ratelimit

    client = ratelimit.client_ip(context.request) if context.request is not None else ""
    uses = [(ratelimit.SIGN_IN_NOTICES_PER_NUMBER, (phone,)), (ratelimit.SIGN_IN_NOTICES_PER_CLIENT, (client,)),
            (ratelimit.SIGN_IN_NOTICES_PER_CLIENT_DAY, (client,))]
    try:
        ratelimit.charge(*uses)
    except ratelimit.RateLimited:
        return
    outbox_enqueue(channel="sms", recipient=phone, subject=subject, body=text,
                   dedupe_key=f"sign-in-notice:{uuid.uuid4().hex}")


def recent_demo_codes(limit: int = 20) -> list[OutboxMessage]:
    """The last sign-in and claim texts of the demo (SMS kept in the outbox, no gateway)."""
    from satupintu.citizen.claims import CLAIM_SMS_SUBJECT

    return list(OutboxMessage.objects.filter(channel="sms", subject__in=(SMS_SUBJECT, CLAIM_SMS_SUBJECT, NO_ACCOUNT_SUBJECT, TAKEN_SUBJECT))
                .order_by("-created_at", "-id")[:limit])
