"""A letter from its template to the citizen's hands, in real Chromium at phone size: the unit's
officer makes and sends the draft, the head signs it, the worker signs it, the citizen
downloads it from the tracking page and anyone checks it at /verifikasi/ ("SAH" for the
download, "TIDAK SAH" for a copy with one byte changed) (issue #14)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from satupintu.documents.models import IssuedDocument, State
from satupintu.services.workflow import application_transition
from tests.conftest import VALID_PHONE, valid_submission
from tests.documents.pyhanko_check import validate_with_pyhanko
from tests.e2e.conftest import login
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_template_letter_signed_downloaded_and_verified(new_context, people, artifacts, tmp_path):  # type: ignore[no-untyped-def]
    from satupintu.services.applications import application_submit

    app, _ = application_submit(valid_submission(service="duplikat-ijazah-madrasah"))
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)

    officer = new_context("phone").new_page()
    login(officer, "pendma.lutra")
    officer.goto(f"/petugas/permohonan/{app.tracking_code}/")
    officer.get_by_role("button", name="Buat dokumen dari templat").click()
    expect(officer).to_have_url(re.compile(r"/petugas/dokumen/\d+/$"))
    expect(officer.locator("#doc-state")).to_have_text("Draf")
    officer.get_by_role("button", name="Ajukan untuk ditandatangani").click()
    expect(officer.locator("#doc-state")).to_have_text("Menunggu tanda tangan")

    head = new_context("phone").new_page()
    login(head, "kakan.lutra")
    head.goto("/petugas/dokumen/")
    waiting = head.get_by_role("link", name="Surat Keterangan Pengganti Ijazah").first
    waiting.scroll_into_view_if_needed()
    # What a finger at the link's centre touches is the link: the list once sat clipped in a
    # 22-pixel strip (a CSS class clash) and Playwright's own click still got through.
    assert waiting.evaluate("a => { const r = a.getBoundingClientRect();"
                            " return a.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }")
    waiting.click()
    head.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(head.locator(".error-summary")).to_be_visible()  # the statement was not ticked
    head.get_by_label("Saya telah membaca dokumen ini").check()
    head.get_by_role("button", name="Setujui dan tandatangani").click()
    # The approval queued the signing task; the tests' worker is eager, so the page it lands on
    # already shows the signed document (in production: "Sedang ditandatangani" for a moment).
    expect(head.locator("#doc-state")).to_have_text("Sah")
    doc = IssuedDocument.objects.get(application=app)
    assert doc.state == State.VALID and doc.letter_number
    app = application_transition(app, "complete", user=people.pendma_lutra)

    citizen = new_context("phone").new_page()
    citizen.goto(f"/lacak/{app.tracking_code}/")
    citizen.locator("#phone_last4").fill(VALID_PHONE[-4:])
    citizen.get_by_role("button", name="Tampilkan").click()
    with citizen.expect_download() as got:
        citizen.get_by_role("link", name=re.compile("^Unduh surat-keterangan")).click()
    path = tmp_path / "surat.pdf"
    got.value.save_as(path)
    assert validate_with_pyhanko(path.read_bytes())

    citizen.get_by_role("link", name="Periksa keaslian").first.click()
    expect(citizen).to_have_url(re.compile(rf"/verifikasi/{doc.token}$"))
    citizen.get_by_label("Berkas PDF yang ingin diperiksa").set_input_files(path)
    citizen.get_by_role("button", name="Periksa keaslian").click()
    expect(citizen.locator("#hasil h2")).to_have_text("✔ SAH")
    shot(citizen, path=str(artifacts / "verifikasi-sah.png"), full_page=True)

    changed = bytearray(path.read_bytes())
    changed[len(changed) // 2] ^= 0x01
    tampered = tmp_path / "surat-diubah.pdf"
    tampered.write_bytes(bytes(changed))
    citizen.get_by_label("Berkas PDF yang ingin diperiksa").set_input_files(tampered)
    citizen.get_by_role("button", name="Periksa keaslian").click()
    expect(citizen.locator("#hasil h2")).to_have_text("✘ TIDAK SAH")
    expect(citizen.locator("#hasil")).to_contain_text("SHA-256 tidak cocok")
    shot(citizen, path=str(artifacts / "verifikasi-tidak-sah.png"), full_page=True)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
