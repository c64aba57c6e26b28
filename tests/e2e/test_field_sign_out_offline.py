"""Signing out forgets the field app's offline pages, in real Chromium at phone size.

The service worker keeps the last /lapangan/ page for opening the app without a signal; that
page is the reporter's own (their reports, their account in data-user). After "Keluar" nobody
may get it offline, or save reports into the outbox under that account: site.js deletes the
"lapangan-*" caches before the sign-out form goes (in a browser where the app was opened), and
again on any page shown signed out (a session that ended some other way); the service worker
deletes them too when the app is opened signed out. The outbox in IndexedDB is left alone: it
may hold another reporter's unsent reports. Signing in again, the app opens offline as before.

Waiting is done by polling with page.evaluate (wait_for_function evaluates a string as code,
which the Content-Security-Policy refuses)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from satupintu.organization.models import Role
from tests.conftest import _staff
from tests.e2e.conftest import open_field_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIELD_CACHES = "caches.keys().then(keys => keys.filter(k => k.startsWith('lapangan-')))"
PAGE_CACHED = "caches.match('/lapangan/').then(hit => !!hit)"
HOME = re.compile(r"^http://[^/]+/$")  # where signing out leads
# Another reporter's report, written on this phone without a signal and not sent yet.
OTHERS_REPORT = "00000000-0000-4000-8000-0000000000aa"
PUT_OTHERS_REPORT = (
    "SatuPintuOutbox.put({client_id: '%s', user: '999999', fields: {description: 'Laporan penyuluh lain'},"
    " photos: [], csrf: '', submitted_at: new Date().toISOString(), created: Date.now(), state: 'waiting',"
    " message: '', label: 'Laporan penyuluh lain'})" % OTHERS_REPORT)
OTHERS_REPORT_KEPT = (
    "new Promise((ok, no) => { const r = indexedDB.open('satupintu-lapangan');"
    " r.onerror = () => no(r.error); r.onsuccess = () => { const db = r.result;"
    " const q = db.transaction('outbox').objectStore('outbox').get('%s');"
    " q.onsuccess = () => { db.close(); ok(!!q.result); }; q.onerror = () => no(q.error); }; })" % OTHERS_REPORT)


def _poll(page, script: str, wanted: object, seconds: float = 15) -> object:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    value = None
    while time.monotonic() < deadline:
        try:
            value = page.evaluate(script)
        except PlaywrightError:  # the page was still loading: ask again
            value = None
        if value == wanted:
            return value
        page.wait_for_timeout(200)
    raise AssertionError(f"{script!r} stayed {value!r}, wanted {wanted!r}")


def _open_the_app(page, username: str) -> None:  # type: ignore[no-untyped-def]
    open_field_app(page, username)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)").endswith("/lapangan/")
    _poll(page, PAGE_CACHED, True)  # the reporter's page is kept for opening without a signal
    page.evaluate(PUT_OTHERS_REPORT)


def _open_offline(page) -> str:  # type: ignore[no-untyped-def]
    """Open /lapangan/ without a signal; the page's HTML, whatever it is (the browser's own
    error page when nothing is kept)."""
    try:
        page.goto("/lapangan/")
    except PlaywrightError:
        pass  # nothing kept for this address: the navigation fails, as any page without a signal
    for _ in range(50):
        try:
            page.wait_for_load_state()
            return page.content()
        except PlaywrightError:  # the browser is still putting up its error page
            page.wait_for_timeout(200)
    raise AssertionError("the page never settled")


def _the_outbox_is_kept(page) -> None:  # type: ignore[no-untyped-def]
    """The IndexedDB outbox still holds the other reporter's unsent report."""
    assert page.evaluate(OTHERS_REPORT_KEPT) is True


