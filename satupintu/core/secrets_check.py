"""Are the secrets of this configuration fit for production? Part of `satupintu check`.

Readiness (/health/ready) does not look at this: a weak key is a reason not to deploy, not a
reason to take a running instance out of the load balancer.
"""

from __future__ import annotations

import os

from django.conf import settings

PLACEHOLDERS = ("CHANGE-ME", "changeme", "django-insecure")
HSTS_MIN_SECONDS = 15_552_000  # 180 days, ASVS 14.4.5's example (the example environment sets a year)


def _weak(key: str) -> str:
    if len(key) < 50 or len(set(key)) < 5:
        return "SECRET_KEY terlalu pendek atau terlalu seragam (minimal 50 karakter acak)"
    if any(p.lower() in key.lower() for p in PLACEHOLDERS):
        return "SECRET_KEY masih berisi contoh ('CHANGE-ME'/'django-insecure')"
    return ""


def secrets_check(deploy: bool) -> tuple[bool, str]:
    """(ok, detail). With ``deploy``: the key must be set by the operator, not generated."""
    problems = []
    weak = _weak(settings.SECRET_KEY)
    if weak:
        problems.append(weak)
    from_env = bool(os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"))
    if deploy and not from_env:
        # The generated key lives in one machine's data dir: several web machines would each
        # sign sessions and receipt links with a different key.
        problems.append("SECRET_KEY atau SECRET_KEY_FILE wajib diatur untuk produksi (kunci acak di folder data "
                        "hanya untuk satu mesin)")
    database_url = os.environ.get("DATABASE_URL", "")
    if any(p in database_url for p in PLACEHOLDERS):
        problems.append("DATABASE_URL masih berisi kata sandi contoh 'CHANGE-ME'")
    if getattr(settings, "EMAIL_HOST_USER", "") and not getattr(settings, "EMAIL_HOST_PASSWORD", ""):
        problems.append("EMAIL_HOST_USER diisi tetapi EMAIL_HOST_PASSWORD kosong")
    if deploy and getattr(settings, "WHATSAPP_SIMULATOR", False):
        # Anyone on the simulator page can pose as any phone number (and see its applications).
        problems.append("WHATSAPP_SIMULATOR harus mati di produksi (WHATSAPP_SIMULATOR=0)")
    if deploy and getattr(settings, "SIGN_IN_DEMO_CODES", False):
        # /akun/kode-demo/ shows every sign-in and claim code texted: anyone could take any number.
        problems.append("SIGN_IN_DEMO_CODES harus mati di produksi (SIGN_IN_DEMO_CODES=0)")
    if deploy and getattr(settings, "BRIDGE_SIMULATOR", False):
        # It lets outbound requests through to this server's own loopback port.
        problems.append("BRIDGE_SIMULATOR harus mati di produksi (BRIDGE_SIMULATOR=0)")
    if deploy and settings.DEBUG:
        # Django's debug page shows the request (its form fields: NIKs, phone numbers) and settings.
        problems.append("DEBUG harus mati di produksi (DEBUG=false)")
    if deploy and not settings.SESSION_COOKIE_SECURE:
        problems.append("SECURE_COOKIES harus hidup di produksi (sesi dan CSRF hanya lewat HTTPS)")
    if deploy and settings.SECURE_HSTS_SECONDS < HSTS_MIN_SECONDS:
        # Without it a first visit over plain HTTP (a typed address, an old link) can be intercepted.
        problems.append(f"SECURE_HSTS_SECONDS minimal {HSTS_MIN_SECONDS} (180 hari) di produksi: peramban hanya "
                        "memakai HTTPS untuk situs ini")
    if deploy and "*" in settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS tidak boleh '*' di produksi (nama situs yang sebenarnya)")
    issuer = getattr(settings, "OIDC_ISSUER", "")
    if deploy and issuer and not issuer.lower().startswith("https://"):
        # The ID token comes straight from the token endpoint and its signature is not checked (the
        # OpenID Connect rule for that case): only TLS stands between INApas and a forged identity.
        problems.append("OIDC_ISSUER harus https di produksi (identitas INApas hanya dilindungi TLS)")
    if getattr(settings, "WHATSAPP_ACCESS_TOKEN", "") and not getattr(settings, "WHATSAPP_APP_SECRET", ""):
        problems.append("WHATSAPP_ACCESS_TOKEN diisi tetapi WHATSAPP_APP_SECRET kosong: webhook tidak dapat diperiksa")
    if problems:
        return False, "; ".join(problems)
    return True, "diatur oleh operator" if from_env else "kunci acak di folder data (cukup untuk satu mesin)"
