"""Optional citizen accounts, opened by e-mail: the answer never tells whether one exists.

Whatever is typed, the page says "check your e-mail". The mailbox owner then gets either a
link that opens the new account, or, if the address already has an account, a note with the
sign-in and password-reset links. Only the mailbox owner learns which. The e-mail address is
the sign-in name, so there are no usernames to guess either (staff usernames included).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from satupintu.accounts import emails
from satupintu.core.errors import DomainError
from satupintu.notifications.outbox import outbox_enqueue

ACTIVATE_PATH = "/daftar/aktifkan/"


def _pending_signup(user) -> bool:  # type: ignore[no-untyped-def]
    """An account this page opened and nobody has used yet: off, named by its own address, never
    signed in, no staff account. Only such an account is replaced by a new sign-up and switched on
    by a link. Any other account that is off was switched off (staff who left, an account an
    administrator closed): signing up again must never switch it back on."""
    from satupintu.organization.models import StaffRole

    return (not user.is_active and user.last_login is None and not user.is_staff and not user.is_superuser
            and user.username.lower() == (user.email or "").lower()
            and not StaffRole.objects.filter(user=user).exists())


def _mail(email: str, subject: str, body: str) -> None:
    outbox_enqueue(channel="email", recipient=email, subject=subject, body=body,
                   dedupe_key=f"account:{uuid.uuid4().hex}")


@transaction.atomic
def signup_request(*, name: str, email: str, password: str) -> None:
    """Record a sign-up and send the one e-mail it calls for; the same outcome for the caller
    whether or not the address is taken. ``password`` has passed the validators already."""
    users = get_user_model()
    email = email.strip().lower()
    hashed = make_password(password)  # in every branch, so the answer takes as long
    # An account that only typed this address at /akun/signup/ does not hold it (accounts/emails.py).
    existing = next(iter(emails.holders(users.objects.filter(email__iexact=email).order_by("-is_active", "pk"), email)),
                    None) or users.objects.filter(username__iexact=email).first()
    if existing is not None and (existing.username.lower() != email or not _pending_signup(existing)):
        # In the language of the page the sign-up came from (the request's, active here).
        _mail(email, _("Akun Satu Pintu Anda sudah ada"), _(
            "Yth. %(name)s,\n\nAda permintaan membuat akun Satu Pintu dengan email ini, tetapi email ini sudah "
            "memiliki akun. Akun tidak dibuat ulang.\n\nMasuk: %(site)s/masuk/\nLupa kata sandi: %(site)s/masuk/lupa/"
            "\n\nJika bukan Anda yang meminta, abaikan email ini.\n\nSatu Pintu Kemenag\n")
            % {"name": existing.first_name or email, "site": settings.SITE_URL})
        return
    if existing is None:
        existing = users(username=email, email=email, is_active=False)
    # A sign-up never confirmed is replaced: whoever typed this address before cannot hold it.
    existing.first_name = name.strip()[:150]
    existing.password = hashed
    existing.save()
    uid = urlsafe_base64_encode(force_bytes(existing.pk))
    token = default_token_generator.make_token(existing)
    _mail(email, _("Aktifkan akun Satu Pintu Anda"), _(
        "Yth. %(name)s,\n\nBuka tautan ini untuk mengaktifkan akun Satu Pintu Anda:\n\n%(link)s\n\n"
        "Setelah aktif, masuk dengan email ini dan kata sandi yang Anda pilih.\n"
        "Jika bukan Anda yang mendaftar, abaikan email ini: akun tidak akan aktif.\n\nSatu Pintu Kemenag\n")
        % {"name": existing.first_name, "link": f"{settings.SITE_URL}{ACTIVATE_PATH}{uid}/{token}/"})

def activate(uidb64: str, token: str):  # type: ignore[no-untyped-def]
    """The account the link opens; a link that was used, expired or altered is refused."""
    users = get_user_model()
    try:
        user = users.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=False)
    except (ValueError, TypeError, OverflowError, users.DoesNotExist):
        user = None
    # A link made while the sign-up was pending opens nothing once the account became staff.
    if user is None or not _pending_signup(user) or not default_token_generator.check_token(user, token):
        raise DomainError("invalid_link", "Tautan aktivasi tidak berlaku lagi (sudah dipakai atau kedaluwarsa). "
                          "Daftar lagi untuk mendapat tautan baru.", status=400)
    user.is_active = True
    user.save(update_fields=["is_active"])
    emails.release(user.email, keep_user_id=user.pk)  # the link proved the address
    return user
