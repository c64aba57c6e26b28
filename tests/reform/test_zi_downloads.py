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
    evidence = [n for n in names if "/bukti-terobosan/" in n]
    assert len(evidence) == 2 and any(n.endswith("-etcpasswd.pdf") for n in evidence)
    assert "Bukti terobosan" in _pdf_text(archive.read(evidence[0]))
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
                                 "/zona-integritas/73.22/2999.pdf", "/zona-integritas/73.22/20x5.zip"])
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


def test_files_past_the_size_cap_are_named_in_the_readme_not_added(client, office_year, monkeypatch):
    from django.core.files.base import ContentFile

    from satupintu.reform import integrity_zip
    from satupintu.reform.models import Breakthrough

    big = Breakthrough.objects.get(title="Legalisir daring").evidence.create(title="Video pelatihan")
    big.file.save("video.mp4", ContentFile(b"\0" * 400_000), save=True)
    monkeypatch.setattr(integrity_zip, "MAX_CONTENT_BYTES", 300_000)  # everything but the video
    client.force_login(office_year.kakan_lutra)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        client.get(f"/zona-integritas/73.22/{YEAR}.zip").streaming_content)))
    assert f"zona-integritas-73.22-{YEAR}.pdf" in archive.namelist()
    readme = archive.read("README.txt").decode()
    assert "Legalisir daring: Video pelatihan: melebihi batas ukuran paket" in readme
    assert not any(n.endswith("-video-pelatihan.mp4") for n in archive.namelist())
    assert any(n.endswith("-etcpasswd.pdf") for n in archive.namelist())
    assert sum(i.file_size for i in archive.infolist() if i.filename != "README.txt") <= 300_000
