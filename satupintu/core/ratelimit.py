"""A counter per key in the shared cache: how often something happened in the current window."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from satupintu.core.auth_backends import client_ip


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def account_mail_allowed(request: HttpRequest) -> bool:
    """Sign-ups and password resets both send e-mail: at most ACCOUNT_MAIL_LIMIT_PER_HOUR an
    hour from one address, so nobody floods a mailbox or probes accounts by the thousand."""
    limit = int(getattr(settings, "ACCOUNT_MAIL_LIMIT_PER_HOUR", 5))
    return _count(f"account-mail:{client_ip(request)}", 3600) <= limit
