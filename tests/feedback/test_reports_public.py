"""Filing and following a complaint, aspiration or question: web and API; bad input; spam;
the public board; reporters' identity never in an API answer."""

import re

import pytest
from django.test import Client

from satupintu.core import ratelimit
from satupintu.feedback import reports
from satupintu.feedback.models import Report, ReportStatus
from satupintu.organization.models import Office, Role, StaffRole, Unit
from tests.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db
TEXT = "Petugas loket meminta uang administrasi Rp50.000 untuk legalisir ijazah pada Senin pagi."


def _form(**overrides):  # type: ignore[no-untyped-def]
    data = {"kind": "complaint", "category": "service_quality", "office": "73.22", "title": "Antrean lama",
            "text": "Antrean di loket PTSP lebih dari tiga jam tanpa nomor antrean yang jelas.",
            "name": "Andi", "phone": "081234567890", "email": "andi@contoh.id"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_file_and_follow_on_the_web():
    c = Client()
    response = c.post("/pengaduan/", _form(files=upload("bukti.pdf")))
    report = Report.objects.get()
    assert response["Location"] == f"/pengaduan/{report.tracking_code}/"
    assert report.due_at is not None and report.attachments.count() == 1 and not report.integrity
    tracked = c.get(f"/pengaduan/{report.tracking_code}/")
    assert "no-store" in tracked["Cache-Control"]  # an anonymous reader's answer: not for a shared desk's cache
    page = tracked.content.decode()
    assert "Antrean lama" in page and "Laporan diterima" in page
    assert "Andi" not in page and "081234567890" not in page  # no identity on the tracking page
    assert re.search(r"<dt>Diterima</dt><dd>\d\d-\d\d-\d{4} \d\d\.\d\d WITA</dd>", page)  # the zone, as the deadline's
    c.post(f"/pengaduan/{report.tracking_code}/tambah/", {"text": "Kejadian berulang hari Selasa."})
    assert report.events.filter(action="add_info").count() == 1


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"text": "pendek"}, "text_too_short"),
        ({"text": "x" * 5001}, "text_too_long"),
        ({"title": ""}, "missing_field"),
        ({"kind": "spam"}, "invalid_kind"),
        ({"category": "lain"}, "invalid_category"),
        ({"office": "99.99"}, "unknown_office"),
        ({"name": "", "anonymous": None}, "missing_field"),
        ({"phone": "12ab"}, "invalid_phone"),
        ({"application_code": "ZZZ"}, "invalid_tracking_code"),
        ({"files": upload("a.pdf", png_bytes())}, "file_type_mismatch"),
    ],
)
def test_bad_input_through_the_api(overrides, code):
    response = Client().post("/api/v1/reports", _form(**overrides))
    assert response.status_code in (400, 404), response.content
    assert response.json()["code"] == code
    assert Report.objects.count() == 0


def test_a_report_code_is_not_an_application_code_and_back(submit):
    app = submit()
    c = Client()
    report_code = c.post("/api/v1/reports", _form(application_code=app.tracking_code)).json()["tracking_code"]
    assert Report.objects.get().application == app
    wrong = c.post("/api/v1/reports", _form(application_code=report_code, text=TEXT))
    assert wrong.json()["code"] == "wrong_code_kind"
    assert c.get(f"/api/v1/reports/{app.tracking_code}").json()["code"] == "wrong_code_kind"


def test_spam_honeypot_rate_limit_and_duplicates():
    c = Client()
    c.post("/pengaduan/", _form(website="http://spam"))
    assert Report.objects.count() == 0
    first = c.post("/api/v1/reports", _form())
    assert first.status_code == 201
    again = c.post("/api/v1/reports", _form())
    assert again.status_code == 409 and again.json()["code"] == "duplicate_report"
    for i in range(2):
        assert c.post("/api/v1/reports", _form(text=f"{TEXT} kejadian ke-{i} berbeda")).status_code == 201
    # a fourth from the same phone today is refused
    limited = c.post("/api/v1/reports", _form(text=f"{TEXT} lagi"))
    assert limited.status_code == 429 and limited.json()["code"] == "too_many_reports"  # 3 per phone per day
    assert Report.objects.count() == 3
    # ... from that client: someone who typed this number three times does not use up its owner's day.
    own = c.post("/api/v1/reports", _form(text=f"{TEXT} dari pemilik nomor"), REMOTE_ADDR="198.51.100.77")
    assert own.status_code == 201, own.content


