"""The staff second factor: a TOTP authenticator app (django-otp) or a passkey / security key
(WebAuthn, django-otp-webauthn: core/passkeys.py), enrolled by the staff member. Either one
verifies the session.

An account that already has a confirmed device can only add or replace one after passing the
second factor in this session: a stolen password alone never enrols the thief's phone or key.
"""

from __future__ import annotations

import base64
import io
from base64 import b32encode
from typing import Any

from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image
from django_otp_webauthn.models import WebAuthnCredential

from satupintu.core import security_notices
from satupintu.core.errors import DomainError

DEVICE_NAME = "Aplikasi autentikator"


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (the same secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def has_totp(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_passkey(user: Any) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def passkeys(user: Any) -> list[WebAuthnCredential]:
    """The staff member's registered passkeys and security keys, oldest first."""
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def may_enrol(request: HttpRequest) -> bool:
    return not user_has_device(request.user) or bool(request.user.is_verified())  # type: ignore[union-attr]


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, drawn here (no outside service sees the secret)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in the groups of four an app's "enter key manually" screen expects."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def _clean(token: str) -> str:
    token = "".join(token.split())
    if not (token.isascii() and token.isdigit()) or len(token) != 6:
        raise DomainError("invalid_otp", "Kode terdiri dari 6 angka dari aplikasi autentikator.", field="token")
    return token


def confirm_device(request: HttpRequest, device: TOTPDevice, token: str) -> None:
    """The first right code confirms the device and verifies this session; older devices go."""
    if not device.verify_token(_clean(token)):
        raise DomainError("invalid_otp", "Kode salah atau kedaluwarsa. Coba kode yang baru.", field="token")
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    verified(request, device)
    security_notices.notify_sign_in_change(device.user, security_notices.AUTHENTICATOR_APP)


def verify_session(request: HttpRequest, token: str) -> None:
    """Six digits from a confirmed device make this session verified (django-otp throttles guesses)."""
    device = match_token(request.user, _clean(token))
    if device is None:
        raise DomainError("invalid_otp", "Kode salah atau kedaluwarsa. Coba kode yang baru.", field="token")
    verified(request, device)


def verified(request: HttpRequest, device: Any) -> None:
    """The session passed its second factor: a new session key, as at the password (ASVS 3.2.1), so
    a key seen before this step (a shared computer, a fixation) is not a verified session."""
    otp_login(request, device)
    request.session.cycle_key()
