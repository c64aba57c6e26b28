"""Issue #16 in real Chromium at phone size (390 px), as people click through it.

1. Humas: the Kanwil Sulawesi Selatan's Humas officer sets Luwu Utara's target (0 is refused with
   a clear message, 3 stories a week is kept); Luwu Utara's Humas officer registers its Facebook
   page and imports the sample Meta export (the bad row named by its line); the Kanwil's ranking
   for November 2026 then shows Luwu Utara with its social posts.
2. Breakthroughs and Zona Integritas: a unit officer of Luwu Utara registers a breakthrough with an
   evidence PDF (after a first try with a field left empty: the error summary's link takes the
   focus to that field), its page shows the before/after chart and "Belum ada data" for an
   indicator without data; the head of office opens the Zona Integritas pack and downloads its
   PDF (the six areas) and ZIP (README, the area folders; the uploaded evidence named in the
   README with the page to fetch it from, not packed: it was never screened for personal data).

No page may scroll sideways on the phone.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from satupintu.feedback.models import SurveyResponse
from satupintu.humas.models import SocialImport, Target
from satupintu.humas.social_exports import parse_export
from satupintu.organization.models import Office, Role, Unit
from satupintu.reform.indicators import office_today
from satupintu.reform.models import Breakthrough
from tests.conftest import _staff, pdf_bytes
from tests.e2e.conftest import PASSWORD
from tests.e2e.shots import shot as take_shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = 390
SAMPLE = "meta_facebook_posts_id.csv"
AREAS = ("Manajemen Perubahan", "Penataan Tata Laksana", "Penataan Sistem Manajemen SDM", "Penguatan Akuntabilitas",
         "Penguatan Pengawasan", "Peningkatan Kualitas Pelayanan Publik")
AREA_FOLDERS = ("1-manajemen-perubahan/", "2-penataan-tata-laksana/", "3-penataan-sistem-manajemen-sdm/",
                "4-penguatan-akuntabilitas/", "5-penguatan-pengawasan/", "6-peningkatan-kualitas-pelayanan-publik/")


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Staff sign-in at /masuk/; where a Humas officer or a unit officer lands differs, so wait
    only for the sign-in page to be left."""
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/masuk/"))


def no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width} px wide"


def shot(page, artifacts, name: str) -> None:  # type: ignore[no-untyped-def]
    take_shot(page, path=str(artifacts / name), full_page=True)
    no_sideways_scroll(page)


# --- 1. Humas ----------------------------------------------------------------------------------------

