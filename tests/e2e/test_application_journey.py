"""One application, from a citizen's phone to the product download, in real Chromium.

A citizen finds the service despite a typo, applies at Kankemenag Luwu Utara (73.22),
first with a wrong NIK, then correctly; downloads the receipt; a stranger's browser sees
only the status until it proves the phone number; the front office asks for a missing
document, the citizen sends it, the front office verifies, the Pendidikan Madrasah unit
processes, uploads the product and completes; the citizen downloads the product, which
counts as the hand-over. Every status change leaves one e-mail for the applicant in the
outbox table.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from satupintu.notifications.models import OutboxMessage, OutboxStatus
from satupintu.services.models import Application, Document, DocumentKind, Status
from satupintu.services.views.officer import DONE
from tests.conftest import VALID_NIK, VALID_PHONE, pdf_bytes
from tests.documents.pyhanko_check import validate_with_pyhanko
from tests.e2e.conftest import login
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "andi.rahmawati@contoh.id"
OFFICE = "Kantor Kementerian Agama Kabupaten Luwu Utara"
PASSWORD = "sandi-uji-123"
REQUIREMENTS = ["ijazah_asli", "fotokopi_ijazah", "ktp"]


def _pdf_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(pdf_bytes(text))
    return path


def _login(page: Page, username: str) -> None:
    login(page, username)
    expect(page.get_by_role("heading", name="Antrean permohonan")).to_be_visible()


def _officer_act(page: Page, button: str, action: str, status: str | None = None, note: str = "") -> None:
    """Click an action on the officer's detail page and wait for the page it redirects to."""
    if note:
        page.locator(f"#note-{action}").fill(note)
    page.get_by_role("button", name=button, exact=True).click()
    # The flash names this action, so a stale page from the previous action cannot match.
    with translation.override("id"):  # the page's language, whatever an earlier test left active here
        expect(page.locator(".messages")).to_have_text(str(DONE[action]))
    if status:
        expect(page.locator("#status")).to_have_text(status)


def _no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways on a phone by {overflow}px"


