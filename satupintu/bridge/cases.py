"""Cases in other apps that citizens follow here: registering one, reading its status through
the app's connector, the periodic poll (with backoff when the app fails), the push from the
app, and the public look-up.

Whoever holds a reference can already ask the app itself for its status (that is how these
apps work), and we show no more than that: our status word, their label and a time. The
phone number is what ties a case to the citizen who follows it; the look-up asks for its last
four digits, with guesses capped like the tracking page's (services/unlock.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from satupintu.bridge.connectors import (
    CaseStatus,
    ConnectorError,
    UnknownReference,
    fetch_status,
    push_secret_of,
    status_from_document,
)
from satupintu.bridge.models import Connector, ExternalApp, ExternalCase, SeenPush
from satupintu.core import ratelimit
from satupintu.core.errors import Conflict, DomainError, Forbidden, NotFound
from satupintu.services import identity
from satupintu.services.models import FINAL_STATUSES

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=24)
CLAIM_LEASE = timedelta(minutes=5)  # a poll in progress: others leave the case alone meanwhile
SIGNATURE_HEADER = "X-Satupintu-Signature"
TIMESTAMP_HEADER = "X-Satupintu-Timestamp"
SIGNATURE_WINDOW = 300  # seconds a signed push stays valid (a replay later is refused)
# Unix seconds have 10 digits until 2286; 12 is plenty. More cannot be fresh, and int() of thousands
# of digits is refused (ValueError) or overflows against time() (OverflowError): a 500 before the check.
TIMESTAMP_MAX_DIGITS = 12
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]{0,63}")

# Every look-up from one address (a registration also asks the other app: this protects it too).
FOLLOW_PER_CLIENT = ratelimit.Limit("external-follow-client", 10, 15 * ratelimit.MINUTE,
                                    "Terlalu banyak percobaan. Coba lagi 15 menit lagi.")
# Wrong last-four guesses on one reference, from everyone together; past it the whole number.
FOLLOW_GUESSES_PER_CASE = ratelimit.Limit("external-follow-case", 10, ratelimit.DAY,
                                          "Terlalu banyak percobaan. Tulis nomor HP lengkap yang didaftarkan.")


def clean_reference(raw: str) -> str:
    reference = (raw or "").strip()
    if not reference:
        raise DomainError("missing_field", "Nomor pendaftaran wajib diisi.", field="reference")
    if not _REFERENCE.fullmatch(reference):
        raise DomainError("invalid_reference",
                          "Nomor pendaftaran hanya berisi huruf, angka, titik, garis miring atau tanda hubung.",
                          field="reference")
    return reference


def connector_of(app: ExternalApp) -> Connector:
    connector = Connector.objects.select_related("app").filter(app=app, is_active=True).first()
    if connector is None:
        raise DomainError("not_connected",
                          "Status %(app)s belum dapat diikuti dari sini. Silakan buka aplikasinya langsung.",
                          field="app", params={"app": app.short_name})
    return connector


def _backoff(connector: Connector, failures: int) -> timedelta:
    return min(timedelta(minutes=connector.poll_minutes) * (2 ** min(failures, 16)), MAX_BACKOFF)


def _is_news(case: ExternalCase, result: CaseStatus, *, pushed: bool) -> bool:
    """Whether a status read or pushed replaces the case's. A final status stays (the case is done and
    polling has stopped). A push older than the status we have is not news (late, or replayed); an
    answer we asked for is the app's word now (the next poll would correct a stale one anyway)."""
    if case.last_status in FINAL_STATUSES:
        return False
    return not (pushed and result.updated_at and case.their_updated_at and result.updated_at < case.their_updated_at)


def _apply_status(case: ExternalCase, connector: Connector, result: CaseStatus, now: datetime, *,
                  pushed: bool = False) -> bool:
    """The app answered: its status if it is news (True), and the next check."""
    news = _is_news(case, result, pushed=pushed)
    if news:
        case.last_status, case.last_label, case.their_updated_at = result.status, result.label, result.updated_at
    case.checked_at, case.error, case.failures = now, "", 0
    # A final status does not change any more: no more polling.
    case.next_check_at = (None if case.last_status in FINAL_STATUSES
                          else now + timedelta(minutes=connector.poll_minutes))
    return news


