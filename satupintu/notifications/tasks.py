from celery import shared_task

from satupintu.notifications import outbox


@shared_task(bind=True, acks_late=True, max_retries=3)
def deliver_message(self, message_id: int) -> bool:  # type: ignore[no-untyped-def]
    if outbox.outbox_deliver(message_id):
        return True
    # Redelivered while a claim is held (a pool process was killed mid-send and the broker gave
    # the task back at once): come back when that claim runs out instead of waiting for the
    # flush. A live sender renews its claim, so this finds the message sent and stops.
    wait = outbox.claim_wait_seconds(message_id)
    if wait is not None and not self.request.is_eager:
        raise self.retry(countdown=wait + 1)
    return False


@shared_task
def outbox_flush() -> int:
    return outbox.outbox_flush()
