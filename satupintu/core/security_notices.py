"""An e-mail to the account's owner when its sign-in changes (ASVS 2.2.3): a new password, a new
second-factor device. Whoever changed it may not be the owner (a password seen over a shoulder, a
first device enrolled by someone who had the password); the owner learns of it and can act.

Called from the places where the change is made: two_factor.confirm_device, the passkey
registration (passkeys.RegistrationComplete), the password reset at /masuk/atur-ulang/
(auth_views.PasswordResetConfirm) and allauth's password signals (accounts/apps.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from satupintu.core import clock
from satupintu.notifications.outbox import outbox_enqueue

PASSWORD = gettext_noop("Kata sandi akun Satu Pintu Anda diganti")
AUTHENTICATOR_APP = gettext_noop("Aplikasi autentikator ditambahkan ke akun Satu Pintu Anda sebagai faktor kedua")
PASSKEY = gettext_noop("Passkey atau kunci keamanan ditambahkan ke akun Satu Pintu Anda sebagai faktor kedua")


def notify_sign_in_change(user: Any, change: str) -> None:
    """Write to the account's address that ``change`` (one of the texts above) just happened.
    An account without an address (a phone-only citizen) is told nothing here: its sign-in is the
    phone's code, which no one changes without the phone."""
    if not getattr(user, "email", ""):
        return
    when = clock.shown(timezone.localtime(), "d-m-Y H.i")
    body = _("Yth. %(name)s,\n\n%(change)s pada %(when)s.\n\nJika ini Anda, abaikan email ini. Jika bukan, "
             "segera ganti kata sandi lewat %(reset)s, lalu hubungi administrator kantor (petugas) atau "
             "layanan pengaduan (warga).\n\nSatu Pintu Kemenag\n") % {
        "name": user.get_full_name() or user.get_username(), "change": _(change), "when": when,
        "reset": f"{settings.SITE_URL}/masuk/lupa/"}
    outbox_enqueue(channel="email", recipient=user.email, subject=_("Perubahan cara masuk akun Satu Pintu Anda"),
                   body=body, dedupe_key=f"sign-in-change:{uuid.uuid4().hex}")


def on_password_changed(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """allauth's password_changed / password_set / password_reset signals."""
    if user is not None:
        notify_sign_in_change(user, PASSWORD)
