"""The channels a message can go out on."""

from __future__ import annotations

from collections.abc import Callable

from satupintu.notifications.channels import email, sms, webhook, whatsapp
from satupintu.notifications.models import OutboxMessage

Sender = Callable[[OutboxMessage], None]

CHANNELS: dict[str, Sender] = {"email": email.send, "whatsapp": whatsapp.send, "webhook": webhook.send,
                              "sms": sms.send}


def sender_for(channel: str) -> Sender:
    try:
        return CHANNELS[channel]
    except KeyError as exc:
        raise LookupError(f"unknown channel {channel!r}") from exc
