"""SMS channel: one outbox message is one text, posted to a generic HTTP SMS gateway.

Any gateway that takes an HTTP POST works: SMS_GATEWAY_URL is where we post,
SMS_GATEWAY_TOKEN goes in "Authorization: Bearer ...", and SMS_GATEWAY_BODY is the body with
{to} (E.164, "+62...") and {text} filled in (escaped for JSON or form encoding when the body is one). With no
gateway set, the message is only kept in the outbox (the demo shows it at /akun/kode-demo/).
429/5xx and network errors raise, so the outbox retries with backoff; any other refusal
cannot get better and fails the message at once.
"""

from __future__ import annotations

import json
from urllib.parse import quote_plus

import httpx
from django.conf import settings

from satupintu.notifications.channels import PermanentFailure
from satupintu.notifications.models import OutboxMessage

DEFAULT_BODY = '{"to": "{to}", "text": "{text}"}'


def render_body(template: str, *, to: str, text: str, content_type: str) -> str:
    def escape(value: str) -> str:
        if "json" in content_type:
            return json.dumps(value)[1:-1]
        if "x-www-form-urlencoded" in content_type:
            # "+62..." read back as " 62...", and an "&" in an office's name cut the text and could
            # add parameters (a second "to=").
            return quote_plus(value)
        return value

    return template.replace("{to}", escape(to)).replace("{text}", escape(text))


def send(message: OutboxMessage) -> None:
    url = settings.SMS_GATEWAY_URL
    if not url:
        return  # console/outbox mode: kept in the outbox, nothing leaves the machine
    content_type = settings.SMS_GATEWAY_CONTENT_TYPE
    headers = {"Content-Type": content_type}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    body = render_body(settings.SMS_GATEWAY_BODY or DEFAULT_BODY, to=message.recipient, text=message.body,
                       content_type=content_type)
    response = httpx.post(url, content=body.encode("utf-8"), headers=headers, timeout=settings.SMS_GATEWAY_TIMEOUT)
    if response.status_code == 429 or response.status_code >= 500:
        response.raise_for_status()
    if response.status_code >= 400:
        raise PermanentFailure(f"SMS gateway refused the message: HTTP {response.status_code}")
