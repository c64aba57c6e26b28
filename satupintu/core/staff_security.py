"""What a staff session must satisfy on every request: a second factor and a limited life.

Staff (anyone with a StaffRole, superusers, accounts allowed into /admin/) sign in with their
password, then with six digits from their authenticator app (TOTP, django-otp) or their passkey
(WebAuthn, django-otp-webauthn) when settings.STAFF_2FA_REQUIRED is on; until then only the code
page, the enrolment page (with the passkey endpoints under it) and sign-out answer. A staff session ends after STAFF_SESSION_IDLE_MINUTES without a request and
STAFF_SESSION_MAX_HOURS after sign-in. Citizens' sessions are not touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext
from django_otp import user_has_device

from satupintu.organization import access

SINCE = "staff_since"  # session keys: when the staff member signed in, when last seen
SEEN = "staff_seen"
SEEN_WRITE_EVERY = 60  # seconds: do not write the session on every request
VERIFY_URL = "/masuk/kode/"
ENROL_URL = "/akun/keamanan/"
# Paths an unverified staff member may still reach: how to finish or leave the sign-in.
OPEN_PREFIXES = (VERIFY_URL, ENROL_URL, "/keluar/", "/static/", "/i18n/", "/health/", "/metrics", "/favicon.ico")


def is_staff_account(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False)) or access.is_staff_member(user)


def two_factor_required(user: Any) -> bool:
    return bool(getattr(settings, "STAFF_2FA_REQUIRED", True)) and is_staff_account(user)


@receiver(user_logged_in)
def _stamp_staff_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session") or not is_staff_account(user):
        return
    now = int(time.time())
    request.session[SINCE] = now
    request.session[SEEN] = now
    # The cookie and the stored session die at the absolute limit too, not two weeks later.
    request.session.set_expiry(settings.STAFF_SESSION_MAX_HOURS * 3600)


def _next_query(request: HttpRequest) -> str:
    return urlencode({"next": request.get_full_path()})


def _refuse(request: HttpRequest, url: str, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message}, status=401)
    return HttpResponseRedirect(f"{url}?{_next_query(request)}")


class StaffSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not is_staff_account(user):
            return self.get_response(request)
        expired = self._expired(request)
        if expired:
            logout(request)
            messages.info(request, expired)
            return _refuse(request, settings.LOGIN_URL, "session_expired", expired)
        if (two_factor_required(user) and not request.path.startswith(OPEN_PREFIXES)
                and not user.is_verified()):  # type: ignore[attr-defined]  # django-otp's middleware adds it
            if user_has_device(user):
                return _refuse(request, VERIFY_URL, "otp_required",
                               gettext("Selesaikan verifikasi dua langkah untuk melanjutkan."))
            return _refuse(request, ENROL_URL, "otp_enrolment_required",
                           gettext("Petugas wajib memasang verifikasi dua langkah sebelum melanjutkan."))
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str:
        """Why the staff session is over, or "" while it is still valid (and now seen)."""
        session = request.session
        now = int(time.time())
        since = session.get(SINCE)
        seen = session.get(SEEN)
        if since is None:  # a session from before these rules: its clock starts now
            session[SINCE] = session[SEEN] = now
            return ""
        if now - int(since) > settings.STAFF_SESSION_MAX_HOURS * 3600:
            return gettext("Sesi petugas berakhir setelah %(hours)d jam. Silakan masuk lagi.") % {
                "hours": settings.STAFF_SESSION_MAX_HOURS}
        if seen is not None and now - int(seen) > settings.STAFF_SESSION_IDLE_MINUTES * 60:
            return gettext("Sesi petugas berakhir karena tidak ada aktivitas selama %(minutes)d menit. "
                           "Silakan masuk lagi.") % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES}
        if seen is None or now - int(seen) >= SEEN_WRITE_EVERY:
            session[SEEN] = now
        return ""
