"""When the database is away (restarting, failing over, unreachable), say so clearly and fast.

Django calls ``handler500`` inside the except block of any uncaught exception, so
``sys.exc_info()`` tells us whether the cause was the database. Those requests get a 503
with ``Retry-After`` (pages: a plain page that needs no database; API: the usual JSON error
with a stable code) instead of a 500; every other error keeps Django's 500. Nothing is half
saved: writes run in transactions, which the database rolls back when the connection drops.
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

from satupintu.core import request_guard

log = logging.getLogger("satupintu.outage")

RETRY_AFTER_SECONDS = 30
OUTAGE_CODE = "service_unavailable"
OUTAGE_MESSAGE = "Layanan sedang tidak tersedia sebentar (basis data tidak terjangkau). Silakan coba lagi beberapa saat lagi."


def is_database_outage(exc: BaseException | None) -> bool:
    """A lost or refused connection, not a bad query: OperationalError/InterfaceError, also
    when wrapped in another exception."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        if isinstance(exc, DatabaseError) and "connection" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def outage_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"code": OUTAGE_CODE, "message": gettext(OUTAGE_MESSAGE)}, status=503)
    else:
        # Rendered without the request: context processors would ask the database for the user.
        # A page that was only being read reloads itself; a form that was being sent does not
        # (a reload would lose what was typed): the person is told to go back and send again.
        response = HttpResponse(render_to_string("503.html", {
            "message": gettext(OUTAGE_MESSAGE), "reload": request.method in ("GET", "HEAD"),
            "retry_after": RETRY_AFTER_SECONDS,
            "path": "/" + request.get_full_path().lstrip("/") if request.method == "GET" else "",  # never //host
        }), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if is_database_outage(exc):
        log.warning("database unavailable: %s %s -> 503 (%s)", request.method, request.path, type(exc).__name__)
        return outage_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "internal_error", "message": request_guard.message("internal_error")}, status=500)
    return HttpResponseServerError(render_to_string("500.html"))
