"""Passkeys and security keys (WebAuthn) as the staff second factor, through django-otp-webauthn.

The package does the ceremonies (options, signature checks, sign counts) and ships the browser
script; these are its JSON endpoints with our rules on top: only staff accounts register a key
(citizens have no second factor), and, as for a TOTP app, an account that already has a confirmed
device registers another only after passing the second factor in this session (the package
checks that itself and we keep it). A key is never a way in without the password
(OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off), so the sign-in ceremony needs a signed-in user.

The endpoints live under the enrolment page's address, which an unverified staff member may
reach (staff_security.OPEN_PREFIXES): the registration and the sign-in ceremony both happen
before the session is verified.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from satupintu.core import security_notices
from satupintu.core.staff_security import ENROL_URL, is_staff_account

URL_PREFIX = ENROL_URL.lstrip("/") + "kunci/"


class StaffOnly(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Hanya akun petugas yang memakai kunci keamanan.")
    default_code = "staff_only"


class _StaffRegistration:
    """Registration for staff accounts only, with the refusal in the page's language."""

    messages = {
        "user_not_verified": _("Verifikasi dulu dengan perangkat yang sudah terpasang sebelum menambah kunci baru."),
    }

    def check_can_register(self) -> None:
        if not is_staff_account(self.request.user):  # type: ignore[attr-defined]
            raise StaffOnly()


class RegistrationBegin(_StaffRegistration, BeginCredentialRegistrationView):
    pass


class RegistrationComplete(_StaffRegistration, CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> Any:
        was_verified = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        if response.status_code == 200:  # the key is saved: its owner hears of it (ASVS 2.2.3)
            if not was_verified:
                # A first key verifies the session (the package's otp_login): a new key for it, as
                # two_factor.verified gives a session verified by a code.
                self.request.session.cycle_key()
            security_notices.notify_sign_in_change(self.request.user, security_notices.PASSKEY)
        return response


# -- a passkey as the signature's second factor (documents/issuing.py) ----------------------------

SIGNING_KEY = "signing_passkey"
SIGNING_FRESH_SECONDS = 300  # long enough to type a BSrE passphrase, short enough for a desk left open


SIGNING_STATE = "signing_passkey_ceremony"


class SigningBegin(BeginCredentialAuthenticationView):
    """The signature's challenge. Unlike the sign-in one for a signed-in user (a touch is enough
    there, after the password), it asks the key for user verification (its PIN or fingerprint):
    a security key left in a desk's computer must not sign with a touch. Kept under its own session
    key, so a sign-in challenge is never completed here, nor this one at sign-in."""

    def check_can_authenticate(self) -> None:
        if not is_staff_account(self.request.user):  # type: ignore[attr-defined]
            raise StaffOnly()

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        data, state = self.get_helper().authenticate_begin(user=self.get_user(), require_user_verification=True)
        self.request.session[SIGNING_STATE] = state  # type: ignore[attr-defined]
        return JsonResponse(data)


class SignInComplete(CompleteCredentialAuthenticationView):
    """The passkey as the second factor at sign-in: the session gets a new key once verified, as
    with a TOTP code (two_factor.verified)."""

    def complete_auth(self, device: Any) -> Any:
        user = super().complete_auth(device)
        self.request.session.cycle_key()
        return user


class SigningConfirmation(CompleteCredentialAuthenticationView):
    """The same ceremony as the sign-in one, for a signed-in staff member about to sign a document:
    instead of verifying the session (it already is), it remembers, for a few minutes and for the
    one page it was made on (``next``), that the signer just used their key. The signature reads it
    (``signing_confirmed``) and uses it up (``forget_signing_confirmation``): a session left open on a
    desk is not enough to sign."""

    def check_can_authenticate(self) -> None:
        if not is_staff_account(self.request.user):  # type: ignore[attr-defined]
            raise StaffOnly()

    def get_state(self) -> dict[str, Any]:
        # Taken from the session before anything else and saved at once (as the package does): a
        # challenge is answered once. Only a challenge that asked for user verification signs.
        state = self.request.session.pop(SIGNING_STATE, None)  # type: ignore[attr-defined]
        self.request.session.save()  # type: ignore[attr-defined]
        if not isinstance(state, dict) or not state.get("require_user_verification"):
            raise exceptions.InvalidState()
        return state

    def complete_auth(self, device: Any) -> Any:
        self.request.session[SIGNING_KEY] = {"at": time.time(), "device": device.pk,  # type: ignore[attr-defined]
                                             "page": self.get_redirect_url()}

    def get_success_url(self) -> str:
        return self.get_redirect_url() or "/petugas/dokumen/"


def signing_confirmed(request: HttpRequest) -> bool:
    """Whether the signer confirmed with a passkey on this page in the last few minutes."""
    held = request.session.get(SIGNING_KEY)
    return (isinstance(held, dict) and held.get("page") == request.path
            and 0 <= time.time() - float(held.get("at", 0)) <= SIGNING_FRESH_SECONDS)


def forget_signing_confirmation(request: HttpRequest) -> None:
    """One confirmation, one signature."""
    request.session.pop(SIGNING_KEY, None)


def signing_script_config(request: HttpRequest) -> dict[str, Any]:
    """The package script's configuration with the signing endpoints and the page's own ``next`` field
    (the header's language form has one too, and the script takes the first)."""
    from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

    return get_configuration(request, {
        "beginAuthenticationUrl": reverse("otp_webauthn:signing-confirmation-begin"),
        "completeAuthenticationUrl": reverse("otp_webauthn:signing-confirmation-complete"),
        "nextFieldSelector": "#passkey-sign-next",
    })


# The package's script reads its labels from a Django JavaScript catalogue; ours (locale/id/
# djangojs.po) gives them in Indonesian.
_catalog: Any = JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])

# Named as the package's own urls.py names them: its template tags reverse these names.
otp_webauthn_urls = ([
    path("daftar/mulai/", RegistrationBegin.as_view(), name="credential-registration-begin"),
    path("daftar/selesai/", RegistrationComplete.as_view(), name="credential-registration-complete"),
    path("masuk/mulai/", BeginCredentialAuthenticationView.as_view(), name="credential-authentication-begin"),
    path("masuk/selesai/", SignInComplete.as_view(), name="credential-authentication-complete"),
    path("tanda-tangan/mulai/", SigningBegin.as_view(), name="signing-confirmation-begin"),
    path("tanda-tangan/selesai/", SigningConfirmation.as_view(), name="signing-confirmation-complete"),
    path("jsi18n/", _catalog, name="js-i18n-catalog"),
], "otp_webauthn")
