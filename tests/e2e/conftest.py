"""Browser fixtures for the end-to-end tests: Debian's Chromium driven by Playwright.

No browser is ever downloaded: the tests use /usr/bin/chromium and fail (not skip) when
it is missing, so a broken machine is noticed instead of silently passing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API keeps an asyncio loop in the test thread; the Django ORM refuses
# to run next to a running loop unless told it is fine (it is: the calls are sequential).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# An assertion waits as long as an action does (10 s, Playwright's own default is 5 s): under CI's
# load (three passes on two CPUs) Swagger UI once took longer than 5 s to read the schema.
expect.set_options(timeout=10_000)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "id-ID", "timezone_id": "Asia/Makassar"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "id-ID", "timezone_id": "Asia/Makassar"}


def _django_connections() -> dict[str, object]:
    from django.db import connections

    return {alias: connections[alias] for alias in connections}


def _share_django_connections(thread_connections: dict[str, object]) -> None:
    """Keep one Django connection per database in this thread while Playwright runs.

    Between sync calls Playwright marks its event loop as running in this thread, and
    Django's connection handler then keeps connections in a context-local store instead
    of the thread-local one. The connections found there are new ones, without the
    snapshot `serialized_rollback` restores the migrated data (offices, catalog) from, so
    every browser test after the first would start on an empty database. Put the
    thread's own connections into that store too.
    """
    import asyncio

    from django.db import connections

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # not marked as running: Django uses the thread-local store anyway
    for alias, connection in thread_connections.items():
        connections[alias] = connection


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium); "
                    "these tests never download a browser.", pytrace=False)
    from playwright.sync_api import sync_playwright

    thread_connections = _django_connections()
    with sync_playwright() as p:
        _share_django_connections(thread_connections)
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def new_context(browser, live_server):  # type: ignore[no-untyped-def]
    """Open browser contexts (separate cookie jars = separate people) on the live server."""
    contexts = []

    def _new(kind: str = "phone"):  # type: ignore[no-untyped-def]
        ctx = browser.new_context(base_url=live_server.url, accept_downloads=True, **(PHONE if kind == "phone" else DESKTOP))
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx

    yield _new
    for ctx in contexts:
        ctx.close()


PASSWORD = "sandi-uji-123"


def login(page, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in at /masuk/ as staff; staff land on the back office (a complaint officer or the
    inspectorate on the reports, an administrator on the office settings)."""
    import re

    from playwright.sync_api import expect

    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).to_have_url(re.compile(r"/petugas/(pengaduan/|kantor/)?$"))


def use_whatsapp_simulator(settings, base_url: str) -> None:  # type: ignore[no-untyped-def]
    """The WhatsApp channel on the simulator's Graph API stand-in, as settings.py sets it on the
    embedded default (off with DATABASE_URL, as in the PostgreSQL pass)."""
    settings.SITE_URL = base_url
    settings.WHATSAPP_SIMULATOR = True
    settings.WHATSAPP_GRAPH_URL = base_url + "/wa-simulator/graph"
    settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "100000000000001", "simulator-token"
    settings.WHATSAPP_APP_SECRET, settings.WHATSAPP_VERIFY_TOKEN = "simulator-app-secret", "simulator-verify-token"


def open_field_app(page, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in at /masuk/ straight into the field app (/lapangan/), as a reporter's phone does."""
    from playwright.sync_api import expect

    page.goto("/masuk/?next=/lapangan/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Laporan lapangan", exact=True)).to_be_visible()
    # The app's script has wired the form (on a busy machine a press came first, and posted it plain).
    expect(page.locator("#field-form[data-ready]")).to_have_count(1)
