"""The pack's page, PDF and ZIP: readable, complete, safe names, escaped cells, no personal data,
and only for the people whose office it is."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfReader

from satupintu.organization.models import Office, Role, StaffRole
from tests.conftest import VALID_NIK
from tests.reform.zi_rows import YEAR, answer, breakthrough, complaint, completed_application, survey

pytestmark = pytest.mark.django_db
AREAS = ("Manajemen Perubahan", "Penataan Tata Laksana", "Penataan Sistem Manajemen SDM", "Penguatan Akuntabilitas",
         "Penguatan Pengawasan", "Peningkatan Kualitas Pelayanan Publik")


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


def _staff(username: str, office: str, role: str):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, f"{username}@test.local", "x")
    StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=role)
    return user


@pytest.fixture
def office_year(people):  # type: ignore[no-untyped-def]
    """Luwu Utara's 2025: one application on time and one late, complaints, surveys, a breakthrough
    whose evidence has a hostile title, a Rakor meeting."""
    from datetime import datetime, timedelta

    from satupintu.rakor import meetings

    completed_application(people, late=False)
    completed_application(people, late=True, week=1)
    answer(complaint(1), people.kakan_lutra, late=False)
    survey("73.22", date(YEAR, 5, 2), 4, n=3)
    breakthrough(evidence_title="../../etc/passwd")
    b = breakthrough(title="=HYPERLINK(\"http://x.example\")", evidence_title="=cmd|' /C calc'!A0")
    b.evidence.create(title="Video sosialisasi", link="https://video.example/terobosan")
    start = datetime(YEAR, 4, 7, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    meetings.create_meeting(meetings.MeetingDraft(
        office="73.22", type="rakor", title="Rakor Zona Integritas", starts_at=start,
        ends_at=start + timedelta(hours=2), agenda=["Pembangunan ZI"], decisions=["Bentuk tim ZI"]), user=None)
    return people


def test_pdf_has_every_area_its_figures_and_no_personal_data(client, office_year):
    client.force_login(office_year.kakan_lutra)
    response = client.get(f"/zona-integritas/73.22/{YEAR}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="zona-integritas-73.22-{YEAR}.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    for area in AREAS:
        assert area in text
    assert "Permohonan selesai tepat waktu (SLA)" in text and "50,0%" in text
    assert "100,00" in text  # the IKM of three all-4 answers
    assert "Belum ada data di Satu Pintu: lampirkan dari" in text
    assert "Legalisir daring" in text and "Rakor Zona Integritas" in text
    for personal in ("Andi Rahmawati", VALID_NIK, "Siti Pelapor", "081298765431", "081234567890"):
        assert personal not in text


def test_zip_has_area_folders_readme_figures_and_documents_under_safe_names(client, office_year):
    client.force_login(office_year.kakan_lutra)
    response = client.get(f"/zona-integritas/73.22/{YEAR}.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    for folder in ("1-manajemen-perubahan/", "2-penataan-tata-laksana/", "3-penataan-sistem-manajemen-sdm/",
                   "4-penguatan-akuntabilitas/", "5-penguatan-pengawasan/",
                   "6-peningkatan-kualitas-pelayanan-publik/"):
        assert folder in names
    stem = f"zona-integritas-73.22-{YEAR}"
    assert {"README.txt", f"{stem}.pdf", f"angka-{stem}.csv", f"angka-{stem}.xlsx"} <= set(names)
    for name in names:  # nothing can land outside the archive's folders
        assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name
    assert not any("bukti" in n for n in names)  # uploaded evidence is listed, not packed (reform/integrity.py)
    minutes = [n for n in names if n.startswith("4-penguatan-akuntabilitas/notulen-rakor/")]
    assert len(minutes) == 1 and "Rakor Zona Integritas" in _pdf_text(archive.read(minutes[0]))
    skm = f"6-peningkatan-kualitas-pelayanan-publik/laporan-skm-73-22-{YEAR}.pdf"
    assert "Survei Kepuasan Masyarakat" in _pdf_text(archive.read(skm)).replace("SURVEI KEPUASAN MASYARAKAT",
                                                                              "Survei Kepuasan Masyarakat")
    readme = archive.read("README.txt").decode()
    assert "1-manajemen-perubahan/" in readme and "https://video.example/terobosan" in readme
    assert "Belum ada data di Satu Pintu" in readme
    everything = readme + archive.read(f"angka-{stem}.csv").decode("utf-8-sig")
    for personal in ("Andi Rahmawati", VALID_NIK, "Siti Pelapor", "081298765431"):
        assert personal not in everything


def test_csv_cells_that_would_be_formulas_are_text(client, office_year):
    client.force_login(office_year.kakan_lutra)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    rows = list(csv.reader(io.StringIO(archive.read(f"angka-zona-integritas-73.22-{YEAR}.csv").decode("utf-8-sig"))))
    assert rows[0][:3] == ["area", "kode", "indikator"]
    sla = next(r for r in rows if r[1] == "sla_on_time" and r[-1] == "ada data")
    assert sla[4] == "50.0" and sla[6] == "50,0%"
    titles = [r[2] for r in rows if r[-1] == "dokumen"]
    assert any(t.startswith("'=HYPERLINK") for t in titles)
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_page_shows_areas_completeness_and_download_links(client, office_year):
    client.force_login(office_year.kakan_lutra)
    page = client.get(f"/zona-integritas/73.22/?tahun={YEAR}").content.decode()
    for area in AREAS:
        assert area in page
    assert f'href="/zona-integritas/73.22/{YEAR}.pdf"' in page and f'href="/zona-integritas/73.22/{YEAR}.zip"' in page
    assert "<progress" in page and "Belum ada data di Satu Pintu" in page
    assert "Andi Rahmawati" not in page and VALID_NIK not in page


@pytest.mark.parametrize("url", ["/zona-integritas/73.22/?tahun=abc", "/zona-integritas/73.22/?tahun=1999",
                                 "/zona-integritas/73.22/2999.pdf", "/zona-integritas/73.22/20x5.zip",
                                 "/zona-integritas/73.22/?tahun=%C2%B2", "/zona-integritas/73.22/%C2%B2%C2%B2.pdf",
                                 "/zona-integritas/73.22/?tahun=" + "9" * 5000])  # past int()'s digit limit
def test_bad_year_is_a_400_with_the_reason(client, people, url):
    client.force_login(people.kakan_lutra)
    response = client.get(url)
    assert response.status_code == 400
    assert "Tahun harus berupa angka dari 2015 sampai" in response.content.decode()


def test_who_may_see_which_pack(client, people):
    admin = _staff("admin.lutra", "73.22", Role.ADMIN)
    inspector = _staff("itwil.sulsel", "73", Role.INSPECTORATE)
    root = get_user_model().objects.create_superuser("root", "root@test.local", "x")
    allowed = [(people.kakan_lutra, "73.22"), (admin, "73.22"), (inspector, "73.22"), (inspector, "73"),
               (people.kakanwil_sulsel, "73.22"), (people.kakanwil_sulsel, "73.71"), (root, "33")]
    for user, code in allowed:
        client.force_login(user)
        assert client.get(f"/zona-integritas/{code}/").status_code == 200, (user, code)
    refused = [(people.kakan_lutra, "73.71", 404), (people.kakanwil_jateng, "73.22", 404),
               (people.kakanwil_sulsel, "33", 404), (people.fo_lutra, "73.22", 403),
               (people.pendma_lutra, "73.22", 403), (people.outsider, "73.22", 403)]
    for user, code, status in refused:
        client.force_login(user)
        assert client.get(f"/zona-integritas/{code}/").status_code == status, (user, code)
        assert client.get(f"/zona-integritas/{code}/{YEAR}.zip").status_code == status, (user, code)
    client.logout()
    assert client.get("/zona-integritas/73.22/").status_code == 302


def test_index_goes_to_the_only_office_or_lets_a_kanwil_choose(client, people):
    client.force_login(people.kakan_lutra)
    assert client.get("/zona-integritas/")["Location"] == "/zona-integritas/73.22/"
    client.force_login(people.kakanwil_sulsel)
    page = client.get("/zona-integritas/").content.decode()
    assert 'value="73.22"' in page and 'value="33"' not in page
    assert client.get("/zona-integritas/?kantor=73.71")["Location"] == "/zona-integritas/73.71/"
    assert client.get("/zona-integritas/?kantor=33").status_code == 404


def test_the_running_year_is_the_default(client, people):
    client.force_login(people.kakan_lutra)
    page = client.get("/zona-integritas/73.22/").content.decode()
    year = timezone.now().astimezone(ZoneInfo(Office.objects.get(code="73.22").timezone)).year
    assert f'value="{year}" selected' in page


def test_the_page_speaks_english_when_asked(client, people):
    client.force_login(people.kakan_lutra)
    client.cookies["django_language"] = "en"  # the page's language buttons set it
    page = client.get("/zona-integritas/73.22/").content.decode()
    assert "Zona Integritas pack" in page and "Change management" in page
    assert "No data in Satu Pintu yet: attach it from" in page
    # dates in English too (the page said "1 Januari 2026 - 6 Desember 2026"); the PDF stays Indonesian
    assert "1 January" in page and not any(m in page for m in ("Januari", "Desember", "Agustus", "Mei"))
    from django.utils import timezone

    pdf = client.get(f"/zona-integritas/73.22/{timezone.localdate().year}.pdf")
    assert pdf.status_code == 200 and "Januari" in _pdf_text(pdf.content)


def test_documents_past_the_size_cap_are_named_in_the_readme_not_added(client, office_year, monkeypatch):
    from satupintu.reform import integrity_zip

    client.force_login(office_year.kakan_lutra)
    whole = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    skm = next(i for i in whole.infolist() if "/laporan-skm-" in i.filename)
    before_skm = sum(i.file_size for i in whole.infolist() if "/" not in i.filename.rstrip("/")
                     and i.filename != "README.txt")
    monkeypatch.setattr(integrity_zip, "MAX_CONTENT_BYTES", before_skm + skm.file_size - 1)  # all but the SKM report
    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    assert f"zona-integritas-73.22-{YEAR}.pdf" in archive.namelist()
    assert not any("/laporan-skm-" in n for n in archive.namelist())
    lutra = Office.objects.get(code="73.22").name
    assert f"Laporan SKM {lutra} {YEAR}: melebihi batas ukuran paket" in archive.read("README.txt").decode()


def test_downloads_are_limited_per_person_with_a_429_that_says_when(client, people):
    """Review #16 M5: each PDF and ZIP is built on request, so a person gets a few a minute
    (core.ratelimit.ZI_*), told why in their language; others and refused requests are not counted."""
    from satupintu.core import ratelimit

    client.force_login(people.fo_lutra)
    assert client.get(f"/zona-integritas/73.22/{YEAR}.zip").status_code == 403  # refused: nothing built or counted
    client.force_login(people.kakan_lutra)
    zip_url, pdf_url = f"/zona-integritas/73.22/{YEAR}.zip", f"/zona-integritas/73.22/{YEAR}.pdf"
    assert client.get("/zona-integritas/73.22/20x5.zip").status_code == 400  # a bad year neither
    for _ in range(ratelimit.ZI_ZIP_PER_USER.limit):
        assert client.get(zip_url).status_code == 200
    refused = client.get(zip_url)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    text = refused.content.decode()
    assert "Terlalu banyak unduhan ZIP Zona Integritas dalam semenit" in text and "dibatasi per akun" in text
    client.cookies["django_language"] = "en"
    assert "Too many Zona Integritas ZIP downloads in a minute" in client.get(zip_url).content.decode()
    for _ in range(ratelimit.ZI_PDF_PER_USER.limit):  # the PDF has its own count
        assert client.get(pdf_url).status_code == 200
    assert client.get(pdf_url).status_code == 429
    client.force_login(people.kakanwil_sulsel)  # and so does every other person
    assert client.get(zip_url).status_code == 200


def test_titles_are_masked_and_evidence_files_are_listed_not_packed(client, office_year):
    """Review #16 L6: a breakthrough title is free text like its problem (NIK and phone masked);
    uploaded evidence is unscreened, so it is named with where to find it, not put in the ZIP;
    the page, PDF and README say what the pack holds."""
    b = breakthrough(title=f"Antar ijazah ke rumah {VALID_NIK} 081298765499",
                     evidence_title=f"KTP {VALID_NIK}.jpg")
    client.force_login(office_year.kakan_lutra)
    page = client.get(f"/zona-integritas/73.22/?tahun={YEAR}").content.decode()
    pdf = _pdf_text(client.get(f"/zona-integritas/73.22/{YEAR}.pdf").content)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    readme = archive.read("README.txt").decode()
    stem = f"zona-integritas-73.22-{YEAR}"
    sheets = archive.read(f"angka-{stem}.csv").decode("utf-8-sig") + _pdf_text(archive.read(f"{stem}.pdf"))
    for text in (page, pdf, readme, sheets):
        assert VALID_NIK not in text and "081298765499" not in text
        assert "Antar ijazah ke rumah [NIK]" in text
    assert "KTP [NIK].jpg: Berkas bukti tidak disertakan" in readme and f"/terobosan/{b.pk}/#bukti" in readme
    assert archive.namelist() and not any("bukti" in n for n in archive.namelist())
    assert "berkas bukti terobosan tidak disertakan" in page and "tanpa data pribadi" not in page
    assert "Berkas bukti terobosan tidak disertakan" in pdf and "tanpa data pribadi" not in pdf
    assert "Berkas bukti terobosan TIDAK disertakan" in readme and "tanpa data pribadi" not in readme


def test_minutes_past_the_cap_are_listed_with_their_meeting_page(client, office_year, monkeypatch):
    from satupintu.rakor.models import Meeting
    from satupintu.reform import integrity_zip

    monkeypatch.setattr(integrity_zip, "MAX_MINUTES", 0)
    client.force_login(office_year.kakan_lutra)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    assert not any("/notulen-rakor/" in n for n in archive.namelist())
    meeting = Meeting.objects.get(title="Rakor Zona Integritas")
    assert f"melebihi 0 notulen per paket; unduh dari halaman rapat /rakor/{meeting.pk}/" in \
        archive.read("README.txt").decode()


def test_the_kanwil_s_pack_of_an_office_leaves_out_minutes_rakor_hides_from_it(client, office_year):
    """The Kankemenag's internal meeting is not the Kanwil's to read in Rakor (403 there): its pack of
    that office names the minutes by date, without the file. The office's own pack has them."""
    from satupintu.rakor.models import Meeting

    meeting = Meeting.objects.get(title="Rakor Zona Integritas")
    client.force_login(office_year.kakanwil_sulsel)
    assert client.get(f"/rakor/{meeting.pk}/").status_code == 403
    names = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    assert not [n for n in names.namelist() if "notulen-rakor/" in n]
    assert "Rakor Zona Integritas" not in _pdf_text(client.get(f"/zona-integritas/73.22/{YEAR}.pdf").content)
    client.force_login(office_year.kakan_lutra)
    own = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    assert [n for n in own.namelist() if "notulen-rakor/" in n]