def test_humas_target_facebook_import_and_kanwil_ranking(new_context, artifacts):  # type: ignore[no-untyped-def]
    from satupintu.humas.demo import SAMPLES

    _staff("humas.sulsel", "73", Role.HUMAS)
    _staff("humas.lutra", "73.22", Role.HUMAS)
    lutra = Office.objects.get(code="73.22")
    data = (SAMPLES / SAMPLE).read_bytes()
    expected = parse_export(SAMPLE, data, "facebook")
    assert expected.problems, "the sample keeps one bad row to show"
    tz = ZoneInfo(lutra.timezone)
    november = {r.post_id for r in expected.rows if r.published_at.astimezone(tz).strftime("%Y-%m") == "2026-11"}

    # --- The Kanwil's Humas officer sets Luwu Utara's target for 2026.
    kanwil = new_context("phone").new_page()
    sign_in(kanwil, "humas.sulsel")
    kanwil.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Humas").click()
    expect(kanwil).to_have_url(re.compile(r"/humas/$"))
    kanwil.goto("/humas/target/?tahun=2026")
    expect(kanwil.get_by_role("heading", name="Target Humas 2026")).to_be_visible()
    card = kanwil.locator("section.card").filter(has=kanwil.get_by_role("heading", name=lutra.short_name, exact=True))
    card.get_by_label("Berita per minggu").fill("0")
    card.get_by_role("button", name="Simpan").click()
    card = kanwil.locator("section.card").filter(has=kanwil.get_by_role("heading", name=lutra.short_name, exact=True))
    # The page comes back at the top of a long list; the summary takes the focus (and the view).
    expect(card.locator("#error-summary")).to_contain_text("minimal 1")
    expect(card.locator("#error-summary")).to_be_focused()
    field = card.get_by_label("Berita per minggu")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value("0")
    take_shot(kanwil, path=str(artifacts / "60-humas-target-zero-refused-phone.png"))
    no_sideways_scroll(kanwil)
    assert not Target.objects.filter(office=lutra).exists()
    field.fill("3")
    card.get_by_role("button", name="Simpan").click()
    expect(kanwil.locator(".messages")).to_contain_text(f"Target {lutra.short_name} disimpan.")
    assert Target.objects.get(office=lutra, year=2026).stories_per_week == 3

    # --- Luwu Utara's Humas officer registers the Facebook page and imports the Meta export.
    officer = new_context("phone").new_page()
    sign_in(officer, "humas.lutra")
    officer.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Humas").click()
    expect(officer.get_by_role("heading", name=f"Kinerja Humas {lutra.short_name}")).to_be_visible()
    expect(officer.get_by_role("heading", name="Impor angka media sosial")).to_have_count(0)  # no social channel yet
    officer.get_by_label("Platform (wajib)", exact=True).select_option(label="Facebook")
    officer.get_by_label("Nama akun atau nomor").fill("Kemenag Luwu Utara")
    officer.get_by_role("button", name="Daftarkan").click()
    expect(officer.locator(".messages")).to_contain_text("Kanal didaftarkan.")
    imports = officer.locator("section", has=officer.get_by_role("heading", name="Impor angka media sosial"))
    imports.get_by_label("Kanal").select_option(label="Facebook · Kemenag Luwu Utara")
    imports.get_by_label("Berkas ekspor (CSV/XLSX)").set_input_files(str(SAMPLES / SAMPLE))
    imports.get_by_role("button", name="Impor").click()
    message = officer.locator(".messages")
    expect(message).to_contain_text(f"{len(expected.rows)} baris diimpor")
    expect(message).to_contain_text(f"{len(expected.problems)} baris bermasalah")
    expect(message).to_contain_text(f"baris {expected.problems[0].line}:")
    record = SocialImport.objects.get(channel__office=lutra)
    assert record.rows_imported == len(expected.rows)
    # When it was imported, in the office's own time (WITA), not the server's.
    expect(imports).to_contain_text(record.created_at.astimezone(tz).strftime("%d/%m/%Y %H.%M"))
    imports.get_by_text("Baris bermasalah").click()
    expect(imports.get_by_text(f"baris {expected.problems[0].line}:")).to_be_visible()
    shot(officer, artifacts, "61-humas-office-import-phone.png")

    # --- The Kanwil's ranking for November shows Luwu Utara with its social posts and its target.
    kanwil.goto("/humas/")
    kanwil.get_by_role("link", name="Peringkat", exact=True).click()
    kanwil.get_by_label("Satu bulan").check()
    kanwil.get_by_label("Bulan", exact=True).fill("2026-11")
    kanwil.get_by_role("button", name="Tampilkan").click()
    expect(kanwil).to_have_url(re.compile(r"/humas/peringkat/\?.*bulan=2026-11"))
    expect(kanwil.get_by_role("heading", name=re.compile("Peringkat Humas .*Sulawesi Selatan, November 2026"))).to_be_visible()
    row = kanwil.locator("table.queue tbody tr").filter(
        has=kanwil.get_by_role("link", name=lutra.short_name, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(5)).to_have_text(f"Medsos: {len(november)}")
    expect(row.locator("td").nth(4)).to_have_text(re.compile(r"Capaian target: \d+%"))  # the target counts
    expect(kanwil.locator(".bars .bar-row").filter(has_text=lutra.short_name)).to_have_count(1)
    shot(kanwil, artifacts, "62-humas-ranking-phone.png")


# --- 2 and 3. A breakthrough, then the Zona Integritas pack ------------------------------------------

def _surveys(office: Office, unit: Unit, day: date, value: int, n: int) -> None:
    """Paper survey answers of the unit on ``day`` (as an officer types them in from the box)."""
    SurveyResponse.objects.bulk_create([SurveyResponse(office=office, unit=unit, channel="paper", answered_on=day,
                                                       **{f"u{i}": value for i in range(1, 10)}) for _ in range(n)])


def test_breakthrough_with_evidence_then_zona_integritas_pack(people, new_context, artifacts, tmp_path):  # type: ignore[no-untyped-def]
    lutra, pendma = Office.objects.get(code="73.22"), Unit.objects.get(code="pendma")
    today = office_today(lutra)
    started = max(today - timedelta(days=30), date(today.year, 1, 1))  # inside this year's pack
    # IKM answers before and after the start (enough of each); no complaint was ever answered.
    _surveys(lutra, pendma, started - timedelta(days=10), 3, n=12)
    _surveys(lutra, pendma, min(started + timedelta(days=5), today), 4, n=12)
    evidence = tmp_path / "foto-layanan.pdf"
    evidence.write_bytes(pdf_bytes("Bukti terobosan legalisir daring"))

    # --- The unit officer registers the breakthrough, forgetting the problem at first.
    page = new_context("phone").new_page()
    sign_in(page, people.pendma_lutra.username)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Terobosan").click()
    page.get_by_role("link", name=re.compile("Daftarkan terobosan")).click()
    expect(page).to_have_url(re.compile(r"/terobosan/baru/$"))
    page.get_by_label("Nama terobosan").fill("Legalisir daring")
    page.get_by_label("Perubahan yang dibuat").fill("Legalisir ijazah diajukan dari ponsel, tanpa datang ke loket.")
    page.get_by_label("Mulai berlaku").fill(started.isoformat())
    page.get_by_label("Indeks Kepuasan Masyarakat (IKM)").check()
    page.get_by_label("Lama penanganan pengaduan (jam kerja)").check()
    page.get_by_role("button", name="Daftarkan").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Terobosan belum tersimpan")
    expect(summary).to_be_focused()
    assert not Breakthrough.objects.exists()
    shot(page, artifacts, "70-terobosan-error-summary-phone.png")
    summary.get_by_role("link").first.click()
    expect(page.locator("#t-problem")).to_be_focused()  # forms.js: the link moves the focus, not just the view
    assert page.url.endswith("/terobosan/baru/")  # ...and leaves no #fragment to follow the next redirect
    expect(page.locator("#t-problem")).to_have_attribute("aria-invalid", "true")
    # What was typed is still there, ticks included.
    expect(page.get_by_label("Nama terobosan")).to_have_value("Legalisir daring")
    expect(page.get_by_label("Indeks Kepuasan Masyarakat (IKM)")).to_be_checked()
    page.keyboard.type("Warga antre lama di loket untuk legalisir ijazah.")
    page.get_by_label("Berkas bukti").set_input_files(str(evidence))
    page.get_by_role("button", name="Daftarkan").click()
    expect(page).to_have_url(re.compile(r"/terobosan/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Terobosan terdaftar.")
    b = Breakthrough.objects.get()
    assert b.problem.startswith("Warga antre lama") and b.started_on == started and b.evidence.count() == 1

    # --- Its page: a chart per indicator; IKM has figures, complaints "Belum ada data".
    ikm = page.locator("[data-testid=effect][data-kind=ikm]")
    chart = ikm.locator("svg[data-testid=before-after-chart]")
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("title").first).not_to_be_empty()
    expect(chart.locator("rect.bar")).to_have_count(2)
    expect(ikm.get_by_text("Berubah ke arah yang baik.")).to_be_visible()
    hours = page.locator("[data-testid=effect][data-kind=complaint_hours]")
    expect(hours.locator("svg[role=img]")).to_have_count(1)
    expect(hours.get_by_test_id("no-data")).to_contain_text("Belum ada data")
    expect(page.get_by_test_id("evidence").get_by_role("link")).to_have_count(1)
    shot(page, artifacts, "71-terobosan-detail-phone.png")

    # --- The head of office opens the Zona Integritas pack and downloads the PDF and the ZIP.
    head = new_context("phone").new_page()
    sign_in(head, people.kakan_lutra.username)
    head.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Terobosan").click()
    expect(head.get_by_role("link", name="Legalisir daring")).to_be_visible()
    head.get_by_role("link", name="Bukti Zona Integritas").click()
    expect(head).to_have_url(re.compile(r"/zona-integritas/73\.22/$"))  # one office: straight to its pack
    expect(head.get_by_role("heading", level=1)).to_contain_text(lutra.name)
    for number, area in enumerate(AREAS, 1):
        expect(head.locator(f"#area-{number} h2")).to_contain_text(area)
    expect(head.locator("#area-1")).to_contain_text("Legalisir daring")
    shot(head, artifacts, "75-zona-integritas-pack-phone.png")
    with head.expect_download() as got:
        head.get_by_role("link", name="PDF", exact=True).click()
    pdf = got.value
    assert pdf.suggested_filename == f"zona-integritas-73.22-{today.year}.pdf"
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf.path()).pages)
    for area in AREAS:
        assert area in text
    assert "Legalisir daring" in text
    with head.expect_download() as got:
        head.get_by_role("link", name="ZIP (PDF, angka, dokumen)").click()
    archive = zipfile.ZipFile(io.BytesIO(got.value.path().read_bytes()))
    names = set(archive.namelist())
    assert "README.txt" in names and set(AREA_FOLDERS) <= names
    assert not any("bukti" in n for n in names), names
    readme = archive.read("README.txt").decode()
    assert f"/terobosan/{b.pk}/#bukti" in readme and "Berkas bukti tidak disertakan" in readme
