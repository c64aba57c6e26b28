"""Public tracking: finding an application by its code and proving it is yours.

Proof is the last four digits of the phone number, remembered in the session; the API and
e-mails use a signed, expiring receipt link instead.
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest

from satupintu.services.models import Application
from satupintu.services.tracking_codes import normalize_tracking_code, unknown_tracking_code

_SESSION_KEY = "unlocked_applications"
RECEIPT_LINK_MAX_AGE = 30 * 24 * 3600


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
    codes = set(request.session.get(_SESSION_KEY, []))
    codes.add(code)
    request.session[_SESSION_KEY] = sorted(codes)[-50:]


def is_unlocked(request: HttpRequest, code: str) -> bool:
    if code in request.session.get(_SESSION_KEY, []):
        return True
    # A signed-in citizen who applied with their account owns the application.
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and Application.objects.filter(tracking_code=code, user=user).exists())


def receipt_token(app: Application) -> str:
    return signing.dumps(app.tracking_code, salt="receipt")


def receipt_token_valid(app: Application, token: str) -> bool:
    if not token:
        return False
    try:
        return signing.loads(token, salt="receipt", max_age=RECEIPT_LINK_MAX_AGE) == app.tracking_code
    except signing.BadSignature:
        return False
