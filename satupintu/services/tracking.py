"""Public tracking: finding an application by its code and proving it is yours.

Proof is the last four digits of the phone number, remembered in the session; the API and
e-mails use a signed, expiring receipt link instead.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import get_language

from satupintu.services.models import ACTION_LABELS, Application, Event, Status
from satupintu.services.tracking_codes import normalize_tracking_code, unknown_tracking_code

_SESSION_KEY = "unlocked_applications"
RECEIPT_LINK_MAX_AGE = 30 * 24 * 3600
# Citizens refresh tracking often. The public answer is kept, already encoded as JSON, in the
# shared cache (dropped on every change by services/signals.py) and, for a couple of
# seconds, in the process itself: another web process may show a change up to
# NEAR_CACHE_SECONDS late; the process that made the change shows it at once.
PUBLIC_CACHE_SECONDS = 300
NEAR_CACHE_SECONDS = 2.0
_NEAR_CACHE_MAX = 20000
_near: dict[str, tuple[float, bytes]] = {}


def _public_key(code: str, language: str) -> str:
    return f"track:{code}:{language}"


def forget_public_status(code: str) -> None:
    keys = [_public_key(code, lang) for lang, _ in settings.LANGUAGES]
    for key in keys:
        _near.pop(key, None)
    cache.delete_many(keys)


def _build_public_status(code: str) -> dict[str, Any]:
    row = (
        Application.objects.filter(tracking_code=code)
        .order_by()
        .values("id", "tracking_code", "status", "service__slug", "service__name", "office__code",
                "office__name", "submitted_at", "due_at", "sla_running_since", "closed_at")
        .first()
    )
    if row is None:
        raise unknown_tracking_code()
    events = Event.objects.filter(application_id=row["id"], public=True).order_by("at", "id")
    final = row["status"] in (Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN)
    return {
        "tracking_code": row["tracking_code"], "status": row["status"], "status_label": str(Status(row["status"]).label),
        "service": row["service__slug"], "service_name": row["service__name"], "office": row["office__code"],
        "office_name": row["office__name"], "submitted_at": row["submitted_at"], "due_at": row["due_at"],
        "sla_paused": row["sla_running_since"] is None and not final, "closed_at": row["closed_at"],
        "timeline": [
            {"at": at, "action": action, "label": str(ACTION_LABELS.get(action, action)), "status": to_status}
            for at, action, to_status in events.values_list("at", "action", "to_status")
        ],
    }


def public_status_json(code: str) -> bytes:
    """What anyone holding the (normalized) code may see, no personal data, as JSON bytes."""
    key = _public_key(code, get_language() or settings.LANGUAGE_CODE)
    now = time.monotonic()
    near = _near.get(key)
    if near is not None and near[0] > now:
        return near[1]
    body = cache.get(key)
    if body is None:
        body = json.dumps(_build_public_status(code), cls=DjangoJSONEncoder).encode()
        cache.set(key, body, PUBLIC_CACHE_SECONDS)
    if len(_near) >= _NEAR_CACHE_MAX:
        _near.clear()
    _near[key] = (now + NEAR_CACHE_SECONDS, body)
    return body


def application_for_tracking(raw_code: str) -> Application:
    code = normalize_tracking_code(raw_code)
    app = (
        Application.objects.select_related("service", "office", "unit")
        .prefetch_related("events")
        .filter(tracking_code=code)
        .first()
    )
    if app is None:
        raise unknown_tracking_code()
    return app


def unlock(request: HttpRequest, code: str) -> None:
    """Remember the code as opened in this session: the newest fifty, the oldest forgotten first
    (kept in alphabetical order, a desk's fifty-first application could drop the one just sent).

    Opening a code shows a person's name, NIK and documents, so it is a sign-in: the session gets a
    new key, as Django's login() gives one. A key planted beforehand (a cookie set for the parent
    domain by another site) no longer opens what the citizen unlocks."""
    request.session.cycle_key()
    codes = [c for c in request.session.get(_SESSION_KEY, []) if c != code]
    request.session[_SESSION_KEY] = [*codes, code][-50:]


_KEYS_SESSION = "submission_keys"


def issue_submission_key(request: HttpRequest, posted: str = "") -> str:
    """The apply form's submission key: made by the server and remembered in the session. A
    posted key this session was given is kept (a re-send after an error stays one submission)."""
    keys = list(request.session.get(_KEYS_SESSION, []))
    if posted and posted in keys:
        return posted
    key = uuid.uuid4().hex
    request.session[_KEYS_SESSION] = [*keys, key][-20:]
    return key


def submission_key_for(request: HttpRequest, posted: str) -> str | None:
    """The domain's key for a posted form key, only if this session issued it: a foreign key
    (``api:...``, another browser's) names nothing, so it cannot unlock anything."""
    return f"web:{posted}" if posted and posted in request.session.get(_KEYS_SESSION, []) else None


def is_unlocked(request: HttpRequest, code: str) -> bool:
    if code in request.session.get(_SESSION_KEY, []):
        return True
    # A signed-in citizen owns what they applied for with their account, and what was applied for
    # without an account from a phone they proved (Beranda lists those: its links asked for the
    # phone's last four digits again). The same rule as citizen.home.
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    from satupintu.citizen.claims import phones_of

    return Application.objects.filter(Q(user=user) | Q(phone__in=phones_of(user), user__isnull=True),
                                      tracking_code=code).exists()


class _SignedAtSubmission(signing.TimestampSigner):
    """Dated at the submission, not at each call: the receipt link of an application is one
    value (a replayed API request gets the same answer, never a fresh secret)."""

    def __init__(self, at: datetime, **kwargs: Any):
        super().__init__(**kwargs)
        self._at = at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self._at.timestamp()))


def receipt_token(app: Application) -> str:
    return _SignedAtSubmission(app.submitted_at, salt="receipt").sign_object(app.tracking_code)


def receipt_token_valid(app: Application, token: str) -> bool:
    if not token:
        return False
    try:
        return signing.loads(token, salt="receipt", max_age=RECEIPT_LINK_MAX_AGE) == app.tracking_code
    except signing.BadSignature:
        return False