def test_citizen_applies_officers_complete_citizen_downloads(people, new_context, artifacts, tmp_path):  # type: ignore[no-untyped-def]
    files = {code: _pdf_file(tmp_path, f"{code}.pdf", f"Berkas {code}") for code in REQUIREMENTS}
    ktp_again = _pdf_file(tmp_path, "ktp-jelas.pdf", "KTP yang terbaca jelas")
    product_path = _pdf_file(tmp_path, "legalisir-ijazah.pdf", "Fotokopi ijazah dilegalisir")

    # --- 1. The citizen, on a phone, finds the service despite a typo and picks the office.
    citizen = new_context("phone").new_page()
    citizen.goto("/layanan/")
    citizen.get_by_label("Cari").fill("legalisr ijasah")
    citizen.get_by_role("button", name="Tampilkan").click()
    expect(citizen).to_have_url(re.compile(r"q=legalisr\+ijasah"))
    citizen.get_by_role("link", name="Legalisir Ijazah Madrasah", exact=True).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Legalisir Ijazah Madrasah")
    # The office in one step: the place typed (with a typo), then straight to the form.
    citizen.get_by_label("Ketik nama kabupaten/kota atau provinsi").fill("luwu utra")
    citizen.locator("form.office-picker button", has_text="Lanjut ke formulir").first.click()
    expect(citizen).to_have_url(re.compile(r"/layanan/legalisir-ijazah-madrasah/ajukan/\?office=73\.22$"))
    expect(citizen.get_by_role("heading", name="Formulir permohonan")).to_be_visible()

    # --- 2. A wrong NIK is refused in Indonesian and nothing is saved.
    citizen.get_by_label("Nama lengkap").fill("Andi Rahmawati")
    citizen.locator("#f-nik").fill("12345")
    citizen.locator("#f-phone").fill(VALID_PHONE)
    citizen.locator("#f-email").fill(EMAIL)
    citizen.locator("#f-nama_madrasah").fill("MA Negeri 1 Luwu Utara")
    citizen.locator("#f-jenjang").select_option("MA")
    citizen.locator("#f-tahun_lulus").fill("2008")
    citizen.locator("#f-jumlah_lembar").fill("3")
    for code, path in files.items():
        citizen.locator(f"#d-{code}").set_input_files(path)
    shot(citizen, path=artifacts / "01-citizen-form-mobile.png", full_page=True)
    _no_horizontal_scroll(citizen)
    before = Application.objects.count()
    citizen.get_by_role("button", name="Kirim permohonan").click()
    alert = citizen.get_by_role("alert")
    expect(alert).to_contain_text("Permohonan belum terkirim")
    expect(alert).to_contain_text("NIK harus terdiri dari 16 angka.")
    expect(citizen.locator("#f-nik + p.error")).to_have_text("NIK harus terdiri dari 16 angka.")
    expect(citizen.get_by_label("Nama lengkap")).to_have_value("Andi Rahmawati")  # typed values are kept
    expect(citizen.locator("#f-jenjang")).to_have_value("MA")
    shot(citizen, path=artifacts / "02-citizen-form-error-mobile.png", full_page=True)
    assert Application.objects.count() == before
    assert OutboxMessage.objects.count() == 0

    # Fix the NIK; the files sent are kept after an error, and choosing them again replaces them.
    citizen.locator("#f-nik").fill(VALID_NIK)
    for code, path in files.items():
        citizen.locator(f"#d-{code}").set_input_files(path)
    citizen.get_by_role("button", name="Kirim permohonan").click()

    # --- 3. The tracking page shows the code; the receipt PDF carries it.
    expect(citizen).to_have_url(re.compile(r"/lacak/[A-Z0-9]{5}-[A-Z0-9]{5}/\?baru=1$"))
    expect(citizen.get_by_role("status").filter(has_text="Permohonan terkirim.")).to_be_visible()
    code = citizen.locator("#tracking-code").inner_text().strip()
    app = Application.objects.get(tracking_code=code)
    assert Application.objects.count() == before + 1
    assert (app.nik, app.phone, app.email, app.office.code, app.status) == (
        VALID_NIK, "+6281234567890", EMAIL, "73.22", Status.SUBMITTED)
    assert app.form_data["jenjang"] == "MA" and app.form_data["nama_madrasah"] == "MA Negeri 1 Luwu Utara"
    assert sorted(app.documents.values_list("requirement_code", flat=True)) == sorted(REQUIREMENTS)
    expect(citizen.locator("#status")).to_have_text("Diajukan")
    # The due time is the office's local time (WITA for Luwu Utara), the same as in the e-mail.
    due_local = f"{app.due_at.astimezone(ZoneInfo(app.office.timezone)):%d-%m-%Y %H.%M}"
    assert f"Perkiraan selesai: {due_local} WITA." in OutboxMessage.objects.get().body
    expect(citizen.locator("#due")).to_contain_text(f"{due_local} (WITA)")
    expect(citizen.get_by_role("link", name="Unduh bukti permohonan (PDF)")).to_have_attribute(
        "href", f"/lacak/{code}/bukti.pdf")
    shot(citizen, path=artifacts / "03-tracking-new-mobile.png", full_page=True)
    _no_horizontal_scroll(citizen)

    receipt = citizen.request.get(f"/lacak/{code}/bukti.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    body = receipt.body()
    assert body.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert code in text

    # --- 4. Another browser (no session): the status only, details after the phone's last 4 digits.
    stranger = new_context("phone").new_page()
    stranger.goto("/lacak/")
    stranger.get_by_label("Kode lacak").fill(code.lower().replace("-", " "))  # forgiving input
    stranger.get_by_role("button", name="Lacak").click()
    expect(stranger).to_have_url(re.compile(rf"/lacak/{code}/$"))
    expect(stranger.locator("#status")).to_have_text("Diajukan")
    expect(stranger.get_by_role("heading", name="Lihat rincian")).to_be_visible()
    expect(stranger.get_by_text("Andi Rahmawati")).to_have_count(0)
    expect(stranger.get_by_role("link", name="Unduh bukti permohonan (PDF)")).to_have_count(0)
    assert stranger.request.get(f"/lacak/{code}/bukti.pdf", max_redirects=0).status == 302
    stranger.get_by_label("Empat digit terakhir nomor HP yang didaftarkan").fill("1111")
    stranger.get_by_role("button", name="Tampilkan").click()
    expect(stranger.get_by_role("alert")).to_contain_text("Empat digit terakhir nomor HP tidak cocok.")  # the summary
    expect(stranger.locator("#phone_last4_error")).to_have_text("Empat digit terakhir nomor HP tidak cocok.")
    expect(stranger.get_by_text("Andi Rahmawati")).to_have_count(0)
    stranger.get_by_label("Empat digit terakhir nomor HP yang didaftarkan").fill(VALID_PHONE[-4:])
    stranger.get_by_role("button", name="Tampilkan").click()
    expect(stranger.get_by_role("heading", name="Rincian")).to_be_visible()
    expect(stranger.locator("dd", has_text="Andi Rahmawati")).to_be_visible()
    expect(stranger.get_by_role("link", name="Unduh bukti permohonan (PDF)")).to_be_visible()

    # --- 5. The front office finds it in the queue and asks for a readable KTP.
    front = new_context("desktop").new_page()
    _login(front, "fo.lutra")
    row = front.locator("table.queue tbody tr", has_text=code)
    expect(row).to_contain_text("Legalisir Ijazah Madrasah")
    expect(row).to_contain_text("Andi Rahmawati")
    expect(row).to_contain_text(due_local[:5] + " " + due_local[-5:])  # "dd-mm HH.MM", office time
    row.get_by_role("link", name=code).click()
    expect(front).to_have_url(re.compile(rf"/petugas/permohonan/{code}/$"))
    expect(front.locator("#nik")).not_to_have_text(VALID_NIK)  # masked until asked for
    expect(front.locator("dt:text-is('Tenggat') + dd")).to_contain_text(f"{due_local} WITA")
    shot(front, path=artifacts / "04-officer-detail-desktop.png", full_page=True)
    front.get_by_label("Alasan membuka data").select_option("verify")  # every reveal says why
    front.get_by_role("button", name="Tampilkan data pribadi").click()
    expect(front.locator("#nik")).to_have_text(VALID_NIK)
    expect(front.locator("dd", has_text=EMAIL)).to_be_visible()
    note = "Foto KTP buram, mohon unggah ulang KTP yang terbaca jelas."
    _officer_act(front, "Minta kelengkapan", "request_completion", "Perlu Dilengkapi", note)

    # --- 6. The citizen reads the note and sends the missing document.
    citizen.goto(f"/lacak/{code}/")
    expect(citizen.locator("#status")).to_have_text("Perlu Dilengkapi")
    completion = citizen.locator("#lengkapi")
    expect(completion).to_contain_text(note)
    shot(citizen, path=artifacts / "05-tracking-needs-completion-mobile.png", full_page=True)
    _no_horizontal_scroll(citizen)
    completion.locator("#c-ktp").set_input_files(ktp_again)
    completion.get_by_label("Keterangan (opsional)").fill("Sudah saya foto ulang.")
    completion.get_by_role("button", name="Kirim kelengkapan").click()
    expect(citizen.locator(".messages .success")).to_contain_text("Terima kasih, berkas telah dikirim.")
    expect(citizen.locator("#status")).to_have_text("Diajukan")
    expect(citizen.locator("#lengkapi")).to_have_count(0)
    expect(citizen.locator(".timeline")).to_contain_text("Pemohon melengkapi berkas")
    assert app.documents.filter(requirement_code="ktp", superseded=False).get().original_name == "ktp-jelas.pdf"

    # --- 7. Front office verifies; the unit processes, uploads the product, completes.
    front.reload()
    expect(front.locator("#status")).to_have_text("Diajukan")
    _officer_act(front, "Verifikasi berkas", "verify", "Terverifikasi")
    expect(front.get_by_role("button", name="Proses", exact=True)).to_have_count(0)  # not a front-office step

    unit = new_context("desktop").new_page()
    _login(unit, "pendma.lutra")
    unit.locator("table.queue").get_by_role("link", name=code).click()
    _officer_act(unit, "Proses", "process", "Diproses")
    unit.locator("#product").set_input_files(product_path)
    _officer_act(unit, "Unggah produk", "upload_product")
    expect(unit.locator(".timeline")).to_contain_text("Produk layanan diunggah")
    unit.locator("#confirm-complete").check()  # completing asks for confirmation (no JavaScript needed)
    _officer_act(unit, "Selesaikan", "complete", "Selesai")
    shot(unit, path=artifacts / "06-officer-detail-completed-desktop.png", full_page=True)

    # --- 8. The citizen downloads the product: same bytes, and that is the hand-over.
    citizen.goto(f"/lacak/{code}/")
    expect(citizen.locator("#status")).to_have_text("Selesai")
    expect(citizen.locator(".timeline")).not_to_contain_text("Produk diserahkan")
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="Unduh legalisir-ijazah.pdf").click()
    download = info.value
    assert download.suggested_filename == "legalisir-ijazah.pdf"
    # The officer's file, sealed (issue #14): its bytes kept as the first revision, then the QR
    # stamp and the office's seal as incremental updates that pyHanko validates.
    downloaded = Path(download.path()).read_bytes()
    assert downloaded.startswith(product_path.read_bytes()) and len(downloaded) > product_path.stat().st_size
    assert validate_with_pyhanko(downloaded)
    citizen.reload()
    expect(citizen.locator(".timeline")).to_contain_text("Produk diserahkan")
    shot(citizen, path=artifacts / "07-tracking-completed-mobile.png", full_page=True)
    _no_horizontal_scroll(citizen)
    app.refresh_from_db()
    assert app.status == Status.COMPLETED and app.handed_over_at is not None
    assert Document.objects.filter(application=app, kind=DocumentKind.PRODUCT).count() == 1

    # --- 9. One message to the applicant per status change, in order, in the outbox table.
    messages = list(OutboxMessage.objects.filter(application=app).order_by("created_at", "id"))
    assert [m.subject for m in messages] == [
        f"Permohonan {code} diterima",
        f"Permohonan {code} perlu dilengkapi",
        f"Kelengkapan permohonan {code} diterima",
        f"Permohonan {code} telah diverifikasi",
        f"Permohonan {code} sedang diproses",
        f"Permohonan {code} selesai",
    ]
    assert {m.recipient for m in messages} == {EMAIL}
    assert {m.status for m in messages} == {OutboxStatus.SENT}  # delivered by the (eager) Celery task
    assert OutboxMessage.objects.exclude(application=app).count() == 0
    assert note in messages[1].body
    assert all(f"/lacak/{code}/" in m.body for m in messages)