def case_refresh(case: ExternalCase, *, now: datetime | None = None) -> ExternalCase:
    """Ask the app once. On failure the last known status stays, the error is kept and the
    next try is pushed back (doubling, up to a day). A final status stays whatever the answer."""
    now = now or timezone.now()
    connector = connector_of(case.app)
    result: CaseStatus | None = None
    failure: ConnectorError | None = None
    try:
        result = fetch_status(connector, case.reference)
    except ConnectorError as exc:
        failure = exc
    with transaction.atomic():
        # A push may have landed while the app was being asked: the answer is weighed against the
        # status as it is now (a final one stays), not against the copy read before asking.
        current = (ExternalCase.objects.select_for_update().filter(pk=case.pk)
                   .values("last_status", "last_label", "their_updated_at").first())
        if current is None:  # deleted meanwhile (the app removed): nothing to write back
            return case
        case.last_status, case.last_label = current["last_status"], current["last_label"]
        case.their_updated_at = current["their_updated_at"]
        if result is not None:
            _apply_status(case, connector, result, now)
        else:
            assert failure is not None
            case.failures += 1
            case.checked_at, case.error = now, str(failure)[:300]
            case.next_check_at = None if case.last_status in FINAL_STATUSES else now + _backoff(connector,
                                                                                                case.failures)
            log.info("bridge: %s %s: %s (failure %s)", case.app.code, case.reference, failure.code, case.failures)
        case.save()
    return case


def case_register(app: ExternalApp, reference: str, phone: str, *, now: datetime | None = None) -> ExternalCase:
    """Follow ``reference`` in ``app`` for the citizen with ``phone``. The app is asked at once:
    a reference it does not know is refused (nothing kept); if the app is down the case is kept
    and tried again later."""
    reference, phone = clean_reference(reference), identity.clean_phone(phone)
    connector = connector_of(app)
    existing = ExternalCase.objects.filter(app=app, reference=reference, phone=phone).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    case = ExternalCase(app=app, reference=reference, phone=phone)
    try:
        result = fetch_status(connector, reference)
    except UnknownReference:
        raise
    except ConnectorError as exc:
        case.failures, case.checked_at, case.error = 1, now, str(exc)[:300]
        case.next_check_at = now + _backoff(connector, 1)
    else:
        _apply_status(case, connector, result, now)
    case.save()
    return case


def poll_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """Refresh the cases whose next check is due; returns how many were asked."""
    now = now or timezone.now()
    due = list(
        ExternalCase.objects.select_related("app")
        .filter(next_check_at__lte=now, app__connector__is_active=True)
        .order_by("next_check_at")[:limit]
    )
    asked = 0
    for case in due:
        # Claimed first, so two beat runs (or two workers) never ask twice for one case.
        if not ExternalCase.objects.filter(pk=case.pk, next_check_at=case.next_check_at).update(
                next_check_at=now + CLAIM_LEASE):
            continue
        case.next_check_at = now + CLAIM_LEASE
        try:
            case_refresh(case, now=now)
        except DomainError as exc:  # the connector was switched off meanwhile
            log.info("bridge: %s %s not polled: %s", case.app.code, case.reference, exc.code)
            continue
        except Exception:  # one case's fault must not leave the cases after it unasked (its claim lapses)
            log.exception("bridge: %s %s: poll failed", case.app.code, case.reference)
            continue
        asked += 1
    return asked


# --- the public look-up ----------------------------------------------------------------

def _digits(raw: str) -> str:
    return "".join(c for c in (raw or "") if c.isdigit())


def case_follow(app: ExternalApp, reference: str, *, last4: str = "", phone: str = "", client: str,
                now: datetime | None = None) -> ExternalCase:
    """The case as the citizen who follows it sees it. With the whole phone number a new
    reference is registered; with the last four digits, a case already followed is shown."""
    reference = clean_reference(reference)
    connector_of(app)
    if not ratelimit.take(FOLLOW_PER_CLIENT, client):
        ratelimit.refund(FOLLOW_PER_CLIENT, client)
        raise ratelimit.RateLimited(FOLLOW_PER_CLIENT, "too_many_attempts")
    if (phone or "").strip():
        case = case_register(app, reference, phone, now=now)
    else:
        case = _case_by_last4(app, reference, last4)
    now = now or timezone.now()
    if case.next_check_at is not None and case.next_check_at <= now:
        case = case_refresh(case, now=now)
    return case


