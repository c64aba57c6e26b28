"""Health endpoints for load balancers and orchestrators (no login, no personal data)."""

from __future__ import annotations

import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from satupintu.core.health import run_checks, verdict

log = logging.getLogger(__name__)


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """The process answers: restart it if this fails."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Database, migrations and storage: send traffic here only if they are fine (the broker's
    failure is reported, as "degraded", but the instance still serves: health.DEGRADED_ONLY)."""
    checks = run_checks()
    status = verdict(checks)
    ok = status != "unavailable"
    for name, check in checks.items():
        if not check["ok"]:
            # The reason goes to the log and to `satupintu check`; anyone may ask this page, and an
            # error's text names hosts, ports and database users.
            log.warning("readiness: %s failed: %s", name, check["detail"])
            check["detail"] = check["detail"].split(":", 1)[0]
    return JsonResponse({"status": status, "checks": checks}, status=200 if ok else 503)


# Headers a reverse proxy adds: with them, a loopback REMOTE_ADDR is the proxy speaking for
# someone outside, not a scraper on this machine.
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _metrics_allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip().encode(), token.encode()):
        return True
    if any(h in request.META for h in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text exposition, for a scraper on this machine or one holding METRICS_TOKEN."""
    if not _metrics_allowed(request):
        return HttpResponse("Akses metrik ditolak: hanya dari mesin ini atau dengan token metrik.\n",
                            status=403, content_type="text/plain; charset=utf-8")
    from prometheus_client import CONTENT_TYPE_LATEST

    from satupintu.core.metrics import render

    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent with a stale or missing token (a page left open overnight, a
    session that ended, cookies blocked). Django's own page is unstyled, ends with a note for
    developers and leaves the person no way back; the API answers its JSON."""
    from django.shortcuts import render

    from satupintu.core.request_guard import api_error, is_api

    if is_api(request.path) or request.path.startswith("/lapangan/api/"):
        return api_error("csrf_failed", 403)
    from urllib.parse import urlsplit

    from django.utils.http import url_has_allowed_host_and_scheme

    no_cookie = reason.startswith("CSRF cookie")  # django.middleware.csrf.REASON_NO_CSRF_COOKIE
    # Back to the page the form was on (this site's only), else to the address it was sent to.
    referer, back = request.META.get("HTTP_REFERER", ""), request.path
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        parts = urlsplit(referer)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
    if not back.startswith("/") or back.startswith(("//", "/\\")):  # "//host" and "/\host" leave the site
        back = "/"
    return render(request, "403_csrf.html", {"no_cookie": no_cookie, "back": back}, status=403)
