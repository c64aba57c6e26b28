"""Sign-in throttling (django-axes) for every web sign-in: /masuk/, /admin/login/, password forms.

A sign-in from code (a shell, a management command, the test client's ``login``) has no
request and no address to throttle; it is left to the next backend instead of failing.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class ThrottledBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,  # type: ignore[override]
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def client_ip(request: HttpRequest) -> str:
    """The address django-axes throttles: the same client address as every other limit
    (core/ratelimit.py: X-Forwarded-For believed only from TRUSTED_PROXIES)."""
    from satupintu.core.ratelimit import client_ip as trusted_client_ip

    return trusted_client_ip(request)


def client_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account an attempt names, which django-axes counts failures against: the username on
    /masuk/ and /admin/, the e-mail address or phone number on the citizens' /akun/login/ (allauth
    passes those, not a username). Without it axes counted every citizen's wrong password against
    the address alone, and one phone behind a carrier's shared address locked out everyone there."""
    for key in ("username", "email", "phone"):
        value = (credentials or {}).get(key)
        if value:
            return _throttle_key(value)
    posted = getattr(request, "POST", None) or {}
    value = posted.get("username") or posted.get("login")
    return _throttle_key(value) if value else None


def _throttle_key(value: object) -> str:
    """What was typed, as axes stores it. Cut to its username column (255; the sign-in box takes
    any length): a longer one was refused by PostgreSQL, a 500 instead of "wrong password". Only a
    counting key, never an account's name: two logins alike in their first 255 characters share a
    count, and the typist of a 300-character login is still throttled."""
    from axes.models import AccessAttempt

    limit = AccessAttempt._meta.get_field("username").max_length or 255
    return str(value).strip().lower()[:limit]