def test_one_email_address_gets_at_most_five_reports_a_day_from_us():
    """Each accepted report mails the address typed with it; phone and client limits do not
    stop someone who varies them from flooding one address."""
    c = Client()
    for i in range(ratelimit.REPORTS_PER_EMAIL.limit):
        response = c.post("/api/v1/reports", _form(text=f"{TEXT} ({i})", phone=f"08123456780{i}",
                                                   email="Korban@Contoh.id" if i % 2 else "korban@contoh.id"),
                          REMOTE_ADDR=f"198.51.100.{i + 1}")
        assert response.status_code == 201, response.content
    limited = c.post("/api/v1/reports", _form(text=f"{TEXT} (lagi)", phone="081234567899", email="korban@contoh.id"),
                     REMOTE_ADDR="198.51.100.99")
    assert limited.status_code == 429 and limited.json()["code"] == "too_many_reports"
    assert "e-mail" in limited.json()["message"]
    assert Report.objects.count() == ratelimit.REPORTS_PER_EMAIL.limit


def test_api_never_returns_the_reporter_identity():
    c = Client()
    code = c.post("/api/v1/reports", _form(anonymous="true", name="Rahasia Sekali", phone="081299998888",
                                          email="rahasia@contoh.id")).json()["tracking_code"]
    body = c.get(f"/api/v1/reports/{code}").content.decode()
    for secret in ("Rahasia Sekali", "081299998888", "6281299998888", "rahasia@contoh.id"):
        assert secret not in body
    assert Report.objects.get().anonymous


def _answer(report, text="Terima kasih, petugas sudah ditegur dan SOP diperbaiki."):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("pengaduan.lutra", "p@test.local", "x")
    StaffRole.objects.create(user=user, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    report = reports.report_act(report, "verify", user=user)
    report = reports.report_act(report, "forward", user=user, unit=Unit.objects.get(code="tu"), note="Mohon jawab")
    return reports.report_act(report, "answer", user=user, note=text)


def test_reporter_confirms_and_rates_or_reopens():
    c = Client()
    code = c.post("/api/v1/reports", _form()).json()["tracking_code"]
    report = _answer(Report.objects.get())
    page = c.get(f"/pengaduan/{code}/").content.decode()
    assert "SOP diperbaiki" in page and "menyelesaikan masalah" in page
    c.post(f"/pengaduan/{code}/konfirmasi/", {"resolved": "tidak", "comment": "Masih terjadi"})
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED and report.due_at is not None
    from satupintu.feedback.reports import report_act

    user = report.events.filter(action="answer").first().actor
    report = report_act(report, "answer", user=user, note="Petugas dipindahkan; loket diawasi CCTV.")
    c.post(f"/pengaduan/{code}/konfirmasi/", {"resolved": "ya", "rating": "4"})
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.rating == 4 and report.resolved is True
    assert c.get(f"/api/v1/reports/{code}").json()["rating"] == 4


def test_public_board_shows_answered_non_confidential_aspirations_only():
    c = Client()
    public = c.post("/api/v1/reports", _form(kind="aspiration", category="education", title="Madrasah di desa",
                                            text="Mohon dibangun madrasah ibtidaiyah di Desa Bone-Bone.")).json()
    secret = c.post("/api/v1/reports", _form(kind="aspiration", category="education", confidential="1",
                                            title="Usulan rahasia", text="Isi usulan yang tidak boleh tampil publik.",
                                            phone="081311112222")).json()
    for code in (public["tracking_code"], secret["tracking_code"]):
        _answer_once(code)
    page = c.get("/aspirasi/").content.decode()
    assert "Madrasah di desa" in page and "Usulan rahasia" not in page
    assert "Madrasah di desa" in c.get("/aspirasi/", {"q": "ibtidaiyah"}).content.decode()
    assert "Madrasah di desa" not in c.get("/aspirasi/", {"q": "haji"}).content.decode()


def test_the_board_filters_by_an_office_picked_by_name():
    c = Client()
    for office, title in (("73.22", "Madrasah di Luwu Utara"), ("73.71", "Madrasah di Makassar"),
                          ("33.01", "Madrasah di Cilacap")):
        made = c.post("/api/v1/reports", _form(kind="aspiration", category="education", office=office, title=title,
                                              text="Mohon dibangun madrasah ibtidaiyah di desa kami.")).json()
        _answer_once(made["tracking_code"])
    page = c.get("/aspirasi/").content.decode()
    # Citizens pick an office by its name (the long list narrows as they type), not by a code.
    assert '<label for="office">Kantor</label>' in page and "Kode kantor" not in page
    assert '<option value="73.22">Kabupaten Luwu Utara</option>' in page and 'data-filter-label=' in page
    only = c.get("/aspirasi/", {"office": "73.22"}).content.decode()
    assert "Madrasah di Luwu Utara" in only and "Madrasah di Makassar" not in only
    assert '<option value="73.22" selected>Kabupaten Luwu Utara</option>' in only
    province = c.get("/aspirasi/", {"office": "73"}).content.decode()  # a Kanwil: its province's offices
    assert "Madrasah di Luwu Utara" in province and "Madrasah di Makassar" in province
    assert "Madrasah di Cilacap" not in province
    unknown = c.get("/aspirasi/", {"office": "99.99", "q": "Cilacap"})
    assert unknown.status_code == 400
    body = unknown.content.decode()
    assert '<a href="#office">Kantor tidak dikenal; pilih dari daftar.</a>' in body
    assert "Madrasah di Cilacap" in body and "Madrasah di Makassar" not in body  # the words still search


def test_the_board_and_the_tracking_page_mask_numbers_people_typed():
    """The board is public and a tracking code travels (shared, forwarded): a NIK or a phone
    number typed into an aspiration is shown masked on both, and in the API."""
    c = Client()
    made = c.post("/api/v1/reports", _form(kind="aspiration", category="education", title="Hubungi 081233334444",
                                          text="Madrasah desa kami butuh guru. NIK saya 7322011203900001.")).json()
    _answer_once(made["tracking_code"])
    board = c.get("/aspirasi/").content.decode()
    tracking = c.get(f"/pengaduan/{made['tracking_code']}/").content.decode()
    api = c.get(f"/api/v1/reports/{made['tracking_code']}").json()
    assert "Madrasah desa kami butuh guru" in board and "NIK saya [NIK]" in board
    assert "Hubungi [nomor telepon]" in board and "Hubungi [nomor telepon]" in tracking
    assert api["title"] == "Hubungi [nomor telepon]"
    for page in (board, tracking, str(api)):
        assert "7322011203900001" not in page and "081233334444" not in page
    # The history repeats the reporter's additions and the answer: masked there too.
    report = Report.objects.get(tracking_code=made["tracking_code"])
    reports.report_add_information(report, text="NIK saya 7322011203900001, HP 081233334444.", files=[])
    tracking = c.get(f"/pengaduan/{made['tracking_code']}/").content.decode()
    api = c.get(f"/api/v1/reports/{made['tracking_code']}").json()
    assert "NIK saya [NIK], HP [nomor telepon]." in tracking
    assert "NIK saya [NIK], HP [nomor telepon]." in [e["note"] for e in api["timeline"]]
    for page in (tracking, str(api)):
        assert "7322011203900001" not in page and "081233334444" not in page


def _answer_once(code):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="superuser", defaults={"is_superuser": True})
    report = Report.objects.get(tracking_code=code)
    report = reports.report_act(report, "verify", user=user)
    reports.report_act(report, "answer", user=user, note="Usulan diteruskan ke perencanaan tahun depan.")


