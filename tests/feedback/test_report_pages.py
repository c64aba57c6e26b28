"""The index pages: officer report with drill-down and exports; the public page per office."""

import io

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.feedback.models import SurveyResponse
from satupintu.organization.models import Office

pytestmark = pytest.mark.django_db


def _answers(office_code: str, value: int, n: int = 1, **extra) -> None:  # type: ignore[no-untyped-def]
    office = Office.objects.get(code=office_code)
    for _ in range(n):
        SurveyResponse.objects.create(office=office, channel="kiosk", answered_on=timezone.localdate(),
                                      **{f"u{i}": value for i in range(1, 10)}, **extra)


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.login(username=user.username, password="sandi-uji-123")
    return c


def test_kanwil_report_rolls_up_and_drills_down(people):
    _answers("73.22", 4, 2)
    _answers("73.71", 3, 2)
    _answers("33.74", 1, 5)  # Central Java: not part of Sulawesi Selatan
    c = _login(people.kakanwil_sulsel)
    response = c.get("/petugas/skm/")
    assert response.status_code == 200
    assert response.context["result"].respondents == 4
    assert str(response.context["result"].ikm) == "87.50"
    children = {r.key: r.result.respondents for r in response.context["children"]}
    assert len(children) == 24 and children["73.22"] == 2 and children["73.71"] == 2 and children["73.01"] == 0
    own = c.get("/petugas/skm/", {"scope": "own"})
    assert own.context["result"].respondents == 0
    drill = c.get("/petugas/skm/", {"office": "73.22"})
    assert drill.context["result"].respondents == 2 and str(drill.context["result"].ikm) == "100.00"


def test_officers_only_see_their_offices(people):
    _answers("73.22", 4)
    assert _login(people.fo_makassar).get("/petugas/skm/", {"office": "73.22"}).status_code == 404
    assert _login(people.outsider).get("/petugas/skm/").status_code == 403
    assert Client().get("/petugas/skm/")["Location"].startswith("/masuk/")


