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

from django.http import HttpRequest
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
    pass


# -- a passkey as the signature's second factor (documents/issuing.py) ----------------------------

SIGNING_KEY = "signing_passkey"
SIGNING_FRESH_SECONDS = 300  # long enough to type a BSrE passphrase, short enough for a desk left open


class SigningConfirmation(CompleteCredentialAuthenticationView):
    """The same ceremony as the sign-in one, for a signed-in staff member about to sign a document:
    instead of verifying the session (it already is), it remembers, for a few minutes and for the
    one page it was made on (``next``), that the signer just used their key. The signature reads it
    (``signing_confirmed``) and uses it up (``forget_signing_confirmation``): a session left open on a
    desk is not enough to sign."""

    def check_can_authenticate(self) -> None:
        if not is_staff_account(self.request.user):  # type: ignore[attr-defined]
            raise StaffOnly()

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
    """The package script's configuration with the signing endpoint and the page's own ``next`` field
    (the header's language form has one too, and the script takes the first)."""
    from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

    return get_configuration(request, {
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
    path("masuk/selesai/", CompleteCredentialAuthenticationView.as_view(), name="credential-authentication-complete"),
    path("tanda-tangan/selesai/", SigningConfirmation.as_view(), name="signing-confirmation-complete"),
    path("jsi18n/", _catalog, name="js-i18n-catalog"),
], "otp_webauthn")
