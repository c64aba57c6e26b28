"""A refused field report fixed on the phone and sent again, and background sync, in real
Chromium at phone size.

- The server refuses a report written offline (the time is tomorrow, one photo is broken):
  "Perbaiki dan kirim ulang" puts it back in the form with every field, the good photo kept
  from IndexedDB, the reason next to its field and focus on it; fixed, it replaces the refused
  entry, arrives once, and "Laporan saya" lists it.
- Background sync: a report queued offline registers the tag "kirim-laporan" with the service
  worker; with the page closed, the connection's return wakes the worker and it delivers the
  report (the same outbox code as the page, once).

Waiting is done by polling with page.evaluate (the CSP refuses wait_for_function's eval)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from satupintu.field.models import FieldReport
from satupintu.organization.models import Role
from satupintu.situation.store import shared_analyzer
from tests.conftest import _staff, jpeg_bytes, png_bytes
from tests.e2e.conftest import PHONE, open_field_app
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OUTBOX = "(() => Array.from(document.querySelectorAll('#outbox li[data-state]'))" \
         ".map(li => [li.getAttribute('data-client-id'), li.getAttribute('data-state')]))()"
SYNC_TAGS = "navigator.serviceWorker.ready.then(r => r.sync ? r.sync.getTags() : null)"


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():  # type: ignore[no-untyped-def]
    shared_analyzer.reset()
    yield
    shared_analyzer.reset()


def _poll(page, script: str, check, seconds: float = 20) -> object:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if check(value):
            return value
        page.wait_for_timeout(200)
    raise AssertionError(f"{script!r} stayed {value!r}")


def _sign_in(context, username: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    open_field_app(page, username)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)").endswith("/lapangan/")
    return page


def _local(days: int) -> str:
    """A datetime-local value on the phone's clock (the context's time zone), days from now."""
    return (datetime.now(ZoneInfo(PHONE["timezone_id"])) + timedelta(days=days)).strftime("%Y-%m-%dT10:00")


def test_a_refused_report_is_fixed_and_sent_again_once(new_context, artifacts):  # type: ignore[no-untyped-def]
    reporter = _staff("penyuluh.perbaiki", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = _sign_in(context, reporter.username)

    # --- Written offline: tomorrow's time by mistake, and a broken second photo.
    context.set_offline(True)
    page.get_by_label("Kabupaten/kota").select_option("73.22")
    page.get_by_label("Kecamatan").select_option("73.22.03")
    page.get_by_label("Kategori").select_option("worship")
    page.get_by_label("Urgensi").select_option("high")
    page.get_by_label("Jumlah orang yang terlibat").fill("40")
    page.get_by_label("Apa yang terjadi").fill("Warga menolak renovasi musala; mediasi oleh KUA Masamba.")
    tomorrow = _local(1)
    page.get_by_label("Waktu kejadian").fill(tomorrow)
    page.locator("#id_photos").set_input_files([
        {"name": "baik.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()},
        {"name": "rusak.png", "mimeType": "image/png", "buffer": png_bytes()[:30]},
    ])
    page.get_by_role("button", name="Simpan dan kirim").click()
    [(client_id, _)] = _poll(page, OUTBOX, lambda v: [s for _, s in v] == ["waiting"])  # type: ignore[misc]

    # --- The signal returns: the server refuses it, with its reasons; nothing is stored.
    context.set_offline(False)
    _poll(page, OUTBOX, lambda v: v == [[client_id, "refused"]])
    refused = page.locator(f'#outbox li[data-client-id="{client_id}"]')
    expect(refused).to_contain_text("masa depan")
    expect(refused).to_contain_text("Foto ke-2 rusak")
    assert FieldReport.objects.count() == 0

    # --- "Perbaiki dan kirim ulang": every field back, the good photo kept, the reasons by their
    # fields and announced, focus on the first field at fault.
    refused.get_by_role("button", name="Perbaiki dan kirim ulang").click()
    expect(page.locator("#fix-banner")).to_be_visible()
    expect(page.locator("#fix-reasons[role=alert]")).to_contain_text("masa depan")
    assert page.get_by_label("Kabupaten/kota").input_value() == "73.22"
    assert page.get_by_label("Kecamatan").input_value() == "73.22.03"
    assert page.get_by_label("Kategori").input_value() == "worship"
    assert page.get_by_label("Urgensi").input_value() == "high"
    assert page.get_by_label("Jumlah orang yang terlibat").input_value() == "40"
    assert page.get_by_label("Apa yang terjadi").input_value().startswith("Warga menolak renovasi musala")
    when = page.get_by_label("Waktu kejadian")
    assert when.input_value() == tomorrow
    expect(when).to_have_attribute("aria-invalid", "true")
    expect(when).to_be_focused()
    expect(page.locator("#server-error-occurred_at")).to_contain_text("tidak boleh di masa depan")
    expect(page.locator("#server-error-photos")).to_contain_text("rusak.png")
    expect(page.locator("#kept-photos")).to_contain_text("baik.jpg")
    expect(page.locator("#kept-photos")).not_to_contain_text("rusak.png")
    shot(page, path=str(artifacts / "field-fix-refused.png"), full_page=True)

    when.fill(_local(-1))
    page.get_by_role("button", name="Kirim ulang", exact=True).click()

    # --- Sent once, in place of the refused entry (a refusal stores nothing: the same client_id).
    _poll(page, OUTBOX, lambda v: v == [[client_id, "sent"]])
    report = FieldReport.objects.get()
    assert str(report.client_id) == client_id
    assert (report.regency_code, report.district_code, report.people_involved) == ("73.22", "73.22.03", 40)
    assert report.photos.count() == 1
    expect(page.locator(f'#mine li[data-client-id="{client_id}"]')).to_contain_text("Menunggu verifikasi")
    expect(page.locator("#fix-banner")).to_be_hidden()
    page.get_by_role("button", name="Kirim sekarang").click()
    page.wait_for_timeout(500)
    assert FieldReport.objects.count() == 1


def test_a_report_queued_offline_is_sent_by_the_service_worker_with_the_page_closed(new_context):  # type: ignore[no-untyped-def]
    reporter = _staff("penyuluh.sinkron", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = _sign_in(context, reporter.username)
    page.reload()  # controlled by the worker from here on
    if page.evaluate("navigator.serviceWorker.ready.then(r => 'sync' in r)") is not True:
        pytest.fail("this Chromium has no Background Sync API")
    context.set_offline(True)
    page.get_by_label("Kabupaten/kota").select_option("73.22")
    page.get_by_label("Kategori").select_option("hoax")
    page.get_by_label("Urgensi").select_option("medium")
    page.get_by_label("Apa yang terjadi").fill("Pesan berantai tentang biaya nikah di KUA.")
    page.get_by_role("button", name="Simpan dan kirim").click()
    _poll(page, OUTBOX, lambda v: [s for _, s in v] == ["waiting"])
    # The page asked the worker to send when the connection returns.
    assert _poll(page, SYNC_TAGS, lambda v: v == ["kirim-laporan"]) == ["kirim-laporan"]
    page.wait_for_timeout(1000)  # still offline: the sync waits for the connection, nothing is sent
    assert page.evaluate(SYNC_TAGS) == ["kirim-laporan"] and FieldReport.objects.count() == 0

    # The page is closed; the signal returns; the browser wakes the worker, which sends.
    page.close()
    context.set_offline(False)
    # The browser wakes the worker when it sees the network back: seconds when quiet, longer on a
    # machine busy with other suites (it once missed 30 s there). Only a failure waits this long.
    deadline = time.monotonic() + 90
    while not FieldReport.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert FieldReport.objects.filter(reporter=reporter).count() == 1

    # Opened again: the outbox shows it sent (the worker wrote the answer), and nothing goes twice.
    page = context.new_page()
    page.goto("/lapangan/")
    _poll(page, OUTBOX, lambda v: [s for _, s in v] == ["sent"])
    assert page.evaluate(SYNC_TAGS) == []
    assert FieldReport.objects.count() == 1
