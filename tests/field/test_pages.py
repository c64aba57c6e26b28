"""The installable app: the page, its manifest and its service worker (served from /lapangan/ so
that its scope is the app), with no inline script under the CSP."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_javascript_with_the_apps_scope(client):
    response = client.get("/lapangan/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/lapangan/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert 'addEventListener("fetch"' in body and '"/lapangan/"' in body
    assert "/static/satupintu/field/app.js" in body  # the shell it caches, by its served address
    # Background sync: the worker sends with the page's own outbox code, imported, not copied.
    assert 'importScripts("/static/satupintu/field/outbox.js")' in body
    assert 'addEventListener("sync"' in body and "Outbox.flush(" in body


def test_the_page_and_the_worker_share_one_outbox_file():
    from django.contrib.staticfiles import finders

    shared = open(finders.find("satupintu/field/outbox.js"), encoding="utf-8").read()
    page = open(finders.find("satupintu/field/app.js"), encoding="utf-8").read()
    assert not re.search(r"\b(document|window)\.", shared)  # a worker has neither
    assert 'SYNC_TAG: "kirim-laporan"' in shared and "function sendOne(" in shared
    assert "fetch(api, {method: \"POST\"" not in page and "Outbox.flush(" in page  # the page does not post itself


def test_the_manifest(client):
    response = client.get("/lapangan/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == manifest["scope"] == "/lapangan/" and manifest["display"] == "standalone"
    from django.contrib.staticfiles import finders

    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon  # shipped as a static file


def test_the_app_page_for_a_reporter(reporter_client):
    response = reporter_client.get("/lapangan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="manifest" href="/lapangan/manifest.webmanifest"' in html
    assert "satupintu/field/app.js" in html and "csrftoken" in response.cookies
    assert html.index("satupintu/field/outbox.js") < html.index("satupintu/field/app.js")  # deferred, in order
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script under the CSP"
    assert " on" + "click=" not in html
    # The reporter's province first, every kecamatan of it in the page for offline use.
    assert html.index("Kabupaten Luwu Utara") < html.index("Kabupaten Aceh Selatan")
    assert "Masamba" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_app_page_asks_to_sign_in_and_refuses_other_staff(client, field_people):
    assert client.get("/lapangan/")["Location"].startswith("/masuk/?next=/lapangan/")
    client.force_login(field_people.fo_lutra)
    assert client.get("/lapangan/").status_code == 403


def test_a_reporter_lands_on_the_app(client, field_people):
    client.force_login(field_people.penyuluh_lutra)
    assert client.get("/petugas/")["Location"] == "/lapangan/"


def test_the_fix_and_delete_texts_are_english_when_asked(reporter_client, settings):
    reporter_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = reporter_client.get("/lapangan/").content.decode()
    for text in ('data-msg-fix="Fix and send again"', 'data-msg-resend="Send again"',
                 'data-msg-delete-confirm="Really delete?"', "Fixing a refused report", "it is your account"):
        assert text in html, text
