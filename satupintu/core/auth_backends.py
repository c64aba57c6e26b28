"""Sign-in throttling (django-axes) for every web sign-in: /masuk/, /admin/login/, password forms.

A sign-in from code (a shell, a management command, the test client's ``login``) has no
request and no address to throttle; it is left to the next backend instead of failing.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class ThrottledBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,  # type: ignore[override]
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def client_ip(request: HttpRequest) -> str:
    """The address to throttle: REMOTE_ADDR, or behind our TLS proxy (BEHIND_TLS_PROXY) the
    address that proxy appended last to X-Forwarded-For. Earlier entries are the client's own
    words, so a client cannot pick a fresh address for every guess."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return remote
