"""Claiming what was filed before the account existed: proving the phone with a one-time code.

Never by NIK alone (a NIK is printed on many papers). The code goes to where only the phone's
owner reads it: the phone itself, by WhatsApp when that number opted in to our messages, else by
SMS. Never to an e-mail address written beside the number on an application or a report: nobody
proved that address, and anyone may file with someone else's number and their own address (which
handed them the number's applications and its reports, anonymous ones included). Only a number
that has filed something gets an SMS (no SMS bills for numbers we never saw); the page answers
the same ("if this number is on file, a code was sent"), so the form tells nobody which
numbers have filed something. A code is stored hashed, expires after CODE_TTL, is used once,
dies after MAX_WRONG_TRIES, and the sends and tries are capped in core/ratelimit.py.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.citizen.models import ClaimCode, VerifiedPhone
from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.services import identity
from satupintu.services.models import Application

CODE_TTL = timedelta(minutes=10)
MAX_WRONG_TRIES = 5


def _hash(user_pk: int, phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"claim:{user_pk}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


CLAIM_SMS_SUBJECT = "Kode klaim"


def _on_file(phone: str) -> bool:
    """Whether this number filed an application or a report."""
    from satupintu.feedback.models import Report

    return Application.objects.filter(phone=phone).exists() or Report.objects.filter(reporter_phone=phone).exists()


def claim_text(code: str) -> str:
    return _("Kode klaim Satu Pintu Anda: %(code)s. Berlaku %(minutes)d menit. Jangan berikan kode ini kepada "
             "siapa pun, termasuk petugas.") % {"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)}


def _send(phone: str, code: str, claim_pk: int) -> str:
    """Send the code to the phone; the channel used, or "" when the number filed nothing."""
    from satupintu.whatsapp import outbound

    if outbound.send_one_time_code(phone.lstrip("+"), code):  # the number wrote to us and opted in
        return "whatsapp"
    if not _on_file(phone):
        return ""
    outbox_enqueue(channel="sms", recipient=phone, subject=CLAIM_SMS_SUBJECT, body=claim_text(code),
                   dedupe_key=f"claim:{claim_pk}:{uuid.uuid4().hex}")
    return "sms"


def request_code(user: Any, raw_phone: str, *, now: datetime | None = None) -> None:
    """Send a new code for ``raw_phone`` (the older ones stop counting). The same outcome for
    the caller whether or not the phone has filed anything."""
    phone = identity.clean_phone(raw_phone)
    ratelimit.charge((ratelimit.CLAIM_SENDS_PER_USER, (user.pk,)), (ratelimit.CLAIM_SENDS_PER_PHONE, (phone, user.pk)),
                     (ratelimit.CLAIM_SENDS_TO_PHONE, (phone,)), code="too_many_codes")
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        claim = ClaimCode.objects.create(user=user, phone=phone, code_hash=_hash(user.pk, phone, code),
                                         expires_at=now + CODE_TTL)
        claim.channel = _send(phone, code, claim.pk)
        claim.save(update_fields=["channel"])


@dataclass(frozen=True)
class Claimed:
    phone: str
    applications: int


def confirm_code(user: Any, raw_phone: str, code: str, *, now: datetime | None = None) -> Claimed:
    """Check the code sent for ``raw_phone``; on success the phone is the account's and every
    application of that phone not held by another account is linked to it."""
    phone = identity.clean_phone(raw_phone)
    code = "".join(c for c in (code or "") if c.isdigit())
    if len(code) != 6:
        raise DomainError("invalid_code", "Tulis 6 angka kode yang kami kirim.", field="code")
    # Counted before checking, so parallel guesses cannot slip past the cap.
    if not ratelimit.take(ratelimit.CLAIM_TRIES, user.pk, phone):
        ratelimit.refund(ratelimit.CLAIM_TRIES, user.pk, phone)
        raise ratelimit.RateLimited(ratelimit.CLAIM_TRIES, "too_many_attempts")
    now = now or timezone.now()
    claim = ClaimCode.objects.filter(user=user, phone=phone).order_by("-created_at", "-pk").first()
    if claim is None or claim.used_at is not None or claim.expires_at <= now or claim.wrong_tries >= MAX_WRONG_TRIES:
        raise DomainError("code_expired", "Kode ini tidak berlaku lagi (kedaluwarsa atau sudah dipakai). "
                          "Minta kode baru.", field="code")
    if not hmac.compare_digest(claim.code_hash, _hash(user.pk, phone, code)):
        ClaimCode.objects.filter(pk=claim.pk).update(wrong_tries=F("wrong_tries") + 1)
        raise DomainError("code_mismatch", "Kode salah.", field="code")
    with transaction.atomic():
        # Single use even when two tabs send the right code at once.
        if not ClaimCode.objects.filter(pk=claim.pk, used_at__isnull=True).update(used_at=now):
            raise DomainError("code_expired", "Kode ini sudah dipakai. Minta kode baru.", field="code")
        VerifiedPhone.objects.get_or_create(user=user, phone=phone)
        linked = Application.objects.filter(phone=phone, user__isnull=True).update(user=user)
    ratelimit.refund(ratelimit.CLAIM_TRIES, user.pk, phone)
    return Claimed(phone=phone, applications=linked)


def phones_of(user: Any) -> list[str]:
    """The phones this person proved: by a claim code here, or by signing in with a phone code
    (or an INApas number INApas verified), which is the same proof (accounts.CitizenPhone)."""
    from satupintu.accounts.models import CitizenPhone

    proved = set(VerifiedPhone.objects.filter(user=user).values_list("phone", flat=True))
    proved.update(CitizenPhone.objects.filter(user=user, verified=True).values_list("phone", flat=True))
    return sorted(proved)
