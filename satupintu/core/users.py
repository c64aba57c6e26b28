"""The signed-in user of a back-office view, typed as such.

``request.user`` is ``User | AnonymousUser``; a view that has already turned anonymous
visitors away (``access.staff_required``) reads the account through ``signed_in_user``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


def signed_in_user(request: HttpRequest) -> User:
    """``request.user`` once the view has checked the login; a 403, never an anonymous user, if it has not."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied(gettext("Halaman ini hanya untuk pengguna yang sudah masuk."))
    return user
