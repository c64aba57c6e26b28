"""The demo's WhatsApp simulator: a phone-like chat page (/wa-simulator/) and the Graph API
stand-in it talks through (/wa-simulator/graph/...), so a newcomer sees the channel work on the
embedded default without a Meta account. The citizen's messages are signed as Meta signs them and
posted over HTTP to our real webhook; the bot's answers go out through the real outbox and
Graph client to the stand-in, which keeps them here for the page to show.

Only on when WHATSAPP_SIMULATOR is (the embedded default): whoever uses it may pretend to be
any phone number.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from satupintu.services.models import Application
from satupintu.whatsapp import standin
from satupintu.whatsapp.forms import SimulatorSendForm
from satupintu.whatsapp.models import Direction, SimulatorMessage

log = logging.getLogger(__name__)
MEDIA_DIR = "wa-simulator"


class DatabaseStore:
    """The stand-in's memory in the database: the web and the worker are separate processes."""

    def add_outbound(self, phone_number_id: str, to: str, body: dict[str, Any]) -> str:
        wamid = f"wamid.{uuid.uuid4().hex}"
        SimulatorMessage.objects.create(phone_number_id=phone_number_id, wa_id=to, direction=Direction.OUT,
                                        wamid=wamid, body=body)
        return wamid

    def add_inbound(self, phone_number_id: str, wa_id: str, message: dict[str, Any]) -> None:
        SimulatorMessage.objects.create(phone_number_id=phone_number_id, wa_id=wa_id, direction=Direction.IN,
                                        wamid=message["id"], body=message, read=True)

    def last_inbound(self, phone_number_id: str, wa_id: str) -> float | None:
        last = (SimulatorMessage.objects.filter(phone_number_id=phone_number_id, wa_id=wa_id, direction=Direction.IN)
                .order_by("-id").first())
        return last.created_at.timestamp() if last else None

    def put_media(self, content: bytes, mime_type: str) -> str:
        media_id = uuid.uuid4().hex
        default_storage.save(f"{MEDIA_DIR}/{media_id}", ContentFile(content))
        default_storage.save(f"{MEDIA_DIR}/{media_id}.type", ContentFile(mime_type.encode()))
        return media_id

    def get_media(self, media_id: str) -> tuple[bytes, str] | None:
        if not media_id.isalnum() or not default_storage.exists(f"{MEDIA_DIR}/{media_id}"):
            return None
        with default_storage.open(f"{MEDIA_DIR}/{media_id}") as f, default_storage.open(f"{MEDIA_DIR}/{media_id}.type") as t:
            return f.read(), t.read().decode()


def _post_to_webhook(body: bytes, headers: dict[str, str]) -> None:
    """Like Meta: an HTTP POST to our webhook, from another thread (the page does not wait)."""
    def send() -> None:
        try:
            httpx.post(f"{settings.SITE_URL}/webhooks/whatsapp", content=body, headers=headers, timeout=10)
        except httpx.HTTPError as exc:
            log.warning("simulator: webhook not reached: %s", type(exc).__name__)

    threading.Thread(target=send, daemon=True).start()


def stand_in() -> standin.GraphStandIn:
    from satupintu.whatsapp.outbound import templates

    return standin.GraphStandIn(
        store=DatabaseStore(), token=settings.WHATSAPP_ACCESS_TOKEN, app_secret=settings.WHATSAPP_APP_SECRET,
        deliver=_post_to_webhook, templates={t["name"] for t in templates().values()},
        base_url=f"{settings.WHATSAPP_GRAPH_URL}")


def _enabled() -> None:
    if not settings.WHATSAPP_SIMULATOR:
        raise Http404("simulator off")


@csrf_exempt
def graph(request: HttpRequest, path: str) -> HttpResponse:
    """The Graph API stand-in (called by our own worker, with the bearer token)."""
    _enabled()
    status, ctype, body = stand_in().handle(request.method or "GET", "/" + path,
                                            {"authorization": request.headers.get("Authorization", "")},
                                            request.body, request.content_type or "")
    return HttpResponse(body, status=status, content_type=ctype)


def _demo_phone() -> tuple[str, str]:
    """A demo applicant's number and code, so the owner's answer can be tried at once."""
    # The demo's own applicants only (submission key "demo:..."): the page is public, a real
    # citizen's number and code must never be offered on it.
    app = (Application.objects.filter(submission_key__startswith="demo:").exclude(phone="")
           .order_by("-submitted_at").only("phone", "tracking_code").first())
    return ((app.phone.lstrip("+"), app.tracking_code) if app else ("6281234567890", ""))


def page(request: HttpRequest) -> HttpResponse:
    _enabled()
    phone, code = _demo_phone()
    wa_id = "".join(ch for ch in request.GET.get("nomor", phone) if ch.isdigit())[:15] or phone
    return render(request, "whatsapp/simulator.html", {"wa_id": wa_id, "demo_code": code})


def messages(request: HttpRequest) -> JsonResponse:
    """The chat so far; messages shown for the first time are 'read' (a status goes to the webhook)."""
    _enabled()
    wa_id = "".join(ch for ch in request.GET.get("nomor", "") if ch.isdigit())[:15]
    rows = list(SimulatorMessage.objects.filter(wa_id=wa_id).order_by("id")[:500])
    unread = [m for m in rows if m.direction == Direction.OUT and not m.read]
    if unread:
        SimulatorMessage.objects.filter(pk__in=[m.pk for m in unread]).update(read=True)
        sim = stand_in()
        for m in unread:
            sim.status(m.phone_number_id, m.wamid, m.wa_id, "read")
    return JsonResponse({"messages": [{"id": m.pk, "direction": m.direction, "body": m.body} for m in rows]})


@require_POST
def send(request: HttpRequest) -> JsonResponse:
    """The citizen's phone sends: text, a button or list choice, a location, or a photo/document."""
    _enabled()
    form = SimulatorSendForm(request.POST, request.FILES)
    if not form.is_valid():
        error = next(iter(form.errors.as_data().values()))[0]
        return JsonResponse({"code": error.code or "invalid", "message": str(error.messages[0])}, status=400)
    data = form.cleaned_data
    sim = stand_in()
    if data["choice"]:
        message = standin.choice(data["choice"], data["title"], list_row=data["list"])
    elif data["latitude"] is not None:
        message = standin.location(data["latitude"], data["longitude"])
    elif (upload := data["file"]) is not None:
        mime = upload.content_type or "application/octet-stream"
        kind = "image" if mime.startswith("image/") else "document"
        message = standin.media(kind, sim.store.put_media(upload.read(), mime), mime)
        if kind == "document":
            message["document"]["filename"] = (upload.name or "berkas")[:80]
    else:
        message = standin.text(data["text"].strip())
    sim.citizen_says(settings.WHATSAPP_PHONE_NUMBER_ID, data["nomor"], message, name=data["name"] or "Warga")
    return JsonResponse({"ok": True, "at": time.time()})
