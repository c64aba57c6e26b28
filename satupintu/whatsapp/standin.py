"""A local stand-in of the WhatsApp Cloud API (Graph API), for the tests and the demo's
simulator: the same paths, JSON shapes, bearer token, signed webhooks and error codes as Meta.

- ``POST /{version}/{phone_number_id}/messages``: text, interactive (buttons, lists), template,
  document, image; checked as Meta checks them (token 190, bad parameters 100 / 131009, unknown
  template 132001). A free-form message to someone who last wrote more than 24 hours ago is
  accepted and then fails by webhook with 131047, as the real service does.
- ``POST /{version}/{phone_number_id}/media``, ``GET /{version}/{media_id}`` and the download URL.
- Status callbacks (sent, delivered; read when the phone shows them) and the citizen's own
  messages are posted to our webhook, signed with the app secret (``X-Hub-Signature-256``).
- ``fail_next`` makes the next call answer 429 or 5xx, to test retries.

Where the data lives is a ``Store``: memory (tests, one process) or the database (the
simulator, which runs in several processes).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from satupintu.whatsapp.webhook import signature_for

WINDOW_SECONDS = 24 * 3600
Deliver = Callable[[bytes, dict[str, str]], None]


class Store(Protocol):
    def add_outbound(self, phone_number_id: str, to: str, body: dict[str, Any]) -> str: ...
    def add_inbound(self, phone_number_id: str, wa_id: str, message: dict[str, Any]) -> None: ...
    def last_inbound(self, phone_number_id: str, wa_id: str) -> float | None: ...
    def put_media(self, content: bytes, mime_type: str) -> str: ...
    def get_media(self, media_id: str) -> tuple[bytes, str] | None: ...


@dataclass
class MemoryStore:
    outbound: list[dict[str, Any]] = field(default_factory=list)
    inbound: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    last_seen: dict[tuple[str, str], float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_outbound(self, phone_number_id: str, to: str, body: dict[str, Any]) -> str:
        wamid = f"wamid.{uuid.uuid4().hex}"
        with self.lock:
            self.outbound.append({"id": wamid, "phone_number_id": phone_number_id, "to": to, "body": body})
        return wamid

    def add_inbound(self, phone_number_id: str, wa_id: str, message: dict[str, Any]) -> None:
        with self.lock:
            self.inbound.append(message)
            self.last_seen[(phone_number_id, wa_id)] = float(message["timestamp"])

    def last_inbound(self, phone_number_id: str, wa_id: str) -> float | None:
        return self.last_seen.get((phone_number_id, wa_id))

    def put_media(self, content: bytes, mime_type: str) -> str:
        media_id = str(next(_media_ids))
        self.media[media_id] = (content, mime_type)
        return media_id

    def get_media(self, media_id: str) -> tuple[bytes, str] | None:
        return self.media.get(media_id)

    def sent_to(self, wa_id: str) -> list[dict[str, Any]]:
        return [m["body"] for m in self.outbound if m["to"] == wa_id]


_media_ids = itertools.count(int(time.time()) * 1000)


def _error(status: int, code: int, message: str, details: str = "") -> tuple[int, dict[str, Any]]:
    return status, {"error": {"message": message, "type": "OAuthException", "code": code,
                              "error_data": {"messaging_product": "whatsapp", "details": details or message},
                              "fbtrace_id": uuid.uuid4().hex[:20]}}


class GraphStandIn:
    def __init__(self, *, store: Store, token: str, app_secret: str, deliver: Deliver, hold: bool = False,
                 templates: set[str] | None = None, base_url: str = "", clock: Callable[[], float] = time.time):
        """``deliver`` posts a signed webhook to our side; with ``hold`` the webhooks wait in
        ``pending`` until ``flush()`` (tests deliver from their own thread, when they choose)."""
        self.store, self.token, self.app_secret = store, token, app_secret
        self.deliver, self.hold = deliver, hold
        self.templates = templates
        self.base_url = base_url
        self.clock = clock
        self.fail_next: list[tuple[int, int]] = []
        self.calls: list[tuple[str, str]] = []
        self.pending: list[bytes] = []  # webhook bodies held back (hold=True)

    # --- the HTTP face ----------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes,
               content_type: str = "") -> tuple[int, str, bytes]:
        """(status, content type, body) for one request."""
        self.calls.append((method, path))
        if headers.get("authorization", "") != f"Bearer {self.token}":
            status, data = _error(401, 190, "Invalid OAuth access token - Cannot parse access token")
            return status, "application/json", json.dumps(data).encode()
        if self.fail_next:
            status, code = self.fail_next.pop(0)
            status, data = _error(status, code, "(#%d) Temporary failure" % code)
            return status, "application/json", json.dumps(data).encode()
        parts = [p for p in path.split("/") if p]
        if method == "GET" and len(parts) == 2 and parts[0] == "media-download":
            found = self.store.get_media(parts[1])
            if found is None:
                return 404, "text/plain", b"not found"
            return 200, found[1], found[0]
        if len(parts) < 2:
            return self._json(*_error(400, 100, "Unsupported request"))
        if method == "POST" and len(parts) == 3 and parts[2] == "messages":
            try:
                data = json.loads(body)
            except ValueError:
                return self._json(*_error(400, 100, "Invalid parameter", "body is not JSON"))
            return self._json(*self.send(parts[1], data))
        if method == "POST" and len(parts) == 3 and parts[2] == "media":
            match = re.search(rb"Content-Type: ([\w/.+-]+)\r\n\r\n(.*)\r\n--", body, re.S)
            if not match:
                return self._json(*_error(400, 100, "Invalid parameter", "file missing"))
            return self._json(200, {"id": self.store.put_media(match.group(2), match.group(1).decode())})
        if method == "GET" and len(parts) == 2:
            found = self.store.get_media(parts[1])
            if found is None:
                return self._json(*_error(400, 100, "Unsupported get request", "media not found"))
            return self._json(200, {"messaging_product": "whatsapp", "id": parts[1], "mime_type": found[1],
                                    "sha256": hashlib.sha256(found[0]).hexdigest(), "file_size": len(found[0]),
                                    "url": f"{self.base_url}/media-download/{parts[1]}"})
        return self._json(*_error(400, 100, "Unsupported request"))

    @staticmethod
    def _json(status: int, data: dict[str, Any]) -> tuple[int, str, bytes]:
        return status, "application/json", json.dumps(data).encode()

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {"authorization": environ.get("HTTP_AUTHORIZATION", "")}
        status, ctype, out = self.handle(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), headers, body,
                                         environ.get("CONTENT_TYPE", ""))
        start_response(f"{status} X", [("Content-Type", ctype), ("Content-Length", str(len(out)))])
        return [out]

    # --- sending, checked as Meta checks ----------------------------------------------------
    def send(self, phone_number_id: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        to = str(data.get("to", ""))
        kind = data.get("type", "text")
        if data.get("messaging_product") != "whatsapp" or not re.fullmatch(r"\d{8,15}", to):
            return _error(400, 100, "Invalid parameter", "messaging_product or to is invalid")
        problem = _check_content(kind, data)
        if problem:
            return _error(400, 131009, "Parameter value is not valid", problem)
        if kind == "template" and self.templates is not None and data["template"]["name"] not in self.templates:
            return _error(404, 132001, "Template name does not exist in the translation",
                          f"template name ({data['template']['name']}) does not exist")
        wamid = self.store.add_outbound(phone_number_id, to, data)
        last = self.store.last_inbound(phone_number_id, to)
        if kind != "template" and (last is None or self.clock() - last > WINDOW_SECONDS):
            self.status(phone_number_id, wamid, to, "failed", errors=[{
                "code": 131047, "title": "Re-engagement message",
                "message": "Re-engagement message", "error_data": {"details": "Message failed to send because more "
                                                                  "than 24 hours have passed since the customer "
                                                                  "last replied to this number."}}])
        else:
            self.status(phone_number_id, wamid, to, "sent")
            self.status(phone_number_id, wamid, to, "delivered")
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                     "messages": [{"id": wamid}]}

    # --- webhooks to our side ---------------------------------------------------------------
    def _envelope(self, phone_number_id: str, value: dict[str, Any]) -> bytes:
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "6281100000000", "phone_number_id": phone_number_id}, **value}
        return json.dumps({"object": "whatsapp_business_account", "entry": [
            {"id": "100000000000000", "changes": [{"value": value, "field": "messages"}]}]}).encode()

    def _post(self, body: bytes) -> None:
        if self.hold:
            self.pending.append(body)
        else:
            self._deliver(body)

    def _deliver(self, body: bytes) -> None:
        self.deliver(body, {"X-Hub-Signature-256": signature_for(body, self.app_secret),
                            "Content-Type": "application/json"})

    def flush(self) -> int:
        """Deliver the held webhooks, including those their handling makes (replies' statuses)."""
        done = 0
        while self.pending:
            body = self.pending.pop(0)
            self._deliver(body)
            done += 1
        return done

    def status(self, phone_number_id: str, wamid: str, to: str, status: str,
               errors: list[dict[str, Any]] | None = None) -> None:
        entry: dict[str, Any] = {"id": wamid, "status": status, "timestamp": str(int(self.clock())),
                                 "recipient_id": to}
        if errors:
            entry["errors"] = errors
        self._post(self._envelope(phone_number_id, {"statuses": [entry]}))

    def citizen_says(self, phone_number_id: str, wa_id: str, message: dict[str, Any], name: str = "Warga") -> str:
        """A message from the citizen's phone: recorded (it opens the 24-hour window) and posted."""
        wamid = f"wamid.{uuid.uuid4().hex}"
        message = {"from": wa_id, "id": wamid, "timestamp": str(int(self.clock())), **message}
        self.store.add_inbound(phone_number_id, wa_id, message)
        self._post(self._envelope(phone_number_id, {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                                                    "messages": [message]}))
        return wamid


def text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body}}


