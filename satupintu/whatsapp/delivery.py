"""Delivery statuses from Meta's webhooks (sent, delivered, read, failed) on our messages, and
the e-mail a failed notification falls back to (once: the outbox's dedupe key)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from satupintu.notifications.outbox import outbox_enqueue
from satupintu.whatsapp.models import STATUS_RANK, DeliveryStatus, Message

log = logging.getLogger(__name__)


def mark_failed(message: Message, *, code: str, title: str) -> None:
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(status=DeliveryStatus.FAILED, error_code=code[:12],
                                                     error_title=title[:200], status_at=timezone.now())
        fallback = message.fallback or {}
        if fallback.get("to"):
            outbox_enqueue(channel="email", recipient=fallback["to"], subject=fallback.get("subject", ""),
                           body=fallback.get("body", ""), dedupe_key=f"wa-fallback:{message.pk}",
                           application_id=message.application_id)


def apply_status(status: dict[str, Any]) -> None:
    """One entry of ``value.statuses``. Unknown ids (another system's messages) are ignored;
    a status never goes back (a late 'delivered' after 'read')."""
    wamid, new = str(status.get("id", "")), str(status.get("status", ""))
    if new not in STATUS_RANK:
        log.info("whatsapp status %r ignored", new)
        return
    message = Message.objects.filter(wamid=wamid).first()
    if message is None:
        log.info("whatsapp status for an unknown message ignored")
        return
    if STATUS_RANK.get(message.status, -1) >= STATUS_RANK[new]:
        return
    try:
        at = datetime.fromtimestamp(int(status.get("timestamp", 0)), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        at = timezone.now()
    if new == "failed":
        error = (status.get("errors") or [{}])[0] or {}
        mark_failed(message, code=str(error.get("code", "")), title=str(error.get("title", "")))
        log.warning("whatsapp message %s failed at delivery: code %s", message.pk, error.get("code"))
        return
    Message.objects.filter(pk=message.pk).update(status=new, status_at=at)
