"""Messages we send: every one is a row (its timeline entry and delivery status) and an outbox
message of channel "whatsapp", written in the same transaction as its cause, so it goes out
exactly once through notifications/outbox.py (retries with backoff on 429/5xx, nothing lost).

WhatsApp's rules are enforced here, not by the callers: free-form messages only within 24
hours of the citizen's last message; outside it, approved templates only, and messages we
start only to numbers that opted in.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.whatsapp.models import Conversation, DeliveryStatus, Direction, Message, Number, OptIn
from satupintu.whatsapp.replies import Reply, template_body

WINDOW = timedelta(hours=24)


def national_number() -> Number | None:
    """The national line of the settings, made on first use."""
    if not settings.WHATSAPP_PHONE_NUMBER_ID:
        return None
    number, _created = Number.objects.get_or_create(phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID)
    return number


def window_open(conv: Conversation, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return conv.last_inbound_at is not None and now - conv.last_inbound_at < WINDOW


def is_opted_in(wa_id: str) -> bool:
    return OptIn.objects.filter(wa_id=wa_id, opted_in=True).exists()


def record_opt_in(wa_id: str, *, source: str, proven: bool = False) -> None:
    """Consent to messages we start, given on a form (or by MULAI); STOP/BERHENTI ends it.

    A STOP sent from the number itself is undone only by someone who proved the number (``proven``:
    MULAI from that number, an account's verified phone). A form anyone can fill in with any number
    (an application, the desk) did undo it: a stranger could turn a person's STOP back into paid
    messages from the ministry's number, one per application."""
    if not wa_id:
        return
    if proven:
        OptIn.objects.update_or_create(wa_id=wa_id, defaults={"opted_in": True, "source": source[:60]})
    else:
        OptIn.objects.get_or_create(wa_id=wa_id, defaults={"opted_in": True, "source": source[:60]})


def templates() -> dict[str, dict[str, str]]:
    """WHATSAPP_TEMPLATES as a dict; defaults that the simulator's stand-in accepts."""
    configured = json.loads(settings.WHATSAPP_TEMPLATES) if settings.WHATSAPP_TEMPLATES else {}
    return {"status_update": {"name": "satupintu_status_update", "language": "id"},
            "reply_later": {"name": "satupintu_reply_later", "language": "id"},
            "one_time_code": {"name": "satupintu_one_time_code", "language": "id"},
            # An "authentication" template: the one-time sign-in code as its only parameter.
            "sign_in_code": {"name": "satupintu_sign_in_code", "language": "id"},
            # Filed at the PTSP desk for the citizen: tracking code, service, office.
            "assisted_receipt": {"name": "satupintu_assisted_receipt", "language": "id"}, **configured}


def number_for(office: Any) -> Number | None:
    """The office's own number, else the national line."""
    return Number.objects.filter(office=office).first() or national_number()


def _enqueue(message: Message, *, dedupe_key: str = "") -> Message:
    """Hand a saved outbound message to the outbox (channel "whatsapp"), once per dedupe key."""
    outbox_enqueue(channel="whatsapp", recipient=message.wa_id, subject=f"WhatsApp {message.kind}",
                   body=json.dumps({"message": message.pk}), dedupe_key=dedupe_key or f"wa-out:{message.pk}",
                   application_id=message.application_id)
    return message


def _queue(*, number: Number, wa_id: str, body: dict[str, Any], kind: str, text: str,
           conversation: Conversation | None = None, sender: Any = None, application_id: int | None = None,
           fallback: dict[str, str] | None = None, dedupe_key: str = "") -> Message:
    message = Message.objects.create(
        conversation=conversation, number=number, wa_id=wa_id, direction=Direction.OUT, kind=kind, text=text,
        payload=body, status=DeliveryStatus.QUEUED, sender=sender, application_id=application_id,
        fallback=fallback or {},
    )
    return _enqueue(message, dedupe_key=dedupe_key)


def send_replies(conv: Conversation, replies: list[Reply], *, sender: Any = None) -> list[Message]:
    """The bot's or an officer's free-form replies (the caller checks the window)."""
    return [
        _queue(number=conv.number, wa_id=conv.wa_id, body=reply.graph_body(conv.wa_id),
               kind="interactive" if reply.options else "text", text=reply.plain(), conversation=conv, sender=sender)
        for reply in replies
    ]


def officer_reply(conv: Conversation, *, text: str, user: Any, now: datetime | None = None) -> Message:
    """A free-form reply inside the 24-hour window."""
    text = (text or "").strip()
    if not text:
        raise DomainError("missing_field", "Tulis balasan.", field="text")
    if len(text) > 4096:
        raise DomainError("text_too_long", "Maksimal %(n)d karakter.", field="text", params={"n": 4096})
    if not window_open(conv, now):
        raise DomainError("whatsapp_window_closed", "Lebih dari 24 jam sejak pesan terakhir warga: WhatsApp hanya "
                          "mengizinkan pesan templat. Kirim templat 'balas nanti'.", field="text", status=409)
    return send_replies(conv, [Reply(text)], sender=user)[0]


def officer_template(conv: Conversation, *, user: Any) -> Message:
    """Outside the window: the approved 'reply_later' template, only to a number that opted in."""
    if not is_opted_in(conv.wa_id):
        raise DomainError("whatsapp_not_opted_in", "Warga ini belum setuju menerima pesan WhatsApp dari kami.",
                          status=409)
    spec = templates()["reply_later"]
    office = conv.office.name if conv.office else _("Kementerian Agama")
    body = template_body(conv.wa_id, name=spec["name"], language=spec.get("language", "id"), parameters=[office])
    return _queue(number=conv.number, wa_id=conv.wa_id, body=body, kind="template",
                  text=_("[Templat] %(office)s ingin melanjutkan percakapan Anda. Balas pesan ini untuk "
                         "melanjutkan.") % {"office": office}, conversation=conv, sender=user)


def officer_file(conv: Conversation, *, upload: Any, user: Any, now: datetime | None = None) -> Message:
    """A document sent by an officer, inside the window; the file is served to Graph from our storage."""
    if not window_open(conv, now):
        raise DomainError("whatsapp_window_closed", "Lebih dari 24 jam sejak pesan terakhir warga: WhatsApp hanya "
                          "mengizinkan pesan templat. Kirim templat 'balas nanti'.", field="file", status=409)
    from satupintu.services import uploads

    checked = uploads.check_upload(upload, label=_("Berkas"), field="file")
    name = checked.original_name or "berkas"
    message = Message(conversation=conv, number=conv.number, wa_id=conv.wa_id, direction=Direction.OUT,
                      kind="document", text=name, status=DeliveryStatus.QUEUED, sender=user,
                      media_type=checked.content_type)
    message.media.save(name, checked.upload, save=False)
    # The file goes up to Graph at send time (POST /media) and is sent by its id: no public link,
    # so an office on an intranet can send files too.
    message.payload = {"to": conv.wa_id, "type": "document", "document": {"filename": name}}
    message.save()
    return _enqueue(message)


def _code_template(wa_id: str, spec: dict[str, Any], code: str) -> dict[str, Any]:
    """An authentication template with its code: WhatsApp's authentication templates carry the
    code on their "copy code" button as well, and refuse a send without it (131008)."""
    body = template_body(wa_id, name=spec["name"], language=spec.get("language", "id"), parameters=[code])
    body["template"]["components"].append(
        {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": code}]})
    return body


def send_one_time_code(wa_id: str, code: str) -> bool:
    """A one-time code as the 'one_time_code' template (an authentication template), only to a
    number that opted in. False when WhatsApp cannot carry it (the caller sends an SMS). The
    timeline text leaves the code out: officers read these rows in the inbox."""
    if not wa_id or not is_opted_in(wa_id):
        return False
    number = national_number()
    if number is None:
        return False
    spec = templates()["one_time_code"]
    body = _code_template(wa_id, spec, code)
    _queue(number=number, wa_id=wa_id, body=body, kind="template",
           text=_("[Templat] Kode sekali pakai Satu Pintu (disembunyikan)"))
    return True


def notify_status(app: Any, *, event_pk: int, text: str, fallback: dict[str, str] | None,
                  asked: bool | None = None) -> bool:
    """An application's status change as the 'status_update' template, to an applicant who asked
    for WhatsApp news (``asked``: the account's choice; default: the application's) and did not
    opt out. False if WhatsApp cannot carry it (then e-mail does)."""
    wa_id = (app.phone or "").lstrip("+")
    if asked is None:
        asked = bool(getattr(app, "whatsapp_updates", False))
    if not asked or not wa_id or not is_opted_in(wa_id):
        return False
    number = number_for(app.office)
    if number is None:
        return False
    spec = templates()["status_update"]
    params = [app.tracking_code, str(app.service.local_name), text]
    body = template_body(wa_id, name=spec["name"], language=spec.get("language", "id"), parameters=params)
    _queue(number=number, wa_id=wa_id, body=body, kind="template", application_id=app.pk, fallback=fallback,
           text=_("[Templat] Permohonan %(code)s (%(service)s): %(step)s") % {
               "code": params[0], "service": params[1], "step": params[2]},
           dedupe_key=f"event:{event_pk}:whatsapp")
    return True


def send_sign_in_code(wa_id: str, code: str) -> bool:
    """The one-time sign-in code as the 'sign_in_code' authentication template, to a number that
    opted in, from the national line. False if WhatsApp cannot carry it (then SMS does)."""
    wa_id = (wa_id or "").lstrip("+")
    number = national_number()
    if not wa_id or number is None or not is_opted_in(wa_id):
        return False
    body = _code_template(wa_id, templates()["sign_in_code"], code)
    # The stored text leaves the code out, as for the claim code: a code is for its owner only.
    _queue(number=number, wa_id=wa_id, body=body, kind="template",
           text=_("[Templat] Kode sekali pakai Satu Pintu (disembunyikan)"))
    return True


def send_assisted_receipt(app: Any) -> bool:
    """The tracking code of an application filed at the desk for the citizen, as the
    'assisted_receipt' template, to a number that opted in. False if WhatsApp cannot carry it
    (then SMS does)."""
    wa_id = (app.phone or "").lstrip("+")
    if not wa_id or not is_opted_in(wa_id):
        return False
    number = number_for(app.office)
    if number is None:
        return False
    spec = templates()["assisted_receipt"]
    params = [app.tracking_code, str(app.service.name), str(app.office.name)]
    body = template_body(wa_id, name=spec["name"], language=spec.get("language", "id"), parameters=params)
    _queue(number=number, wa_id=wa_id, body=body, kind="template", application_id=app.pk,
           text=_("[Templat] Permohonan %(service)s di %(office)s diajukan dibantu petugas. Kode lacak: %(code)s") % {
               "service": params[1], "office": params[2], "code": params[0]})
    return True