def test_location_decides_the_office():
    from satupintu.organization.geo import regency_code_at

    assert regency_code_at(-2.5667, 120.3333) == "73.22"  # Masamba, Luwu Utara
    assert regency_code_at(-6.1754, 106.8272) == "31.71"  # Monas, Jakarta Pusat
    assert regency_code_at(-5.0, 110.0) is None  # the Java Sea
    c = Client()
    made = c.post("/api/v1/reports", _form(office=None, latitude="-2.5667", longitude="120.3333"))
    assert made.status_code == 201 and Report.objects.get().office.code == "73.22"
    sea = c.post("/api/v1/reports", _form(office=None, latitude="-5.0", longitude="110.0", text=TEXT))
    assert sea.status_code == 400 and sea.json()["code"] == "location_outside"
    for lat, lon in (("NaN", "120.3"), ("1e309", "120.3"), ("-2.5", "inf"), ("95", "120.3")):  # read "outside" before
        odd = c.post("/api/v1/reports", _form(office=None, latitude=lat, longitude=lon, text=TEXT))
        assert odd.status_code == 400 and odd.json()["code"] == "invalid_location", (lat, lon)
    # The apply page picks the office by location the same way, and says it in its own words.
    page = c.get("/layanan/legalisir-ijazah-madrasah/kantor/", {"lat": "-5.0", "lon": "110.0"}).content.decode()
    assert "pilih kantornya dari daftar" in page and "yang dilaporkan" not in page
    nothing = c.post("/api/v1/reports", _form(office=None, text=TEXT))
    assert nothing.json()["code"] == "missing_field" and nothing.json()["field"] == "office"
    web = c.post("/pengaduan/", _form(office="", latitude="-6.1754", longitude="106.8272", text=TEXT + " web"))
    assert web.status_code == 302 and Report.objects.get(tracking_code=web["Location"].split("/")[2]).office.code == "31.71"


