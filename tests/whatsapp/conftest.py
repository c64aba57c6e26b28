"""WhatsApp tests run against the Graph API stand-in (satupintu/whatsapp/standin.py) served over
real HTTP on a local port; its webhooks (the citizen's messages, delivery statuses) are posted
to our real webhook, signed, through Django's test client, from the test's own thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from satupintu.whatsapp import standin
from satupintu.whatsapp.models import Number

TOKEN, SECRET, VERIFY, PHONE_ID = "test-token", "test-app-secret", "test-verify", "109000000000001"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@dataclass
class Phone:
    """A citizen's phone on the stand-in, with what our side answered."""

    sim: standin.GraphStandIn
    store: standin.MemoryStore
    client: Any
    capture: Any

    def say(self, wa_id: str, message: dict[str, Any] | str, *, name: str = "Siti", phone_number_id: str = PHONE_ID,
            ) -> str:
        body = standin.text(message) if isinstance(message, str) else message
        wamid = self.sim.citizen_says(phone_number_id, wa_id, body, name=name)
        self.settle()
        return wamid

    def settle(self) -> None:
        """Deliver every held webhook, and what handling them causes, until all is quiet."""
        for _ in range(50):
            with self.capture(execute=True):
                if not self.sim.flush():
                    return

    def post(self, body: bytes, headers: dict[str, str]) -> Any:
        return self.client.post("/webhooks/whatsapp", data=body, content_type="application/json", headers=headers)

    def replies(self, wa_id: str) -> list[dict[str, Any]]:
        return self.store.sent_to(wa_id)

    def texts(self, wa_id: str) -> list[str]:
        out = []
        for body in self.replies(wa_id):
            if body["type"] == "text":
                out.append(body["text"]["body"])
            elif body["type"] == "interactive":
                out.append(body["interactive"]["body"]["text"])
            else:
                out.append(f"[template {body['template']['name']}]")
        return out

    def last(self, wa_id: str) -> str:
        return "\n".join(self.texts(wa_id)[-3:])


@pytest.fixture
def phone(settings, client, django_capture_on_commit_callbacks, db) -> Iterator[Phone]:  # type: ignore[no-untyped-def]
    store = standin.MemoryStore()
    holder: dict[str, Any] = {}

    def deliver(body: bytes, headers: dict[str, str]) -> None:
        holder["phone"].post(body, headers)

    sim = standin.GraphStandIn(store=store, token=TOKEN, app_secret=SECRET, deliver=deliver, hold=True,
                               templates={"satupintu_status_update", "satupintu_reply_later"})
    server = make_server("127.0.0.1", 0, sim.wsgi, handler_class=_Quiet)
    url = f"http://127.0.0.1:{server.server_port}"
    sim.base_url = url
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    settings.WHATSAPP_GRAPH_URL, settings.WHATSAPP_API_VERSION = url, "v21.0"
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_APP_SECRET = TOKEN, SECRET
    settings.WHATSAPP_VERIFY_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = VERIFY, PHONE_ID
    settings.WHATSAPP_TEMPLATES = ""
    Number.objects.get_or_create(phone_number_id=PHONE_ID)
    holder["phone"] = Phone(sim=sim, store=store, client=client, capture=django_capture_on_commit_callbacks)
    yield holder["phone"]
    server.shutdown()
    server.server_close()
