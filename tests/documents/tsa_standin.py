"""A Time-Stamping Authority over real HTTP (RFC 3161): POST ``application/timestamp-query``,
answer ``application/timestamp-reply``, with a CA of its own. ``mode`` plays what a real TSA can
do: "up", "garbage" (an HTML error page with 200), "rejection" (status 2, rejected)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from asn1crypto import tsp

from satupintu.documents import pki


@dataclass
class TsaStandIn:
    directory: Path
    mode: str = "up"
    requests: list[tsp.TimeStampReq] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ca = pki.ensure_local_ca(self.directory, root_name="TSA stand-in root (uji)")
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/tsa"

    def root_pem(self) -> Path:
        path = self.directory / "tsa-root.pem"
        path.write_bytes(self.ca.root_pem)
        return path

    def answer(self, body: bytes) -> tuple[str, bytes]:
        from satupintu.documents.timestamps import local_timestamper

        if self.mode == "garbage":
            return "text/html", b"<html>Service Unavailable</html>"
        request = tsp.TimeStampReq.load(body)
        self.requests.append(request)
        if self.mode == "rejection":
            return "application/timestamp-reply", tsp.TimeStampResp(
                {"status": {"status": "rejection", "status_string": ["bad request"]}}).dump()
        response = asyncio.run(local_timestamper(self.ca).async_request_tsa_response(request))
        return "application/timestamp-reply", response.dump()

    def start(self) -> TsaStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                ctype, data = stand_in.answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
