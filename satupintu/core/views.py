"""Health endpoints for load balancers and orchestrators (no login, no personal data)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from satupintu.core.health import run_checks


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """The process answers: restart it if this fails."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Database, migrations, broker and storage: send traffic here only if all are fine."""
    checks = run_checks()
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
