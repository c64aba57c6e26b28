"""A local stand-in of BSrE's signing API (esign-client-service), for the tests.

It speaks the protocol signers.BsreSigner assumes (see its module docstring):
``POST /api/sign/pdf``, basic auth, multipart ``file``/``nik``/``passphrase``/``tampilan``;
200 with the signed PDF and an ``id_dokumen`` header, or 4xx JSON ``{"error", "status_code"}``
(2031: wrong passphrase). It signs with pyHanko under a root of its own ("BSrE stand-in"),
created in a temporary folder, so a test can tell its signatures from the demo CA's.

``down("503")`` answers 503, ``down("refuse")`` closes the port (connection refused),
``down("hang")`` holds each request until released (a timeout for a client with a short one),
``down("gzip")`` answers 200 marked ``Content-Encoding: gzip`` with a body that is not (as a
misconfigured proxy in front of it might); ``up()`` is back to normal. ``calls`` records every
request. Never used by production code: only tests import it.
"""

from __future__ import annotations

import base64
import json
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from satupintu.documents import pki
from satupintu.documents.signers import SignatureRequest, pades_sign, simple_signer

STANDIN_ROOT_NAME = "BSrE stand-in (uji, bukan BSrE)"
WRONG_PASSPHRASE = 2031
UNKNOWN_USER = 1110  # the stand-in's code for an unregistered NIK; the client relies on 2031 only


@dataclass
class Person:
    nik: str
    name: str
    passphrase: str
    organization: str = "Kementerian Agama"


@dataclass
class Call:
    path: str
    nik: str
    status: int


@dataclass
class BsreStandIn:
    username: str = "esign"
    password: str = "rahasia"
    people: dict[str, Person] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    mode: str = "up"
    hang_seconds: float = 10.0

    def __post_init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="bsre-standin-")
        self.ca = pki.ensure_local_ca(Path(self._tmp.name), root_name=STANDIN_ROOT_NAME)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._release = threading.Event()
        self.port = 0

    # --- what tests use ------------------------------------------------------------------
    def add_person(self, nik: str, name: str, passphrase: str) -> Person:
        self.people[nik] = person = Person(nik, name, passphrase)
        return person

    @property
    def root_cert(self) -> Any:
        return self.ca.root_cert

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        # Requests in flight are waited for when it stops (server_close joins them): a request
        # released from "hang" still signs into the CA folder, which close() then removes.
        self._server.daemon_threads = False
        self.port = self._server.server_address[1]
        # A short poll: stop() returns at once (the default half second adds up over a run of tests).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="bsre-standin", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        self._release.set()  # let any held request finish
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def close(self) -> None:
        self.stop()
        self._tmp.cleanup()

    def down(self, kind: str = "503") -> None:
        if kind not in ("503", "refuse", "hang", "gzip"):
            raise ValueError(kind)
        self.mode = kind
        self._release.clear()
        if kind == "refuse":
            self.stop()

    def up(self) -> None:
        self._release.set()
        self.mode = "up"
        if self._server is None:
            self.start()  # the same port again: SO_REUSEADDR is on

    # --- the HTTP face --------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, bytes, dict]:
        if self.mode == "hang":
            self._release.wait(self.hang_seconds)
        if self.mode == "503":
            self.calls.append(Call(path, "", 503))
            return 503, "text/html", b"<html><body>503 Service Unavailable</body></html>", {}
        if self.mode == "gzip":
            self.calls.append(Call(path, "", 200))
            return 200, "application/pdf", b"%PDF-1.7 bukan gzip", {"Content-Encoding": "gzip"}
        if method != "POST" or path.split("?")[0] != "/api/sign/pdf":
            return self._json(path, "", 404, {"error": "Not Found", "status_code": 404})
        expected = "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        if headers.get("authorization", "") != expected:
            return self._json(path, "", 401, {"error": "Unauthorized", "status_code": 401})
        form = _multipart(headers.get("content-type", ""), body)
        nik = form.get("nik", b"").decode("utf-8", "replace")
        pdf = form.get("file", b"")
        person = self.people.get(nik)
        if person is None:
            return self._json(path, nik, 400, {"error": "User tidak terdaftar", "status_code": UNKNOWN_USER})
        if form.get("passphrase", b"").decode("utf-8", "replace") != person.passphrase:
            return self._json(path, nik, 400, {"error": "Passphrase anda salah", "status_code": WRONG_PASSPHRASE})
        if not pdf.startswith(b"%PDF-"):
            return self._json(path, nik, 400, {"error": "Dokumen bukan PDF", "status_code": 2021})
        request = SignatureRequest(key_id=f"nik-{nik}", signer_name=person.name, signer_title="",
                                   organization=person.organization,
                                   reason=form.get("reason", b"").decode("utf-8", "replace"),
                                   location=form.get("location", b"").decode("utf-8", "replace"), nik=nik)
        creds = self.ca.signer_credentials(request.key_id, common_name=person.name, organization=person.organization)
        signed = pades_sign(pdf, request, simple_signer(*creds), timestamper=None)  # no TSA of its own
        self.calls.append(Call(path, nik, 200))
        return 200, "application/pdf", signed, {"id_dokumen": secrets.token_hex(8)}

    def _json(self, path: str, nik: str, status: int, data: dict) -> tuple[int, str, bytes, dict]:
        self.calls.append(Call(path, nik, status))
        return status, "application/json", json.dumps(data).encode(), {}


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """The fields of a multipart/form-data body (name -> bytes)."""
    if not content_type.lower().startswith("multipart/form-data"):
        return {}
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            fields[name] = payload if isinstance(payload, bytes) else b""
    return fields


def _handler(standin: BsreStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, ctype, out, extra = standin.handle(self.command, self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(out)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(out)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_POST = _serve
        do_GET = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