def test_exports(people):
    _answers("73.22", 3, 3, education="S1")
    c = _login(people.fo_lutra)
    csv_body = c.get("/petugas/skm/", {"format": "csv"}).content.decode("utf-8-sig")
    lines = csv_body.strip().splitlines()
    assert lines[0].startswith("tanggal,kantor,layanan,kanal,u1") and len(lines) == 4
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(c.get("/petugas/skm/", {"format": "xlsx"}).content))
    summary = list(book["Ringkasan"].iter_rows(values_only=True))
    assert summary[-1][:3] == ("ikm", "B", 75.0) or summary[-1][2] == 75.0
    pdf = c.get("/petugas/skm/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_bad_period_is_explained(people):
    response = _login(people.fo_lutra).get("/petugas/skm/", {"from": "2026-12-01", "to": "2026-01-01"})
    assert response.status_code == 400 and "Tanggal akhir harus setelah tanggal awal" in response.content.decode()
    # The far end of the calendar (months are counted a few days past the end: an overflow was a 500).
    for period in ({"to": "9999-12-31"}, {"from": "9999-12-05", "to": "9999-12-20"}, {"from": "0001-01-01"}):
        response = _login(people.fo_lutra).get("/petugas/skm/", period)
        assert response.status_code == 400 and "antara tahun 2000 dan 2100" in response.content.decode(), period


def test_a_bad_period_exports_nothing(people):
    for fmt in ("csv", "xlsx", "pdf"):  # each was a 200 export of the default period
        response = _login(people.fo_lutra).get("/petugas/skm/", {"from": "2024-13-01", "format": fmt})
        assert response.status_code == 400 and response["Content-Type"].startswith("text/html"), fmt


def test_the_offices_below_are_a_supervisor_s_and_raw_answers_downloads_are_on_record(people):
    from satupintu.core.models import PersonalDataAccess
    from tests.conftest import _staff

    _answers("73", 4, 1, comment="Di Kanwil")
    _answers("73.22", 4, 1, comment="Petugas Pak Rahmat 0812-3456-7890 ramah")
    clerk = _staff("fo.kanwil", "73", "front_office")
    c = Client()
    c.force_login(clerk)
    body = c.get("/petugas/skm/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Di Kanwil" in body and "0812-3456-7890" not in body  # the Kankemenag's answers were in it
    look = PersonalDataAccess.objects.get()
    assert (look.user, look.subject_type, look.subject_ref) == (clerk, "skm_answers", "73")
    head = _login(people.kakanwil_sulsel).get("/petugas/skm/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Di Kanwil" in head and "Pak Rahmat" in head  # the head reads the offices below


def test_public_page_shows_current_index_and_grade():
    _answers("73.22", 4, 3)
    _answers("73.22", 3, 1)
    page = Client().get("/kantor/73.22/ikm/").content.decode()
    assert "93,75" in page and "Mutu A" in page and "4 responden" in page
    empty = Client().get("/kantor/73.71/ikm/").content.decode()
    assert "Belum ada jawaban survei tahun ini." in empty
    assert Client().get("/kantor/99.99/ikm/").status_code == 404


def test_the_public_national_page_reads_the_monthly_tallies_not_every_answer():
    from datetime import date, timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.feedback.tallies import refresh_tallies

    today = timezone.localdate()
    for office, value in (("73.22", 4), ("33.74", 3)):
        # This year's day is never after today (15 January was in the future on New Year's Day).
        for day in (min(date(today.year, 1, 15), today), today - timedelta(days=400)):
            SurveyResponse.objects.create(office=Office.objects.get(code=office), channel="kiosk", answered_on=day,
                                          **{f"u{i}": value for i in range(1, 10)})
    refresh_tallies()
    with CaptureQueriesContext(connection) as queries:
        page = Client().get("/kantor/pusat/ikm/").content.decode()
    assert "2 responden" in page and "87,50" in page  # the whole country, this year
    read = [q["sql"] for q in queries.captured_queries]
    assert any("feedback_surveytally" in q for q in read)
    # Only the days past the last whole month are read from the answers, never the year (it was ten scans).
    assert all("answered_on" in q for q in read if "feedback_surveyresponse" in q)


def test_admin_lists_reports_without_reporter_contacts(people):
    from django.contrib.auth import get_user_model

    from satupintu.feedback import reports

    reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean lama sekali",
        text="Antrean di loket lebih dari tiga jam tanpa kepastian dari petugas.", name="Budi Rahasia",
        phone="081233334444", anonymous=True))
    get_user_model().objects.create_superuser("root", "r@test.local", "sandi-uji-123")
    c = Client()
    c.login(username="root", password="sandi-uji-123")
    listing = c.get("/admin/feedback/report/")
    assert listing.status_code == 200 and "Antrean lama sekali" in listing.content.decode()
    from satupintu.feedback.models import Report

    page = c.get(f"/admin/feedback/report/{Report.objects.get().pk}/change/").content.decode()
    assert "Budi Rahasia" not in page and "081233334444" not in page and "6281233334444" not in page
    assert c.get("/admin/feedback/categorydeadline/add/").status_code == 200


def test_the_index_pages_in_english_name_elements_grades_and_profile_in_english(people):
    _answers("73.22", 4, 3, sex="P", education="S1")
    _answers("73.22", 3, 1)
    public = Client()
    public.cookies["django_language"] = "en"
    page = public.get("/kantor/73.22/ikm/").content.decode()
    assert "Requirements" in page and "Persyaratan" not in page
    assert "(Very good)" in page and "Sangat Baik" not in page
    officer = _login(people.kakan_lutra)
    officer.cookies["django_language"] = "en"
    report = officer.get("/petugas/skm/", {"office": "73.22"}).content.decode()
    assert "Female" in report and "Bachelor&#x27;s degree (S1/D4)" in report and "Not answered" in report
    assert "(not stated)" in report  # answers given at a kiosk without unit or service
    assert "Perempuan" not in report and "Tidak diisi" not in report and "tanpa keterangan" not in report
    # Units and services by their English names, in the tables and the filter; the kiosk's list too.
    from satupintu.organization.models import Unit
    from satupintu.services.models import Service

    service = Service.objects.get(slug="legalisir-ijazah-madrasah")
    unit = Unit.objects.get(code=service.unit.code)
    _answers("73.22", 4, 1, service=service, unit=unit)
    report = officer.get("/petugas/skm/", {"office": "73.22"}).content.decode()
    assert service.name_en and unit.name_en
    assert report.count(service.name_en) >= 1 and service.name not in report
    assert report.count(unit.name_en) >= 2 and f">{unit.name}<" not in report
    kiosk = public.get("/survei/kios/73.22/").content.decode()
    assert service.name_en in kiosk and service.name not in kiosk


@pytest.mark.parametrize("tallied", [False, True])
def test_on_pusats_page_a_kanwils_row_is_its_whole_province(people, tallied):  # type: ignore[no-untyped-def]
    """The row links to the Kanwil's page, which counts its Kankemenags' answers: the row counts
    them too (it counted the Kanwil building alone: "-" for provinces that had answers)."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from satupintu.feedback.tallies import refresh_tallies

    today = timezone.localdate()
    for code, value, day in (("73.22", 4, min(date(today.year, 1, 15), today)), ("73.71", 3, today), ("73", 4, today),
                             ("33.74", 1, today)):
        SurveyResponse.objects.create(office=Office.objects.get(code=code), channel="kiosk", answered_on=day,
                                      **{f"u{i}": value for i in range(1, 10)})
    if tallied:
        refresh_tallies()
    root = Client()
    root.force_login(get_user_model().objects.create_superuser("akar", "akar@contoh.id", "sandi-uji-123"))
    national = root.get("/petugas/skm/", {"office": "pusat"}).context
    rows = {r.key: r.result.respondents for r in national["children"]}
    assert national["result"].respondents == 4
    assert rows["73"] == 3 and rows["33"] == 1 and rows["31"] == 0
    kanwil = root.get("/petugas/skm/", {"office": "73"}).context
    assert kanwil["result"].respondents == rows["73"]
    # On the Kanwil's own page a Kankemenag's row is that office alone, as before.
    assert {r.key: r.result.respondents for r in kanwil["children"]}["73.22"] == 1


def test_the_public_index_of_a_wit_office_starts_its_year_on_its_own_new_year(monkeypatch):
    # 00:30 WIT on 1 January 2027: the page's "this year" is 2027 there (was 2026 until 02:00 WIT).
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    papua = Office.objects.filter(timezone="Asia/Jayapura", level="kankemenag").first()
    SurveyResponse.objects.create(office=papua, channel="kiosk", answered_on=date(2027, 1, 1),
                                  **{f"u{i}": 4 for i in range(1, 10)})
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura")))
    page = Client().get(f"/kantor/{papua.code}/ikm/").content.decode()
    assert "1 responden" in page and "Belum ada jawaban survei tahun ini." not in page