def _case_by_last4(app: ExternalApp, reference: str, last4: str) -> ExternalCase:
    digits = _digits(last4)
    if len(digits) != 4:
        raise DomainError("invalid_phone_last4", "Tulis empat digit terakhir nomor HP, atau nomor HP lengkap.",
                          field="phone_last4")
    cases = list(ExternalCase.objects.select_related("app").filter(app=app, reference=reference))
    if not cases:
        raise NotFound("unknown_case", "Nomor ini belum diikuti di sini. Tulis nomor HP lengkap Anda untuk mulai "
                       "mengikutinya.", field="phone")
    key = f"{app.pk}:{reference}"
    if ratelimit.exhausted(FOLLOW_GUESSES_PER_CASE, key):
        raise DomainError("full_phone_required", "Terlalu banyak percobaan yang salah untuk nomor ini. Demi keamanan, "
                          "tulis nomor HP lengkap yang didaftarkan.", field="phone", status=429)
    match = next((c for c in cases if c.phone.endswith(digits)), None)
    if match is None:
        ratelimit.take(FOLLOW_GUESSES_PER_CASE, key)
        raise Forbidden("phone_mismatch", "Empat digit terakhir nomor HP tidak cocok.", field="phone_last4")
    return match


# --- the push from the app -------------------------------------------------------------

def signature(secret: str, timestamp: str, reference: str, body: bytes) -> str:
    """What the app sends in X-Satupintu-Signature: ``sha256=`` + hex HMAC-SHA256 of
    ``<timestamp>.<reference>.<body>`` with the connector's push secret (``push_secret_env``, never
    the token sent to the app on every poll). The reference is signed too:
    the body alone, replayed to another case's address within the window, would change that case."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + reference.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass(frozen=True)
class Pushed:
    cases: list[ExternalCase]  # every follower's case of the reference, as it is now
    changed: int  # how many took the pushed status (none when it was older, or the case is final)


def case_push(app_code: str, reference: str, body: bytes, *, signature_header: str, timestamp_header: str,
              now: datetime | None = None) -> Pushed:
    """An app tells us a case's new status (the same JSON its status answer has). Signed with
    the connector's push secret, which only the app and we hold: not the poll token, which travels
    to the app on every poll (whoever saw it could sign a final status, and a final status stays).
    The timestamp must be within five minutes, and a push is taken once (the same one sent again
    inside the window is a replay: it would set an old status back)."""
    app = ExternalApp.objects.filter(code=(app_code or "").lower(), is_active=True).first()
    connector = Connector.objects.select_related("app").filter(app=app, is_active=True).first() if app else None
    secret = push_secret_of(connector) if connector else ""
    if app is None or connector is None or not secret:
        # Unknown app and app without a push secret alike: nothing to tell a prober.
        raise NotFound("unknown_external_app", "Aplikasi '%(code)s' tidak dikenal.", field="app",
                       params={"code": app_code[:40]})
    timestamp = (timestamp_header or "").strip()
    fresh = (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_MAX_DIGITS
             and abs(time.time() - int(timestamp)) <= SIGNATURE_WINDOW)
    expected = signature(secret, timestamp, reference, body)
    if not fresh or not hmac.compare_digest(expected.encode(),
                                            (signature_header or "").strip().encode()):  # bytes: any header
        raise DomainError("bad_signature", "Tanda tangan permintaan tidak sah.", status=401)
    now = now or timezone.now()
    # One transaction: a push refused below (not JSON, nobody follows the reference) is not marked as
    # seen, so the app's retry of it is not taken for a replay.
    with transaction.atomic():
        try:
            with transaction.atomic():
                SeenPush.objects.create(signature=expected.removeprefix("sha256="), seen_at=now)
        except IntegrityError:
            raise Conflict("push_replayed", "Kabar status ini sudah diterima sebelumnya.") from None
        SeenPush.objects.filter(seen_at__lt=now - timedelta(seconds=2 * SIGNATURE_WINDOW)).delete()
        return _take_push(app, connector, reference, body, now)


def _take_push(app: ExternalApp, connector: Connector, reference: str, body: bytes, now: datetime) -> Pushed:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        raise DomainError("invalid_json", "Isi permintaan bukan JSON yang sah.") from None
    try:
        result = status_from_document(connector, document)
    except ConnectorError as exc:  # their document, our 400: it was sent to us
        raise DomainError(exc.code, exc.text, params=exc.params) from None
    cases = list(ExternalCase.objects.select_for_update(of=("self",)).select_related("app")
                 .filter(Q(app=app) & Q(reference=reference)).order_by("pk"))
    if not cases:
        raise NotFound("unknown_case", "Nomor '%(reference)s' tidak diikuti di sini.", field="reference",
                       params={"reference": reference[:64]})
    changed = 0
    for case in cases:
        changed += _apply_status(case, connector, result, now, pushed=True)
        case.save()
    return Pushed(cases, changed)