def test_after_sign_out_the_app_offline_shows_nobody_s_page(new_context):  # type: ignore[no-untyped-def]
    reporter = _staff("penyuluh.keluar", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = context.new_page()
    _open_the_app(page, reporter.username)
    expect(page.locator("#field-app")).to_have_attribute("data-user", str(reporter.pk))

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    _the_outbox_is_kept(page)

    # Someone else picks up the phone, without a signal, and opens the installed app.
    context.set_offline(True)
    html = _open_offline(page)
    assert 'id="field-app"' not in html and f'data-user="{reporter.pk}"' not in html
    assert "Laporan saya" not in html


def test_the_sign_out_form_waits_until_the_pages_are_forgotten(new_context):  # type: ignore[no-untyped-def]
    """The form itself deletes the caches before it goes (the app left its mark in this
    browser): the answer to the sign-out is replaced here by a bare page with no script, so
    only the form's own work counts."""
    reporter = _staff("penyuluh.tunggu", "73.22", Role.FIELD_REPORTER)
    page = new_context("phone").new_page()
    _open_the_app(page, reporter.username)
    page.route("**/keluar/", lambda route: route.fulfill(status=200, content_type="text/html",
                                                         body="<!doctype html><title>keluar</title><p>keluar</p>"))
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/keluar/$"))
    expect(page.locator("p")).to_have_text("keluar")
    assert page.evaluate(FIELD_CACHES) == []
    _the_outbox_is_kept(page)


def test_a_page_shown_signed_out_forgets_the_pages_too(new_context):  # type: ignore[no-untyped-def]
    """The session ended without "Keluar" (expired, or signed out elsewhere): the next page
    the phone shows signed out forgets the kept pages."""
    reporter = _staff("penyuluh.habis", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = context.new_page()
    _open_the_app(page, reporter.username)
    context.clear_cookies(name="sessionid")
    page.goto("/layanan/")
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    _poll(page, FIELD_CACHES, [])
    _the_outbox_is_kept(page)
    context.set_offline(True)
    assert f'data-user="{reporter.pk}"' not in _open_offline(page)


def test_signed_in_again_the_app_still_opens_offline(new_context):  # type: ignore[no-untyped-def]
    """Forgetting the caches does not break the app: signed in again, the service worker keeps
    the page and its files anew, and the app opens and works without a signal."""
    reporter = _staff("penyuluh.kembali", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = context.new_page()
    _open_the_app(page, reporter.username)
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(HOME)
    assert page.evaluate(FIELD_CACHES) == []

    _open_the_app(page, reporter.username)
    # The page's files went through the worker, which kept them again (not only the browser's
    # own HTTP cache, which may drop them any time).
    files = page.evaluate("[...document.querySelectorAll('link[rel=stylesheet], script[src]')]"
                          ".map(e => new URL(e.href || e.src).pathname)")
    assert {f.rsplit("/", 1)[-1].split(".")[0] for f in files} >= {"app", "site", "outbox"}, files
    for path in files:
        _poll(page, f"caches.match({path!r}).then(hit => !!hit)", True)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Laporan lapangan", exact=True)).to_be_visible()
    expect(page.locator("#field-app")).to_have_attribute("data-user", str(reporter.pk))
    expect(page.locator("#net-status")).to_contain_text("Tidak ada sinyal")  # app.js ran: its files were kept


def test_the_app_opened_signed_out_forgets_the_pages_itself(new_context):  # type: ignore[no-untyped-def]
    """The service worker does not rely on the pages: when /lapangan/ is answered by the way to
    the sign-in page, it deletes what it kept (site.js is kept off the sign-in page here, so
    only the worker's own work counts)."""
    reporter = _staff("penyuluh.pekerja", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = context.new_page()
    _open_the_app(page, reporter.username)
    context.clear_cookies(name="sessionid")
    page.route(re.compile(r"/site\.[^/]*js$"), lambda route: route.fulfill(content_type="text/javascript", body=""))
    page.goto("/lapangan/")
    expect(page).to_have_url(re.compile(r"/masuk/\?next=/lapangan/"))
    _poll(page, FIELD_CACHES, [])
    _the_outbox_is_kept(page)


def test_the_app_opens_from_its_kept_page_when_the_server_fails(new_context, monkeypatch):  # type: ignore[no-untyped-def]
    """A deploy or a database outage (a 5xx) is, for a reporter in the field, like no signal:
    the kept page opens and reports still go into the outbox, instead of an error page."""
    from django.db import OperationalError

    from satupintu.field import access as field_access

    reporter = _staff("penyuluh.gangguan", "73.22", Role.FIELD_REPORTER)
    page = new_context("phone").new_page()
    _open_the_app(page, reporter.username)

    def database_down(user):  # type: ignore[no-untyped-def]
        raise OperationalError("the database is being restarted")

    monkeypatch.setattr(field_access, "reporter_province", database_down)
    page.goto("/lapangan/")
    expect(page.get_by_role("heading", name="Laporan lapangan", exact=True)).to_be_visible()
    expect(page.locator("#field-app")).to_have_attribute("data-user", str(reporter.pk))
