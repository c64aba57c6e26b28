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


def _below(status: str) -> list[str]:
    """The statuses a message may move on to ``status`` from."""
    return [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]


def mark_failed(message: Message, *, code: str, title: str) -> bool:
    """False if it had failed already (then nothing more is done)."""
    with transaction.atomic():
        if not Message.objects.filter(pk=message.pk, status__in=_below("failed")).update(
                status=DeliveryStatus.FAILED, error_code=code[:12], error_title=title[:200], status_at=timezone.now()):
            return False
        fallback = message.fallback or {}
        if fallback.get("to"):
            outbox_enqueue(channel="email", recipient=fallback["to"], subject=fallback.get("subject", ""),
                           body=fallback.get("body", ""), dedupe_key=f"wa-fallback:{message.pk}",
                           application_id=message.application_id)
    return True


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
        if mark_failed(message, code=str(error.get("code", "")), title=str(error.get("title", ""))):
            log.warning("whatsapp message %s failed at delivery: code %s", message.pk, error.get("code"))
        return
    # On the row as it is now: another worker may have stored a later status since it was read above
    # (Meta sends 'delivered' and 'read' close together, in separate webhooks).
    Message.objects.filter(pk=message.pk, status__in=_below(new)).update(status=new, status_at=at)