def test_form_page_title_is_plain_text():
    page = Client().get("/pengaduan/").content.decode()
    title = page[page.index("<title>"):page.index("</title>")]
    assert "<script" not in title and "Pengaduan dan aspirasi" in title
    # the location script is a static file (no inline script under the Content-Security-Policy), once
    assert page.count("satupintu/report_location.js") == 1 and "<script>" not in page


def test_the_timeline_names_who_acted_in_the_readers_language():
    c = Client()
    code = c.post("/api/v1/reports", _form()).json()["tracking_code"]
    _answer(Report.objects.get())
    c.cookies["django_language"] = "en"
    page = c.get(f"/pengaduan/{code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The stored "Pelapor" read in Indonesian on an English page; an officer is never named to the public.
    assert "· Reporter" in page and "· Officer" in page and "Pelapor<" not in page and "· Pelapor" not in page
    assert "pengaduan.lutra" not in page
    # What the system wrote reads in English; stored whole in Indonesian for the API and webhooks.
    forwarded = Report.objects.get().events.get(action="forward")
    assert forwarded.note.startswith("Ke Subbagian Tata Usaha, ") and "Ke Subbagian" not in page
    # The unit by its English name (name_en); the office keeps its own name.
    assert "To Administration Subdivision, Kantor Kementerian Agama" in page
    c.cookies["django_language"] = "id"
    assert "Ke Subbagian Tata Usaha, Kantor Kementerian Agama" in c.get(f"/pengaduan/{code}/").content.decode()


def test_the_board_search_cannot_tell_whether_a_number_is_in_a_report():
    """The board shows NIKs and phone numbers masked; searching for one must not find the report
    either (else anyone could test a NIK against every aspiration). Years and counts still match."""
    c = Client()
    made = c.post("/api/v1/reports", _form(kind="aspiration", category="education", title="Beasiswa madrasah 2026",
                                          text="Mohon beasiswa untuk anak saya, NIK 7322015708900001, "
                                               "hubungi 081233334444.")).json()
    _answer_once(made["tracking_code"])
    for number in ("7322015708900001", "732201570890", "081233334444", "0812333"):
        assert "Beasiswa madrasah" not in c.get("/aspirasi/", {"q": number}).content.decode()
    for found in ("2026", "beasiswa", "NIK"):
        assert "Beasiswa madrasah" in c.get("/aspirasi/", {"q": found}).content.decode()


def test_a_number_search_of_the_board_looks_through_the_newest_matches_only(monkeypatch):
    """Each match of a number search is masked in Python: without a bound, "?q=1" masked every
    answered aspiration in the country on each anonymous request."""
    from satupintu.feedback.views import public_reports

    c = Client()
    for title in ("Beasiswa madrasah 2026", "Rehab masjid 2026"):
        made = c.post("/api/v1/reports", _form(kind="aspiration", category="education", title=title,
                                              text=f"Mohon perhatian untuk {title.lower()} tahun 2026.")).json()
        _answer_once(made["tracking_code"])
    both = c.get("/aspirasi/", {"q": "2026"}).content.decode()
    assert "Beasiswa madrasah" in both and "Rehab masjid" in both
    monkeypatch.setattr(public_reports, "BOARD_NUMBER_SEARCH_ROWS", 1)
    newest = c.get("/aspirasi/", {"q": "2026"}).content.decode()
    assert "Rehab masjid" in newest and "Beasiswa madrasah" not in newest
    assert c.get("/aspirasi/", {"q": "1" * 101}).status_code == 400  # a search box, not a document


def test_the_board_dates_each_aspiration_on_its_offices_day():
    # Filed 00:30 WITA on 8 December (16:30 UTC on the 7th): the board said 07-12-2026 (Jakarta's day).
    from datetime import datetime
    from zoneinfo import ZoneInfo

    c = Client()
    made = c.post("/api/v1/reports", _form(kind="aspiration", category="education", title="Madrasah di desa",
                                          text="Mohon dibangun madrasah ibtidaiyah di Desa Bone-Bone.")).json()
    Report.objects.filter(tracking_code=made["tracking_code"]).update(
        submitted_at=datetime(2026, 12, 8, 0, 30, tzinfo=ZoneInfo("Asia/Makassar")))
    _answer_once(made["tracking_code"])
    page = c.get("/aspirasi/").content.decode()
    assert "· 08-12-2026</p>" in page and "07-12-2026" not in page
