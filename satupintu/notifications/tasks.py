from celery import shared_task

from satupintu.notifications import outbox


@shared_task(acks_late=True)
def deliver_message(message_id: int) -> bool:
    return outbox.outbox_deliver(message_id)


@shared_task
def outbox_flush() -> int:
    return outbox.outbox_flush()