def test_a_breakthrough_with_a_very_long_problem_still_makes_the_pdf(client, office_year):
    """ReportLab cannot split a table cell across pages: the problem is cut in the table (it is whole on
    the breakthrough's page), not a 500 for every reader of the pack."""
    b = breakthrough(title="Antrean daring")
    b.problem = "\n".join(["Pemohon menunggu lama di loket"] * 200)
    b.save()
    client.force_login(office_year.kakan_lutra)
    response = client.get(f"/zona-integritas/73.22/{YEAR}.pdf")
    assert response.status_code == 200 and "Antrean daring" in _pdf_text(response.content)
    assert client.get(f"/zona-integritas/73.22/{YEAR}.zip").status_code == 200


def test_a_title_of_a_hundred_lines_still_makes_the_pdf(client, office_year):
    """Saved with its line breaks (only the ends were stripped), it made a row taller than the page:
    a 500 for this year's pack and every later one of the office."""
    b = breakthrough(title="Antrean daring")
    b.title = "a\n" * 99 + "a"  # as stored before titles were made one line
    b.save()
    client.force_login(office_year.kakan_lutra)
    response = client.get(f"/zona-integritas/73.22/{YEAR}.pdf")
    assert response.status_code == 200 and "a a a a" in _pdf_text(response.content)
