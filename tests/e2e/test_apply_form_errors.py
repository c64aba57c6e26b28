"""The apply form on a phone (390 px) when the citizen makes a mistake, in real Chromium:
the error summary takes focus, its link moves focus to the field, the files already sent
are kept (not picked again), a file of the wrong type is refused before sending, and the
corrected form goes through with every file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from satupintu.services.models import Application, UploadStash
from tests.conftest import VALID_NIK, VALID_PHONE, pdf_bytes, png_bytes
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

URL = "/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22"


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _focused_id(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_error_summary_focus_kept_files_then_success(new_context, artifacts, tmp_path):  # type: ignore[no-untyped-def]
    files = {code: _file(tmp_path, f"{code}.pdf", pdf_bytes(code)) for code in ("ijazah_asli", "fotokopi_ijazah", "ktp")}
    page = new_context("phone").new_page()
    assert page.viewport_size["width"] == 390
    posts: list[str | None] = []  # forms.js sends the form itself to show upload progress
    page.on("request", lambda r: posts.append(r.headers.get("x-form-upload")) if r.method == "POST" else None)
    page.goto(URL)
    expect(page.locator("label[for=f-name]")).to_contain_text("(wajib)")
    expect(page.locator("label[for=f-email]")).to_contain_text("(opsional)")

    # A picture renamed .txt is refused in the browser, before anything is sent.
    page.locator("#d-ktp").set_input_files(_file(tmp_path, "ktp.txt", png_bytes()))
    expect(page.locator("#d-ktp-client-error")).to_have_text("Berkas harus berupa PDF, JPG atau PNG.")
    assert page.locator("#d-ktp").evaluate("input => input.files.length") == 0

    page.get_by_label("Nama lengkap").fill("Andi Rahmawati")
    page.locator("#f-nik").fill(VALID_NIK)
    page.locator("#f-phone").fill(VALID_PHONE)
    page.locator("#f-nama_madrasah").fill("MA Negeri 1 Luwu Utara")
    page.locator("#f-jenjang").select_option("MA")
    page.locator("#f-tahun_lulus").fill("3020")  # the typo
    page.locator("#f-jumlah_lembar").fill("3")
    for code, path in files.items():
        page.locator(f"#d-{code}").set_input_files(path)
    expect(page.locator("#d-ktp-client-error")).to_have_count(0)
    page.get_by_role("button", name="Kirim permohonan").click()

    # The summary names the problem and has the focus; its link takes the keyboard to the field.
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Permohonan belum terkirim")
    expect(summary).to_contain_text("'Tahun lulus' harus antara 1900 dan")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    shot(page, path=artifacts / "h7-apply-error-summary-mobile.png", full_page=True)
    summary.get_by_role("link", name=re.compile("Tahun lulus")).click()
    assert _focused_id(page) == "f-tahun_lulus"
    expect(page.locator("#f-tahun_lulus")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-tahun_lulus")).to_have_value("3020")
    # Every file was kept and is named next to its input.
    for code in files:
        expect(page.locator(f"#f-{code}_kept")).to_contain_text(f"Berkas tersimpan: {code}.pdf")
    assert UploadStash.objects.count() == 3 and Application.objects.count() == 0
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    # Fix the year only (the keyboard is already there) and send: no file picked again.
    page.keyboard.press("Control+A")
    page.keyboard.type("2008")
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page).to_have_url(re.compile(r"/lacak/[A-Z0-9]{5}-[A-Z0-9]{5}/\?baru=1$"))
    expect(page.get_by_role("status").filter(has_text="Permohonan terkirim.")).to_be_visible()
    app = Application.objects.get()
    assert app.form_data["tahun_lulus"] == "2008"
    assert {d.requirement_code: d.original_name for d in app.documents.all()} == {
        code: f"{code}.pdf" for code in files}
    assert UploadStash.objects.count() == 0
    assert posts == ["1", "1"]


def test_without_javascript_the_form_still_posts(browser, live_server, tmp_path):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(URL)
        page.get_by_label("Nama lengkap").fill("Andi Rahmawati")
        page.locator("#f-nik").fill("123")
        page.locator("#d-ktp").set_input_files(_file(tmp_path, "ktp.pdf", pdf_bytes("ktp")))
        page.get_by_role("button", name="Kirim permohonan").click()
        expect(page.locator("#error-summary")).to_contain_text("NIK harus terdiri dari 16 angka.")
        expect(page.locator("#f-ktp_kept")).to_contain_text("Berkas tersimpan: ktp.pdf")
    finally:
        ctx.close()
