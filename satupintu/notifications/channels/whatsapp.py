"""WhatsApp channel: one outbox message is one whatsapp.Message sent through the Graph API, in
the order they were written to each person (``NotYourTurn``).

A message already holding its ``wamid`` was sent (a retry after a crash): nothing is sent
again. 429/5xx and network errors raise, so the outbox retries with backoff; a refusal that
cannot get better (131047 outside the window, a bad number) marks the message failed at once
and, for a notification, sends its e-mail instead.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from django.utils import timezone

from satupintu.notifications.channels import NotYourTurn, PermanentFailure
from satupintu.notifications.models import OutboxMessage

log = logging.getLogger(__name__)

# A chat is read in order, and each message is its own task: two workers sent "Ada lagi yang bisa
# kami bantu?" before the answer it follows. A message waits while an earlier one to the same
# person from the same number is still queued, but not for ever: one stuck longer than this (its
# outbox message failed without a word back) no longer holds the conversation up.
TURN_WAIT_SECONDS = 1.0
TURN_HELD_AT_MOST = timedelta(minutes=5)


def _earlier_still_queued(message: Any) -> bool:
    from satupintu.whatsapp.models import DeliveryStatus, Direction, Message

    return Message.objects.filter(
        number_id=message.number_id, wa_id=message.wa_id, direction=Direction.OUT, status=DeliveryStatus.QUEUED,
        wamid__isnull=True, pk__lt=message.pk, created_at__gte=message.created_at - TURN_HELD_AT_MOST,
    ).exists()


def send(outbox_message: OutboxMessage) -> None:
    from satupintu.notifications.outbox import MAX_ATTEMPTS
    from satupintu.whatsapp import delivery, graph
    from satupintu.whatsapp.models import DeliveryStatus, Message

    message = Message.objects.select_related("number").get(pk=json.loads(outbox_message.body)["message"])
    if message.wamid:
        return
    if _earlier_still_queued(message):
        raise NotYourTurn(TURN_WAIT_SECONDS)
    body = dict(message.payload)
    try:
        if message.kind == "document" and "id" not in body.get("document", {}):
            with message.media.open("rb") as handle:
                media_id = graph.upload_media(message.number.phone_number_id, content=handle.read(),
                                              mime_type=message.media_type, filename=body["document"]["filename"])
            body["document"] = {**body["document"], "id": media_id}
        wamid = graph.send_message(message.number.phone_number_id, body)
    except graph.GraphError as exc:
        if exc.retry and outbox_message.attempts < MAX_ATTEMPTS:
            raise
        # Refused for good, or the last try: failed now, so the timeline says so and the e-mail
        # goes instead (left "queued", the applicant heard nothing).
        log.warning("whatsapp message %s refused: code %s", message.pk, exc.code)
        delivery.mark_failed(message, code=str(exc.code), title=exc.title)
        raise PermanentFailure(str(exc)) from exc
    Message.objects.filter(pk=message.pk).update(wamid=wamid, status=DeliveryStatus.SENT, status_at=timezone.now(),
                                                 payload=body)
