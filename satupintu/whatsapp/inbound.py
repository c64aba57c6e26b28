"""Webhook events in: stored first (views.webhook), then handled here by the worker.

An event is parsed defensively (Meta's shapes, but anybody can post malformed JSON with a
valid signature only if they hold our secret; still, nothing in it is trusted to be well
formed). Each message is stored once by its ``wamid`` (Meta retries), put on the open
conversation of its number and citizen, and answered by the bot unless a person has it.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.services import uploads
from satupintu.whatsapp import bot, delivery, graph, outbound
from satupintu.whatsapp.models import (
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
    Number,
    WebhookEvent,
)
from satupintu.whatsapp.replies import Reply
from satupintu.whatsapp.talk import Inbound

log = logging.getLogger(__name__)

MEDIA_KINDS = {"image", "document"}
MEDIA_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
HANDLED_KINDS = {"text", "interactive", "button", "location"} | MEDIA_KINDS
MAX_EVENT_ATTEMPTS = 5
MALFORMED = (AttributeError, KeyError, TypeError, ValueError)  # a value of a wrong shape in a signed event
_KIND_MAX = Message._meta.get_field("kind").max_length or 20
_WA_ID_MAX = Message._meta.get_field("wa_id").max_length or 20
MEDIA_LIMIT_REACHED = "media limit reached"  # the stored reason, and what the reply is chosen by


def process_event(event_id: int) -> bool:
    """Handle one stored event; True if it is done (now or before). Not one transaction: a
    media download must not hold the database, and a crash halfway is safe to repeat (messages
    are stored once by their id, statuses never go back)."""
    event = WebhookEvent.objects.filter(pk=event_id, processed_at__isnull=True).first()
    if event is None:
        return True
    WebhookEvent.objects.filter(pk=event_id).update(attempts=F("attempts") + 1)
    error = ""
    try:
        values = _values(json.loads(bytes(event.body)))
    # Malformed, kept for a look, not retried. RecursionError: JSON nested thousands deep (signed, so
    # from Meta's side or a leaked secret) was raised again on each of the five attempts.
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        log.warning("whatsapp event %s malformed: %s", event_id, type(exc).__name__)
        values, error = [], f"malformed: {type(exc).__name__}"
    for value in values:
        try:
            _handle_value(value)
        except MALFORMED:  # one value of a wrong shape: the good ones beside it are still handled
            log.warning("whatsapp event %s: a value of a wrong shape skipped", event_id)
            error = "malformed value"
    WebhookEvent.objects.filter(pk=event_id).update(processed_at=timezone.now(), last_error=error)
    return True


def unprocessed_ids(limit: int = 500, *, older_than: timedelta = timedelta(seconds=30)) -> list[int]:
    """Events the broker never carried (Redis was down) or a worker dropped; the newest are left
    to the task that is on its way (handling twice is harmless, but wasted)."""
    return list(WebhookEvent.objects.filter(processed_at__isnull=True, attempts__lt=MAX_EVENT_ATTEMPTS,
                                            received_at__lte=timezone.now() - older_than)
                .order_by("received_at").values_list("pk", flat=True)[:limit])


def _values(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        raise ValueError("not a WhatsApp Business event")
    values = []
    for entry in data.get("entry") or []:
        for change in entry.get("changes") or []:
            if change.get("field") == "messages" and isinstance(change.get("value"), dict):
                values.append(change["value"])
    return values


def _handle_value(value: dict[str, Any]) -> None:
    phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
    number = Number.objects.select_related("office").filter(phone_number_id=phone_number_id).first()
    if number is None and phone_number_id and phone_number_id == settings.WHATSAPP_PHONE_NUMBER_ID:
        number = outbound.national_number()
    if number is None:
        log.warning("whatsapp event for an unknown phone number id ignored")
        return
    # One message or status of a wrong shape is logged and skipped, not a failure of the whole event
    # (retried, then dropped with the good messages beside it). A database error still fails the event,
    # which is tried again.
    for status in value.get("statuses") or []:
        if isinstance(status, dict):
            try:
                delivery.apply_status(status)
            except MALFORMED:
                log.warning("whatsapp status of a wrong shape skipped")
    names = {}
    for c in value.get("contacts") or []:
        profile = c.get("profile") if isinstance(c, dict) else None
        if isinstance(profile, dict):
            names[str(c.get("wa_id"))] = _clean(profile.get("name", ""), 100)
    for message in value.get("messages") or []:
        if isinstance(message, dict):
            try:
                receive(number, message, profile_name=names.get(str(message.get("from")), ""))
            except MALFORMED:
                log.warning("whatsapp message of a wrong shape skipped", exc_info=True)


def _open_conversation(number: Number, wa_id: str, profile_name: str) -> Conversation:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins (office, application, report).
    conv = (Conversation.objects.select_for_update(of=("self",))
            .select_related("number__office", "office", "application", "report")
            .filter(number=number, wa_id=wa_id).exclude(status=ConversationStatus.CLOSED).first())
    if conv is None:
        conv = Conversation.objects.create(number=number, wa_id=wa_id, profile_name=profile_name,
                                           office=number.office)
    elif profile_name and conv.profile_name != profile_name:
        conv.profile_name = profile_name
    return conv


# Also half an emoji (a lone UTF-16 surrogate, as in a name cut short): no database can store it,
# and refusing it dropped the whole message.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _clean(value: Any, limit: int) -> str:
    """A citizen's text as we keep it: no NUL or control characters (PostgreSQL refuses NUL)."""
    return _CONTROL.sub("", str(value))[:limit]


