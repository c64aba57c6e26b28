"""Write messages to the outbox with their cause; deliver them once, retrying on failure.

Guarantees: a message is saved in the same transaction as the change that caused it, so
a crash loses nothing; a message is claimed by one worker at a time (a conditional UPDATE)
and marked sent right after the channel accepts it. The broker only speeds delivery up:
the scheduler's flush finds anything the broker never carried.

A claim is a lease (``OUTBOX_CLAIM_LEASE_SECONDS``, default 60 s) that the sending worker
renews while the channel is busy (every third of the lease), so a slow SMTP server never
makes a second worker send the same message, while a worker killed mid-send (kill -9, OOM,
power) stops renewing and its message is free again one lease later: the flush, or the
redelivered task (tasks.py), sends it then. The value of ``claimed_until`` is the claim's
token: a renewal only succeeds while it is still ours.

The one window left: a worker that dies after the channel accepted the message but before
the row is marked sent. The message is then sent again, with the same Message-ID
(channels/email.py), so mail systems and our fake server in tests see one message. That is
at-least-once delivery, made idempotent by the id; see tests/faults/test_worker_kill.py.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from satupintu.notifications.channels import NotYourTurn, PermanentFailure
from satupintu.notifications.channels.registry import sender_for
from satupintu.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
DEFAULT_CLAIM_LEASE_SECONDS = 60


def claim_lease() -> timedelta:
    """How long a claim holds without renewal (settings.OUTBOX_CLAIM_LEASE_SECONDS)."""
    seconds = getattr(settings, "OUTBOX_CLAIM_LEASE_SECONDS", DEFAULT_CLAIM_LEASE_SECONDS)
    return timedelta(seconds=max(2, int(seconds)))


# Messages to public reporters carry this dedupe-key prefix. Their address may be an anonymous
# reporter's, and the subject and tracking link name the report: the admin hides all three.
REPORTER_KEY_PREFIX = "report-event:"


def is_for_reporter(message: OutboxMessage) -> bool:
    return message.dedupe_key.startswith(REPORTER_KEY_PREFIX)


# Messages whose body opens an account or a person's records by itself: a sign-in or claim code,
# a password-reset, activation or confirmation link (allauth's mails). Their keys' prefixes.
CREDENTIAL_KEY_PREFIXES = ("sign-in:", "claim:", "password-reset:", "allauth:", "account:")


def carries_credential(message: OutboxMessage) -> bool:
    return message.dedupe_key.startswith(CREDENTIAL_KEY_PREFIXES)


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


def _kick_later(message_id: int, seconds: float) -> None:
    """Try the message again in ``seconds`` (the periodic flush catches it if the broker is away).
    Not when tasks run eagerly (tests): it would run at once, before its turn, again and again."""
    from satupintu.notifications.tasks import deliver_message

    if deliver_message.app.conf.task_always_eager:
        return
    try:
        deliver_message.apply_async((message_id,), countdown=seconds)
    except Exception:
        log.warning("broker unavailable; outbox message %s waits for the flush", message_id)


def _claim(message_id: int) -> datetime | None:
    """Take the message if it is due and nobody holds it; the lease end is the claim's token."""
    now = timezone.now()
    until = now + claim_lease()
    claimable = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_until__lt=now
    )
    taken = OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=OutboxStatus.SENDING, claimed_until=until, attempts=F("attempts") + 1
    )
    return until if taken else None


class _Renewal:
    """Keeps our claim alive while the channel works; stops when told or when the claim is lost."""

    def __init__(self, message_id: int, token: datetime):
        self.message_id, self.token = message_id, token
        self.lease = claim_lease()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"outbox-lease-{message_id}", daemon=True)

    def __enter__(self) -> _Renewal:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.lease.total_seconds() / 3):
                until = timezone.now() + self.lease
                try:
                    renewed = OutboxMessage.objects.filter(
                        pk=self.message_id, status=OutboxStatus.SENDING, claimed_until=self.token
                    ).update(claimed_until=until)
                except Exception as exc:  # database away a moment: try again at the next turn
                    log.warning("outbox message %s: could not renew the claim: %s", self.message_id,
                                type(exc).__name__)
                    connection.close()
                    continue
                if not renewed:
                    log.warning("outbox message %s: claim lost while sending", self.message_id)
                    return
                self.token = until
        finally:
            connection.close()  # this thread's own connection


def outbox_deliver(message_id: int) -> bool:
    """Send one message if it is due and nobody else holds it. True if it was sent now."""
    token = _claim(message_id)
    if token is None:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    renewal = _Renewal(message_id, token)
    try:
        with renewal:
            sender_for(message.channel)(message)
    except NotYourTurn as wait:  # not a failure: back in the queue, the attempt not counted
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING, claimed_until=renewal.token).update(
            status=OutboxStatus.PENDING, next_attempt_at=timezone.now() + timedelta(seconds=wait.seconds),
            attempts=F("attempts") - 1, claimed_until=None)
        _kick_later(message_id, wait.seconds)
        return False
    except Exception as exc:  # any channel failure is retried with backoff, unless it is permanent
        failed = message.attempts >= MAX_ATTEMPTS or isinstance(exc, PermanentFailure)
        # Only while the claim is still ours: if it ran out and another worker sent the message
        # meanwhile, putting it back to pending would send it twice.
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING, claimed_until=renewal.token).update(
            status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=30 * 2 ** min(message.attempts, 10)),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_until=None,
        )
        # Only the exception's type: its text can carry the recipient's address (personal data).
        log.warning("outbox message %s failed (attempt %s): %s", message_id, message.attempts, type(exc).__name__)
        return False
    # Marked sent even if our claim was lost meanwhile: the channel took the message.
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def claim_wait_seconds(message_id: int) -> float | None:
    """Seconds until another worker's claim on the message runs out; None if nobody holds it."""
    until = (
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING)
        .values_list("claimed_until", flat=True)
        .first()
    )
    if until is None:
        return None
    return max(0.0, (until - timezone.now()).total_seconds())


def outbox_due_ids(limit: int = 200) -> list[int]:
    now = timezone.now()
    due = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_until__lt=now
    )
    return list(OutboxMessage.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def outbox_flush(limit: int = 200) -> int:
    """Deliver everything that is due; return how many were sent."""
    return sum(outbox_deliver(pk) for pk in outbox_due_ids(limit))
