"""Webhook channel: one outbox message is one integrations.WebhookDelivery POSTed to its
endpoint, signed per Standard Webhooks (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``; the ``standardwebhooks`` package signs).

The connection goes through core.netguard's guarded client, so an endpoint whose name now
resolves into the intranet is refused at delivery as it was when saved. A 2xx is delivered;
anything else raises and the outbox retries with backoff. Each failure counts against the
endpoint: after WEBHOOK_DISABLE_AFTER_FAILURES in a row, or failing for
WEBHOOK_DISABLE_AFTER_HOURS, the endpoint is disabled (logged) and the message given up.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from satupintu.notifications.channels import PermanentFailure
from satupintu.notifications.models import OutboxMessage

log = logging.getLogger(__name__)

USER_AGENT = "SatuPintu-Webhooks/1"
SNIPPET = 500


class DeliveryFailed(Exception):
    """The receiver did not take the message (non-2xx or no answer): retried."""


def signed_headers(secret: str, event_id: str, body: str, at: datetime | None = None) -> dict[str, str]:
    from standardwebhooks import Webhook

    at = at or datetime.now(UTC)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(event_id, at, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def send(message: OutboxMessage) -> None:
    from satupintu.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=int(message.recipient)).first()
    if delivery is None:
        raise PermanentFailure("the webhook endpoint was removed")
    endpoint = delivery.endpoint
    if not endpoint.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED,
                                                              error="endpoint disabled")
        raise PermanentFailure("the webhook endpoint is disabled")
    now = timezone.now()
    status_code: int | None = None
    snippet = error = ""
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))
    from satupintu.core.netguard import secret_client, without_own_loopback
    from satupintu.integrations.webhooks import plain_http_allowed

    if not plain_http_allowed(endpoint.url):  # saved before https was required, or its network was closed since
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, error="https required")
        raise PermanentFailure("the webhook endpoint is not https")
    try:
        with without_own_loopback(), secret_client(endpoint.url, timeout=timeout, follow_redirects=False) as client:
            with client.stream("POST", endpoint.url, content=message.body.encode(),
                               headers=signed_headers(endpoint.secret, delivery.event_id, message.body)) as response:
                status_code, snippet = response.status_code, _head(response, deadline=time.monotonic() + timeout)
    except Exception as exc:  # refused by the guard, unreachable, timed out: a failure like a 500
        error = type(exc).__name__
    ok = status_code is not None and 200 <= status_code < 300
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1, attempted_at=now, status_code=status_code, response_snippet=snippet,
        error=error, status=DeliveryStatus.DELIVERED if ok else DeliveryStatus.FAILING,
        delivered_at=now if ok else None,
    )
    if ok:
        if endpoint.failure_count or endpoint.failing_since:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_count=0, failing_since=None)
        return
    _count_failure(endpoint, now)
    endpoint.refresh_from_db(fields=["active"])
    from satupintu.notifications.outbox import MAX_ATTEMPTS

    if not endpoint.active or message.attempts >= MAX_ATTEMPTS:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
        raise PermanentFailure(f"webhook gave up: {status_code or error}")
    raise DeliveryFailed(f"webhook answered {status_code}" if status_code is not None else error)


def _head(response, *, deadline: float) -> str:  # type: ignore[no-untyped-def]
    """The start of the receiver's answer, for the delivery log: at most a few KB read, and no longer
    than the timeout in all (httpx's timeout is per read: a receiver trickling a huge body would hold
    the worker and its memory)."""
    head = b""
    for chunk in response.iter_bytes():
        head += chunk
        if len(head) >= 4 * SNIPPET or time.monotonic() > deadline:
            break
    # Without NUL: any receiver may answer one and PostgreSQL refuses it in text; the delivery went
    # unrecorded and a message the receiver had taken was sent again at each retry.
    return head.decode(response.encoding or "utf-8", errors="replace").replace("\x00", "")[:SNIPPET]


def _count_failure(endpoint, now: datetime) -> None:  # type: ignore[no-untyped-def]
    from satupintu.integrations.models import WebhookEndpoint

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_count=F("failure_count") + 1)
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    endpoint.refresh_from_db(fields=["failure_count", "failing_since"])
    limit = int(getattr(settings, "WEBHOOK_DISABLE_AFTER_FAILURES", 20))
    hours = float(getattr(settings, "WEBHOOK_DISABLE_AFTER_HOURS", 24))
    too_many = endpoint.failure_count >= limit
    too_long = endpoint.failing_since is not None and now - endpoint.failing_since >= timedelta(hours=hours)
    if too_many or too_long:
        reason = f"{endpoint.failure_count} failures in a row" if too_many else f"failing for {hours:g} hours"
        if WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
                active=False, disabled_at=now, disabled_reason=reason):
            log.warning("webhook endpoint %s disabled: %s", endpoint.pk, reason)
