"""A real webhook receiver: http.server in a thread on 127.0.0.1, let through the outbound guard
by OUTBOUND_ALLOWED_NETWORKS (its port only). It keeps every request; `verified(secret)` checks
each with the standardwebhooks package, as a partner would."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from standardwebhooks import Webhook

from satupintu.integrations import keys, webhooks
from satupintu.notifications.outbox import outbox_flush
from satupintu.organization.models import Office, Role, StaffRole


class Receiver:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 200
        self.flood = 0  # answer with this many bytes (a hostile receiver); bytes_sent counts what went out
        self.bytes_sent = 0
        self.answer: bytes | None = None  # the body it answers with (else "ok" or "receiver error")
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append((self.path, dict(self.headers.items()), body))
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                if receiver.flood:
                    self.send_header("Content-Length", str(receiver.flood))
                self.end_headers()
                if not receiver.flood:
                    default = b"ok" if receiver.status < 300 else b"receiver error"
                    self.wfile.write(default if receiver.answer is None else receiver.answer)
                    return
                chunk = b"x" * 65536
                try:
                    while receiver.bytes_sent < receiver.flood:
                        self.wfile.write(chunk)
                        receiver.bytes_sent += len(chunk)
                except OSError:  # the sender hung up: what it read is all it will read
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._thread: threading.Thread | None = None
        self.start()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def down(self) -> None:
        """Nothing listens on the port any more (connection refused)."""
        self.stop()

    def up(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.server.RequestHandlerClass)
        self.start()

    def verified(self, secret: str) -> list[dict[str, Any]]:
        """Every request's payload, after its signature was verified (raises if one is bad)."""
        return [Webhook(secret).verify(body, headers) for _, headers, body in self.requests]

    def of_type(self, secret: str, event_type: str) -> list[dict[str, Any]]:
        return [p for p in self.verified(secret) if p["type"] == event_type]


@pytest.fixture
def receiver(settings):  # type: ignore[no-untyped-def]
    r = Receiver()
    settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{r.port}"
    yield r
    try:
        r.stop()
    except Exception:
        pass


def staff(username: str, office: str, role: str):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, f"{username}@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=role)
    return user


@pytest.fixture
def admin_sulsel(db):  # type: ignore[no-untyped-def]
    return staff("admin.sulsel", "73", Role.ADMIN)


@pytest.fixture
def national_hook(receiver, db):  # type: ignore[no-untyped-def]
    """A command-line endpoint (every office) for every event, without personal data."""
    from satupintu.integrations.models import EVENT_TYPES

    return webhooks.endpoint_add_national(url=receiver.url, events=list(EVENT_TYPES))


@pytest.fixture
def issue_key(people):  # type: ignore[no-untyped-def]
    def _issue(*scopes: str, office: str = "73", rate: int = 60, by: Any = None) -> keys.IssuedKey:
        return keys.api_key_issue(office=Office.objects.get(code=office), user=by or people.kakanwil_sulsel,
                                  name="Mitra uji", scopes=list(scopes), rate_limit_per_minute=rate)

    return _issue


def flush() -> int:
    """Deliver what is due (e-mails too); how many webhook messages went out now."""
    from satupintu.notifications.models import OutboxMessage, OutboxStatus

    sent = OutboxMessage.objects.filter(channel="webhook", status=OutboxStatus.SENT)
    before = sent.count()
    outbox_flush()
    return sent.count() - before


def body_of(request: tuple[str, dict[str, str], bytes]) -> dict[str, Any]:
    return json.loads(request[2])
