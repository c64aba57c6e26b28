"""A penyuluh without a signal, in real Chromium at phone size: the field report app opens, the
phone goes offline, the report is written and saved into the outbox (waiting), the signal comes
back and the outbox delivers it once; the server holds exactly one report and "Laporan saya"
lists it. The service worker's shell opens the page while offline.

Waiting is done by polling with page.evaluate: wait_for_function evaluates a string as code,
which the Content-Security-Policy (no 'unsafe-eval') refuses."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from satupintu.field.models import FieldReport
from satupintu.organization.models import Role
from satupintu.situation.store import shared_analyzer
from tests.conftest import _staff
from tests.e2e.conftest import open_field_app
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OUTBOX_STATE = "(() => { const li = document.querySelector('#outbox li[data-state]'); " \
               "return li ? li.getAttribute('data-state') : null; })()"


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():  # type: ignore[no-untyped-def]
    shared_analyzer.reset()
    yield
    shared_analyzer.reset()


def _poll(page, script: str, wanted: object, seconds: float = 20) -> object:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if value == wanted:
            return value
        page.wait_for_timeout(200)
    raise AssertionError(f"{script!r} stayed {value!r}, wanted {wanted!r}")


def test_a_report_written_offline_is_delivered_once_after_reconnecting(new_context, artifacts):  # type: ignore[no-untyped-def]
    reporter = _staff("penyuluh.uji", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = context.new_page()
    open_field_app(page, reporter.username)
    # The app is installable: the service worker controls /lapangan/ once it is active.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)").endswith("/lapangan/")

    # --- No signal: the page still opens (the service worker's shell), and the report is kept.
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Laporan lapangan", exact=True)).to_be_visible()
    expect(page.locator("#net-status")).to_contain_text("Tidak ada sinyal")
    page.get_by_label("Kabupaten/kota").select_option("73.22")
    page.get_by_label("Kecamatan").select_option("73.22.03")  # Masamba, from the page's own list
    page.get_by_label("Kategori").select_option("worship")
    page.get_by_label("Urgensi").select_option("high")
    page.get_by_label("Jumlah orang yang terlibat").fill("40")
    page.get_by_label("Apa yang terjadi").fill("Warga menolak renovasi musala; mediasi oleh KUA Masamba besok.")
    page.get_by_role("button", name="Simpan dan kirim").click()
    assert _poll(page, OUTBOX_STATE, "waiting") == "waiting"
    expect(page.locator("#outbox")).to_contain_text("Sengketa rumah ibadat")
    shot(page, path=str(artifacts / "field-offline-outbox.png"), full_page=True)
    assert FieldReport.objects.count() == 0

    # --- The signal returns: the outbox sends by itself ("online" event), once.
    context.set_offline(False)
    assert _poll(page, OUTBOX_STATE, "sent") == "sent"
    expect(page.locator("#outbox")).to_contain_text("menunggu verifikasi")
    report = FieldReport.objects.get()
    assert (report.reporter_id, report.regency_code, report.district_code) == (reporter.pk, "73.22", "73.22.03")
    # "Laporan saya" shows it with its status; pressing "Kirim sekarang" again sends nothing more.
    expect(page.locator(f'#mine li[data-client-id="{report.client_id}"]')).to_contain_text("Menunggu verifikasi")
    page.get_by_role("button", name="Kirim sekarang").click()
    page.reload()
    assert _poll(page, OUTBOX_STATE, "sent") == "sent"
    assert FieldReport.objects.count() == 1
    shot(page, path=str(artifacts / "field-delivered.png"), full_page=True)


def test_a_queued_report_from_a_disabled_account_is_refused_not_retried(new_context):  # type: ignore[no-untyped-def]
    reporter = _staff("penyuluh.nonaktif", "73.22", Role.FIELD_REPORTER)
    context = new_context("phone")
    page = context.new_page()
    open_field_app(page, reporter.username)
    context.set_offline(True)
    page.get_by_label("Kabupaten/kota").select_option("73.22")
    page.get_by_label("Kategori").select_option("hoax")
    page.get_by_label("Urgensi").select_option("medium")
    page.get_by_label("Apa yang terjadi").fill("Pesan berantai tentang biaya nikah di KUA.")
    page.get_by_role("button", name="Simpan dan kirim").click()
    assert _poll(page, OUTBOX_STATE, "waiting") == "waiting"
    # The account is disabled while the report waits on the phone.
    reporter.is_active = False
    reporter.save()
    context.set_offline(False)
    assert _poll(page, OUTBOX_STATE, "refused") == "refused"
    expect(page.locator("#outbox")).to_contain_text("dinonaktifkan")
    page.get_by_role("button", name="Kirim sekarang").click()  # refused stays refused: not sent again
    page.wait_for_timeout(500)
    assert page.evaluate(OUTBOX_STATE) == "refused"
    assert FieldReport.objects.count() == 0
    # Fixing the report cannot help an account that is disabled: no "Perbaiki dan kirim ulang",
    # and the reason why; "Hapus" discards it after a second press ("Yakin hapus?").
    entry = page.locator("#outbox li[data-state=refused]")
    expect(entry.get_by_role("button", name="Perbaiki dan kirim ulang")).to_have_count(0)
    expect(entry.locator(".no-resend")).to_contain_text("yang ditolak adalah akun Anda")
    entry.get_by_role("button", name="Hapus", exact=True).click()
    expect(entry.get_by_role("button", name="Yakin hapus?")).to_be_visible()
    assert page.evaluate(OUTBOX_STATE) == "refused"  # one press deletes nothing
    entry.get_by_role("button", name="Yakin hapus?").click()
    expect(page.locator("#outbox")).to_contain_text("Kotak keluar kosong")
    expect(page.locator("#outbox-title")).to_be_focused()


def test_an_empty_report_lists_everything_missing_at_once_each_linked_to_its_field(new_context):  # type: ignore[no-untyped-def]
    """It said one thing per press (location, then category, then urgency, then the description)."""
    reporter = _staff("penyuluh.kosong", "73.22", Role.FIELD_REPORTER)
    page = new_context("phone").new_page()
    open_field_app(page, reporter.username)
    page.get_by_role("button", name="Simpan dan kirim").click()
    problems = page.locator("#form-error a")
    expect(problems).to_have_count(4)
    # As on every other form: a titled summary above the fields, focused, each field's message under it.
    summary = page.locator("#form-error")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Laporan belum tersimpan. Perbaiki isian berikut:")
    assert page.evaluate("document.getElementById('form-error').getBoundingClientRect().top"
                         " < document.getElementById('id_category').getBoundingClientRect().top")
    expect(summary).to_contain_text("Pilih kategori laporan.")
    expect(summary).to_contain_text("Tuliskan apa yang terjadi.")
    category = page.get_by_label("Kategori")
    described = category.get_attribute("aria-describedby") or ""
    assert any(page.locator(f"#{i}").inner_text() == "Pilih kategori laporan." for i in described.split()), described
    page.get_by_role("link", name="Pilih kategori laporan.").click()
    expect(page.get_by_label("Kategori")).to_be_focused()
    expect(page.get_by_label("Kategori")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Kategori").select_option("worship")
    page.get_by_role("button", name="Simpan dan kirim").click()
    expect(problems).to_have_count(3)
    expect(page.get_by_label("Kategori")).not_to_have_attribute("aria-invalid", "true")
    assert "(opsional)" not in page.locator("label[for=id_regency_code]").inner_text()
    assert FieldReport.objects.count() == 0
