"""Write messages to the outbox with their cause; deliver them once, retrying on failure.

Guarantees: a message is saved in the same transaction as the change that caused it, so
a crash loses nothing; a message is claimed by one worker at a time (a conditional UPDATE)
and marked sent right after the channel accepts it, so it is not sent twice. The broker
only speeds delivery up: the scheduler's flush finds anything the broker never carried.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from satupintu.notifications.channels.registry import sender_for
from satupintu.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=5)


def outbox_enqueue(
    *, channel: str, recipient: str, subject: str, body: str, dedupe_key: str, application_id: int | None = None,
    attachment: tuple[str, bytes, str] | None = None,
) -> OutboxMessage | None:
    """Record a message; call inside the transaction of its cause. None if already recorded."""
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel,
                recipient=recipient,
                subject=subject[:250],
                body=body,
                dedupe_key=dedupe_key,
                next_attempt_at=timezone.now(),
                application_id=application_id,
                attachment_name=attachment[0] if attachment else "",
                attachment=attachment[1] if attachment else None,
                attachment_type=attachment[2] if attachment else "",
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _kick(message.pk))
    return message


def _kick(message_id: int) -> None:
    # Imported here: tasks import this module.
    from satupintu.notifications.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:  # broker down: the periodic flush will deliver it
        log.warning("broker unavailable; outbox message %s waits for the flush", message_id)


def _claim(message_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_until__lt=now
    )
    return bool(
        OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxStatus.SENDING, claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1
        )
    )


def outbox_deliver(message_id: int) -> bool:
    """Send one message if it is due and nobody else holds it. True if it was sent now."""
    if not _claim(message_id):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        sender_for(message.channel)(message)
    except Exception as exc:  # any channel failure is retried with backoff
        failed = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=30 * 2 ** min(message.attempts, 10)),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_until=None,
        )
        log.warning("outbox message %s failed (attempt %s): %s", message_id, message.attempts, exc)
        return False
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def outbox_due_ids(limit: int = 200) -> list[int]:
    now = timezone.now()
    due = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_until__lt=now
    )
    return list(OutboxMessage.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def outbox_flush(limit: int = 200) -> int:
    """Deliver everything that is due; return how many were sent."""
    return sum(outbox_deliver(pk) for pk in outbox_due_ids(limit))
