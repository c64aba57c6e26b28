"""A link-out that carries what the citizen told us, in real Chromium: the other app (a stand-in
on 127.0.0.1 that records what reaches it) gets the NIK and phone in the body of a POST, the
address it is sent to is the one configured, and the page's policy lets that one form through."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from tests.e2e.test_csp import _violations, _watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class _OtherApp(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, dict[str, list[str]]]] = []

    def _answer(self) -> None:
        body = b""
        if self.command == "POST":
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).seen.append((self.command, self.path, parse_qs(body.decode())))
        page = b"<!doctype html><title>SIMKAH</title><h1>Pendaftaran nikah</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


@pytest.fixture
def other_app() -> Iterator[tuple[str, type[_OtherApp]]]:
    _OtherApp.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OtherApp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _OtherApp
    finally:
        server.shutdown()
        server.server_close()


def test_the_nik_reaches_the_other_app_in_a_post_body(other_app, submit, new_context, live_server,  # type: ignore[no-untyped-def]
                                                      artifacts):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from satupintu.bridge.models import ExternalApp

    origin, app = other_app
    ExternalApp.objects.filter(code="simkah").update(link_url=f"{origin}/daftar?src=satupintu",
                                                     prefill={"nik": "nik", "phone": "hp"})
    user = get_user_model().objects.create_user("siti@contoh.id", "siti@contoh.id", "kata-sandi-uji-1")
    application = submit(user=user)
    signed_in = Client()
    signed_in.force_login(user)
    context = new_context("phone")
    context.add_cookies([{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    seen = _watch(page)
    page.goto("/layanan/aplikasi/simkah/")
    page.screenshot(path=str(artifacts / "link-out-post.png"), full_page=True)
    with context.expect_page() as opened:
        page.get_by_role("button", name="Buka SIMKAH").click()
    expect(opened.value.get_by_role("heading", name="Pendaftaran nikah")).to_be_visible()
    to_the_app = [request for request in app.seen if request[1] != "/favicon.ico"]  # the browser asks for an icon
    assert to_the_app == [("POST", "/daftar?src=satupintu", {"nik": [application.nik], "hp": [application.phone]})]
    assert not _violations(page, seen), _violations(page, seen)
