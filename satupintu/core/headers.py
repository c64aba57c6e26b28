"""Response headers the browser enforces: which powerful features a page may use, and that what
a signed-in person sees is kept by no cache.

The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY); this adds
the Permissions-Policy next to it and leaves every header a view set itself alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class PrivateAnswersMiddleware:
    """Every answer to a signed-in person (an officer's queue, a citizen's ID card scan, a
    complaint's attachment) is ``private, no-store`` unless its view said otherwise: a desk PC is
    shared and a proxy may sit in between (ASVS 8.2.1). Public pages keep their caching; the few
    public ones with someone's data (a tracking page after the phone proof) say so themselves.
    Placed after the authentication middleware; static files never reach it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
