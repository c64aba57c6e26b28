"""A local stand-in of another ministry app's status API, served over real HTTP from a thread.

GET /api/status/<reference> answers ``{"data": {"status": ..., "keterangan": ..., "updated": ...}}``
for a known reference, 404 for an unknown one. Faults are set per test: ``delay`` (seconds
before answering), ``fail_status`` (e.g. 503), ``garbage`` (a body that is not JSON)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import unquote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@dataclass
class StandIn:
    cases: dict[str, str] = field(default_factory=dict)  # reference -> their state
    token: str = ""  # when set, "Authorization: Bearer <token>" is required
    delay: float = 0.0
    fail_status: int = 0
    garbage: bool = False
    requests: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        self.requests.append({"path": path, "authorization": environ.get("HTTP_AUTHORIZATION", "")})
        if self.delay:
            time.sleep(self.delay)
        if self.fail_status:
            return self._send(start_response, self.fail_status, b"<html>Service Unavailable</html>", "text/html")
        if self.token and environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}":
            return self._send(start_response, 401, b'{"error": "unauthorized"}')
        if self.garbage:
            return self._send(start_response, 200, b'{"data": {"status": "DIPROSES", oops')
        prefix = "/api/status/"
        reference = unquote(path[len(prefix):]) if path.startswith(prefix) else ""
        if reference not in self.cases:
            return self._send(start_response, 404, b'{"error": "not found"}')
        body = {"data": {"status": self.cases[reference], "keterangan": f"Status: {self.cases[reference]}",
                         "updated": "2026-03-01T09:30:00+07:00"}}
        return self._send(start_response, 200, json.dumps(body).encode())

    @staticmethod
    def _send(start_response: Any, status: int, body: bytes, content_type: str = "application/json") -> list[bytes]:
        start_response(f"{status} X", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]


@contextmanager
def serve(standin: StandIn) -> Iterator[StandIn]:
    server = make_server("127.0.0.1", 0, standin.wsgi, server_class=_Threading, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    standin.base_url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
