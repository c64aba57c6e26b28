"""The webhook Meta calls: ``GET`` to verify the subscription, ``POST`` with events.

A POST is checked against ``X-Hub-Signature-256`` (HMAC-SHA256 of the raw body with the app
secret) before anything else; then it is stored as it came and handed to the worker, and Meta
gets 200 at once. If the broker is down the event waits in the table for the sweep (tasks.py).
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from satupintu.core.numbers import typed_int
from satupintu.whatsapp.models import WebhookEvent

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_BODY = 3 * 1024 * 1024  # Meta's payloads are small; a batch is well under this


def signature_for(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str) -> bool:
    secret = settings.WHATSAPP_APP_SECRET
    # As bytes: compare_digest refuses a str with non-ASCII characters (a forged header "sha256=é").
    return bool(secret) and hmac.compare_digest(signature_for(body, secret).encode(), (header or "").encode())


@csrf_exempt
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    header = request.headers.get(SIGNATURE_HEADER, "")
    if not header:
        log.warning("whatsapp webhook refused: no signature")
        return HttpResponse("missing signature", status=401, content_type="text/plain")
    length = typed_int(request.headers.get("Content-Length") or "0")
    if length is None:
        return HttpResponse("bad content length", status=400, content_type="text/plain")
    if length > MAX_BODY:
        log.warning("whatsapp webhook refused: body too large")
        return HttpResponse("too large", status=413, content_type="text/plain")
    body = request.body
    if not signature_valid(body, header):
        log.warning("whatsapp webhook refused: bad signature")
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    event = WebhookEvent.objects.create(body=body)
    transaction.on_commit(lambda: _kick(event.pk))
    return HttpResponse("ok", content_type="text/plain")


DRAIN_QUEUED = "whatsapp:drain-queued"


def _kick(event_id: int) -> None:
    """Wake the worker: one queued drain for any number of deliveries (a broker message per
    delivery was two thirds of the webhook's cost, bench/whatsapp.sh). The drain clears the flag
    when it starts, so an event stored after that queues the next one."""
    from django.core.cache import cache

    from satupintu.whatsapp.tasks import drain_events

    try:
        if not cache.add(DRAIN_QUEUED, event_id, timeout=60):
            return  # a drain is queued and has not started: it will find this event
        drain_events.delay()
    except Exception:  # broker (or cache) down: the sweep handles it when it is back
        log.warning("broker unavailable; whatsapp event %s waits for the sweep", event_id)
        try:
            cache.delete(DRAIN_QUEUED)
        except Exception:  # the cache is down too: the flag expires by itself
            pass


def _verify(request: HttpRequest) -> HttpResponse:
    token = settings.WHATSAPP_VERIFY_TOKEN
    if (request.GET.get("hub.mode") == "subscribe" and token
            and hmac.compare_digest(request.GET.get("hub.verify_token", "").encode(), token.encode())):
        return HttpResponse(request.GET.get("hub.challenge", "")[:200], content_type="text/plain")
    log.warning("whatsapp webhook verification refused")
    return HttpResponse("verification failed", status=403, content_type="text/plain")
