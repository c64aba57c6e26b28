"""Which account an e-mail address names.

As with phone numbers (adapter.set_phone), an address nobody proved is nobody's. Anyone can sign up
at /akun/signup/ with a phone of their own and someone else's address; allauth stores it unproved
and, left alone, would send that address's owner a sign-in code or a password-reset link for the
stranger's account, and the owner, trusting our e-mail, would land in it and file their NIK there.

An account holds an address when it proved it: a verified allauth address, or, where allauth never
recorded the address, the account's own e-mail field (set by /daftar/, whose activation link is the
proof, or by an administrator for staff). An unverified allauth row says the address was only typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction


def proved(user: Any, email: str) -> bool:
    """Whether ``user`` has proved it holds ``email``."""
    rows = list(EmailAddress.objects.filter(user_id=user.pk, email__iexact=email).values_list("verified", flat=True))
    if rows:
        return any(rows)
    return (user.email or "").lower() == email.strip().lower()


def holders(users: Iterable[Any], email: str) -> list[Any]:
    """Of ``users`` (found by the address), those that proved it."""
    return [user for user in users if proved(user, email)]


def account_for(email: str) -> Any | None:
    """The active account a sign-in code for ``email`` is for: one that proved it, or none."""
    from allauth.account.internal.userkit import filter_users_by_email

    found = filter_users_by_email(email, is_active=True, prefer_verified=True, for_login=True)
    return next(iter(sorted(holders(found, email), key=lambda user: user.pk)), None)


@transaction.atomic
def release(email: str, *, keep_user_id: int | None) -> None:
    """``email`` was just proved (by ``keep_user_id``'s account, or by INApas for an account being
    made): accounts that only typed it lose it, so it names no one else from now on."""
    email = email.strip().lower()
    typed = EmailAddress.objects.filter(email__iexact=email, verified=False).exclude(user_id=keep_user_id)
    others = set(typed.values_list("user_id", flat=True))
    typed.delete()
    get_user_model().objects.filter(pk__in=others, email__iexact=email).update(email="")


def on_email_confirmed(sender: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    release(email_address.email, keep_user_id=email_address.user_id)