def _scrub(value: Any) -> Any:
    """The message as stored (JSON): every string cleaned the same way (PostgreSQL's jsonb refuses \\u0000)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {_CONTROL.sub("", str(k)): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _parse(message: dict[str, Any]) -> tuple[str, Inbound]:
    kind = str(message.get("type", ""))
    if kind == "text":
        return kind, Inbound("text", text=_clean((message.get("text") or {}).get("body", ""), 4096))
    if kind == "interactive":
        reply = (message.get("interactive") or {})
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        return kind, Inbound("interactive", text=_clean(chosen.get("title", ""), 200),
                             choice=_clean(chosen.get("id", ""), 200))
    if kind == "button":  # a quick-reply button of a template
        button = message.get("button") or {}
        return kind, Inbound("interactive", text=_clean(button.get("text", ""), 200),
                             choice=_clean(button.get("payload", ""), 200))
    if kind == "location":
        where = message.get("location") or {}
        return kind, Inbound("location", latitude=float(where["latitude"]), longitude=float(where["longitude"]))
    if kind in MEDIA_KINDS:
        media = message.get(kind) or {}
        return kind, Inbound(kind, text=_clean(media.get("caption", ""), 1000))
    # A type the bot does not know is kept for a look, as long as Message.kind holds: a longer one
    # was refused by PostgreSQL, and the event retried, then lost with the good messages beside it.
    return _clean(kind, _KIND_MAX) or "unknown", Inbound("unsupported")


def receive(number: Number, message: dict[str, Any], *, profile_name: str = "") -> Message | None:
    """Store one inbound message (once) and answer it. None if it was seen before."""
    wamid, wa_id = str(message.get("id", ""))[:200], "".join(ch for ch in str(message.get("from", "")) if ch.isdigit())
    if not wamid or not wa_id:
        log.warning("whatsapp message without id or sender ignored")
        return None
    if len(wa_id) > _WA_ID_MAX:
        # No phone number is that long (E.164: 15 digits): a wrong shape, skipped like the others
        # (_handle_value). Stored, PostgreSQL refused it and the whole event was retried, then lost.
        raise ValueError("sender is not a phone number")
    try:
        kind, inbound = _parse(message)
    except MALFORMED:  # e.g. "interactive": "x" (a string where an object belongs)
        kind, inbound = "unknown", Inbound("unsupported")
    if kind not in HANDLED_KINDS:
        log.info("whatsapp message of type %s answered with the help text", kind)
    try:
        sent_at = datetime.fromtimestamp(int(message.get("timestamp", 0)), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        sent_at = timezone.now()
    if Message.objects.filter(wamid=wamid).exists():
        log.info("whatsapp message seen before: handled once")
        return None
    # The file is fetched before the transaction: a slow download must not hold the database. Not at
    # all past the sender's daily count (core/ratelimit): each is fetched, checked and kept.
    media, refused = None, ""
    if kind in MEDIA_KINDS:
        if ratelimit.take(ratelimit.WHATSAPP_MEDIA_PER_NUMBER_DAY, wa_id):
            media, refused = _fetch_media(message.get(kind) or {})
        else:
            refused = MEDIA_LIMIT_REACHED
    with transaction.atomic():
        conv = _open_conversation(number, wa_id, profile_name)
        try:
            with transaction.atomic():
                stored = Message.objects.create(
                    conversation=conv, number=number, wa_id=wa_id, direction=Direction.IN, wamid=wamid, kind=kind,
                    text=inbound.text or (inbound.choice and f"[{inbound.choice}]") or "", payload=_scrub(message),
                    status=DeliveryStatus.RECEIVED, status_at=sent_at, error_title=refused)
        except IntegrityError:
            log.info("whatsapp message seen before: handled once")
            return None
        if media is not None:
            stored.media.save(media[0], ContentFile(media[1].content), save=False)
            stored.media_type = media[1].mime_type
            stored.save(update_fields=["media", "media_type"])
            inbound.media_message_ids = [stored.pk]
        # WhatsApp's 24-hour window runs from when the citizen wrote, not from when we got to it
        # (Meta retrying after an outage, a worker down).
        conv.last_inbound_at = max(filter(None, [conv.last_inbound_at, min(sent_at, timezone.now())]))
        if refused:
            replies = [bot.media_refused(conv, locked=refused.endswith("pdf_encrypted"),
                                         too_many=refused == MEDIA_LIMIT_REACHED)]
        elif conv.status in (ConversationStatus.WAITING, ConversationStatus.ASSIGNED):
            replies = bot.while_with_person(conv, inbound)
        else:
            replies = _answer(conv, inbound)
        conv.save()
        outbound.send_replies(conv, replies)
    return stored


def _answer(conv: Conversation, inbound: Inbound) -> list[Reply]:
    """The bot's answer; if the bot itself fails, the citizen is handed to a person, not left
    without a word (and the fault is logged with its trace)."""
    try:
        with transaction.atomic():
            return bot.respond(conv, inbound)
    except Exception:
        log.exception("whatsapp bot failed on conversation %s; handed to a person", conv.pk)
        conv.state = {}
        return bot.fault(conv)


def _fetch_media(media: dict[str, Any]) -> tuple[tuple[str, graph.Media] | None, str]:
    """(file name, the file) or (None, why it was refused)."""
    try:
        got = graph.download_media(str(media.get("id", "")), max_bytes=settings.WHATSAPP_MEDIA_MAX_BYTES)
    except graph.GraphError as exc:
        log.warning("whatsapp media not fetched: %s %s", exc.status, exc.title)
        return None, ("media too large" if exc.status == 413 else "media download failed")
    mime = got.mime_type.split(";")[0].strip()
    extension = MEDIA_EXTENSIONS.get(mime)
    if extension is None:
        return None, "media type not accepted"
    name = str(media.get("filename") or f"whatsapp.{extension}").replace("\\", "/").rsplit("/", 1)[-1][:80]
    # The bytes decide, as for every upload: what WhatsApp says the type is comes from the sender's
    # phone, so a page named surat.pdf, a broken image or a locked PDF is refused here, not shown
    # to an officer (the stem keeps the sender's name, the extension is the content's).
    try:
        content_type = uploads.check_content(got.content, name=f"whatsapp.{extension}", label=name, field="media")
    except DomainError as exc:
        log.info("whatsapp media refused: %s", exc.code)
        return None, f"media content not accepted: {exc.code}"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return (f"{stem}.{extension}", graph.Media(got.content, content_type)), ""
