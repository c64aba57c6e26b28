"""The Content-Security-Policy in real Chromium: the main pages load and work with no
violation in the console (inline script is refused, so anything still inline would show)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIOLATION = re.compile(r"Content Security Policy|Permissions-Policy|Refused to", re.I)


def _watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"{m.type}: {m.text}") if VIOLATION.search(m.text) else None)
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))
    # Violations are also events in the page: collect them where the console might not show them.
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                         " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    return seen


def _violations(page, seen: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    return seen + [f"event: {v}" for v in page.evaluate("window.__csp || []")]


def test_main_pages_run_under_the_policy(people, submit, new_context):  # type: ignore[no-untyped-def]
    app = submit()
    page = new_context("desktop").new_page()
    seen = _watch(page)
    for path in ("/", "/layanan/", "/layanan/legalisir-ijazah-madrasah/?office=73.22",
                 "/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", "/lacak/", f"/lacak/{app.tracking_code}/",
                 "/pengaduan/", "/masuk/", "/daftar/", "/masuk/lupa/"):
        page.goto(path)
        assert not _violations(page, seen), (path, _violations(page, seen))
    # the language buttons (no script at all) switch the language
    page.goto("/layanan/")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="ID").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    # the complaint form's location button (report_location.js) answers without a script error
    page.goto("/pengaduan/")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.locator("#location-status")).not_to_be_empty()
    assert not _violations(page, seen), _violations(page, seen)

    officer = new_context("desktop").new_page()
    seen_officer = _watch(officer)
    login(officer, people.kakan_lutra.username)
    for path in ("/petugas/", f"/petugas/permohonan/{app.tracking_code}/", "/situasi/", "/rakor/", "/rakor/baru/",
                 "/petugas/pengaduan/"):
        officer.goto(path)
        assert not _violations(officer, seen_officer), (path, _violations(officer, seen_officer))


def test_swagger_ui_works_under_the_policy(new_context):  # type: ignore[no-untyped-def]
    page = new_context("desktop").new_page()
    seen = _watch(page)
    page.goto("/api/v1/docs")
    expect(page.locator("#swagger-ui .info .title")).to_be_visible()  # the UI ran and read the schema
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    assert not _violations(page, seen), _violations(page, seen)