def choice(reply_id: str, title: str, *, list_row: bool = False) -> dict[str, Any]:
    kind = "list_reply" if list_row else "button_reply"
    return {"type": "interactive", "interactive": {"type": kind, kind: {"id": reply_id, "title": title}}}


def location(latitude: float, longitude: float) -> dict[str, Any]:
    return {"type": "location", "location": {"latitude": latitude, "longitude": longitude}}


def media(kind: str, media_id: str, mime_type: str, caption: str = "", filename: str = "") -> dict[str, Any]:
    """An image or document message as Meta sends it (a document carries the sender's file name)."""
    return {"type": kind, kind: {"id": media_id, "mime_type": mime_type, "sha256": "", **(
        {"caption": caption} if caption else {}), **({"filename": filename} if filename else {})}}


def _check_content(kind: str, data: dict[str, Any]) -> str:
    """What Meta would refuse in the message's content ('' if nothing)."""
    try:
        if kind == "text":
            body = data["text"]["body"]
            return "" if isinstance(body, str) and 0 < len(body) <= 4096 else "text.body must be 1-4096 characters"
        if kind == "interactive":
            inter = data["interactive"]
            if not 0 < len(inter["body"]["text"]) <= 4096:
                return "interactive.body.text must be 1-4096 characters"
            if inter["type"] == "button":
                buttons = inter["action"]["buttons"]
                if not 1 <= len(buttons) <= 3 or any(not 0 < len(b["reply"]["title"]) <= 20 for b in buttons):
                    return "buttons: 1-3, titles 1-20 characters"
                return ""
            if inter["type"] == "list":
                rows = [r for s in inter["action"]["sections"] for r in s["rows"]]
                if not 0 < len(inter["action"]["button"]) <= 20:
                    return "list button: 1-20 characters"
                if not 1 <= len(rows) <= 10 or any(not 0 < len(r["title"]) <= 24 or len(r.get("description", "")) > 72
                                                   for r in rows):
                    return "list rows: 1-10, titles 1-24 characters, descriptions up to 72"
                return ""
            return "interactive.type must be button or list"
        if kind == "template":
            return "" if data["template"]["name"] and data["template"]["language"]["code"] else "template incomplete"
        if kind in ("document", "image"):
            return "" if data[kind].get("id") or data[kind].get("link") else f"{kind}.id or link required"
    except (KeyError, TypeError, IndexError):
        return f"{kind} is incomplete"
    return f"type {kind!r} is not supported"
