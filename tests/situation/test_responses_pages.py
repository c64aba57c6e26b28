"""The response cases' pages: "Buka tanggapan" from an issue, an alert and a field report, the
list, the case page (notes, evidence, close), who may act, every bad input with its message, and
the figures in the room and in the daily brief PDF."""

from __future__ import annotations

import html
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from satupintu.core.models import PersonalDataAccess
from satupintu.organization.models import Office
from satupintu.situation import briefs, responses
from satupintu.situation.models import ResponseCase, ResponseKind, ResponseStatus
from tests.conftest import pdf_bytes, png_bytes
from tests.situation.test_responses import make_alert, make_issue
from tests.situation.test_room_views import summary

pytestmark = pytest.mark.django_db


def office(code: str) -> Office:
    return Office.objects.get(code=code)


def recent_issue(**kw):  # type: ignore[no-untyped-def]
    return make_issue(when=timezone.now(), **kw)


def open_form(client, user, query: str, **data):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.post(f"/situasi/tanggapan/baru/?{query}", data)


def a_case(people, **kw) -> ResponseCase:  # type: ignore[no-untyped-def]
    return responses.open_case(kw.pop("subject", None) or recent_issue(), user=people.kakan_lutra,
                               office=office("73.22"), kind=ResponseKind.MEDIATION,
                               opener_offices=[office("73.22")], **kw)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


# --- opening ---------------------------------------------------------------------------------------

def test_open_a_case_from_an_issue(client, people):
    issue = recent_issue()
    client.force_login(people.kakanwil_sulsel)
    page = client.get(f"/situasi/isu/{issue.pk}/")
    assert 'href="/situasi/tanggapan/baru/?isu=%d"' % issue.pk in page.content.decode()
    form = client.get(f"/situasi/tanggapan/baru/?isu={issue.pk}")
    assert form.status_code == 200
    offered = re.findall(r'<option value="(\d+)"', form.content.decode())
    assert {str(office("73").pk), str(office("73.22").pk)} <= set(offered)
    sent = client.post(f"/situasi/tanggapan/baru/?isu={issue.pk}",
                       {"office": office("73.22").pk, "kind": "fkub", "instructions": "Koordinasikan dengan FKUB."})
    case = ResponseCase.objects.get(issue=issue)
    assert sent.status_code == 302 and sent["Location"] == f"/situasi/tanggapan/{case.pk}/"
    assert case.office == office("73.22") and case.kind == "fkub" and case.opened_by == people.kakanwil_sulsel
    # The issue page lists it; "Buka tanggapan" again leads to the open case.
    assert f"/situasi/tanggapan/{case.pk}/" in client.get(f"/situasi/isu/{issue.pk}/").content.decode()
    again = client.get(f"/situasi/tanggapan/baru/?isu={issue.pk}")
    assert again.status_code == 302 and again["Location"] == f"/situasi/tanggapan/{case.pk}/"


def test_open_a_case_from_an_alert(client, people):
    alert = make_alert(recent_issue())
    client.force_login(people.kakan_lutra)
    assert 'href="/situasi/tanggapan/baru/?peringatan=%d"' % alert.pk in client.get(
        f"/situasi/peringatan/{alert.pk}/").content.decode()
    sent = open_form(client, people.kakan_lutra, f"peringatan={alert.pk}", office=office("73.22").pk,
                     kind="clarification")
    assert sent.status_code == 302
    assert ResponseCase.objects.get(alert=alert).kind == "clarification"


def test_open_a_case_from_a_field_report(client, people):
    from satupintu.field.models import FieldReport

    report = FieldReport.objects.create(
        client_id=uuid.uuid4(), reporter=people.bimas_lutra, office=office("73.22"), province_code="73",
        regency_code="73.22", category="tension", urgency="high", description="Ketegangan antarwarga.",
        occurred_at=timezone.now(), submitted_at=timezone.now())
    client.force_login(people.kakan_lutra)
    detail = client.get(f"/petugas/lapangan/{report.pk}/").content.decode()
    assert 'href="/situasi/tanggapan/baru/?laporan=%d"' % report.pk in detail
    sent = open_form(client, people.kakan_lutra, f"laporan={report.pk}", office=office("73.22").pk,
                     kind="field_visit")
    assert sent.status_code == 302
    case = ResponseCase.objects.get(field_report=report)
    assert case.regency_code == "73.22"
    page = text(client.get(f"/situasi/tanggapan/{case.pk}/"))
    assert "Laporan lapangan" in page and f'href="/petugas/lapangan/{report.pk}/"' in page
    assert f"/situasi/tanggapan/{case.pk}/" in client.get(f"/petugas/lapangan/{report.pk}/").content.decode()
    # A report the field app does not show this officer is not found here either.
    client.force_login(people.kakanwil_jateng)
    assert client.get(f"/situasi/tanggapan/baru/?laporan={report.pk}").status_code == 404


def test_a_field_reporter_reads_the_case_on_its_report_but_not_the_room(client, people):
    from satupintu.field.models import FieldReport
    from tests.field.conftest import _staff

    penyuluh = _staff("penyuluh.lutra", "73.22", "field_reporter")
    report = FieldReport.objects.create(
        client_id=uuid.uuid4(), reporter=penyuluh, office=office("73.22"), province_code="73",
        regency_code="73.22", category="tension", urgency="high", description="Ketegangan antarwarga.",
        occurred_at=timezone.now(), submitted_at=timezone.now())
    assert open_form(client, people.kakan_lutra, f"laporan={report.pk}", office=office("73.22").pk,
                     kind="field_visit").status_code == 302
    on_report = ResponseCase.objects.get(field_report=report)
    issue = recent_issue()
    assert open_form(client, people.kakan_lutra, f"isu={issue.pk}", office=office("73.22").pk,
                     kind="mediation").status_code == 302
    on_issue = ResponseCase.objects.get(issue=issue)
    client.force_login(penyuluh)
    # The room (complaint headlines, other regions' issues and zones) is not a reporter's job.
    for url in ("/situasi/", f"/situasi/isu/{issue.pk}/", "/situasi/peringatan/", "/situasi/tanggapan/",
                f"/situasi/tanggapan/baru/?isu={issue.pk}", "/situasi/langganan/", "/situasi/kewaspadaan/",
                "/situasi/kewaspadaan/73/", "/situasi/ringkasan.pdf?wilayah=73&periode=daily"):
        response = client.get(url)
        assert response.status_code == 403, url
    assert "Laporan lapangan Anda" in client.get("/situasi/").content.decode()
    assert client.get(f"/situasi/tanggapan/{on_issue.pk}/").status_code == 404
    # What was done about its own report it follows, from the report's page.
    detail = client.get(f"/petugas/lapangan/{report.pk}/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert f"/situasi/tanggapan/{on_report.pk}/" in page and 'href="/situasi/"' not in page
    assert client.get(f"/situasi/tanggapan/{on_report.pk}/").status_code == 200


def test_an_unknown_subject_is_not_found(client, people):
    client.force_login(people.kakan_lutra)
    assert client.get("/situasi/tanggapan/baru/?isu=999999").status_code == 404
    assert client.get("/situasi/tanggapan/baru/?isu=abc").status_code == 404
    assert client.get("/situasi/tanggapan/baru/").status_code == 404


# --- bad input -------------------------------------------------------------------------------------

def test_an_office_not_below_the_opener_is_refused(client, people):
    issue = recent_issue()
    sent = open_form(client, people.kakan_lutra, f"isu={issue.pk}", office=office("73").pk, kind="mediation")
    assert sent.status_code == 403
    assert ("t-office", "Tanggapan hanya dapat ditugaskan ke kantor Anda sendiri atau kantor di bawahnya.") in \
        summary(sent)
    assert not ResponseCase.objects.exists()


def test_a_merged_office_is_refused_naming_where_it_went(client, people):
    lutra, makassar = office("73.22"), office("73.71")
    lutra.merged_into = makassar
    lutra.save(update_fields=["merged_into"])
    issue = recent_issue()
    sent = open_form(client, people.kakanwil_sulsel, f"isu={issue.pk}", office=lutra.pk, kind="mediation")
    assert sent.status_code == 400
    assert ("t-office", f"{lutra.name} sudah digabung ke {makassar.name}; pilih {makassar.name} sebagai kantor "
                        "yang bertindak.") in summary(sent)
    # ... and the form does not offer it.
    offered = re.findall(r'<option value="(\d+)"', client.get(f"/situasi/tanggapan/baru/?isu={issue.pk}")
                         .content.decode())
    assert str(lutra.pk) not in offered and str(office("73").pk) in offered


def test_an_unknown_kind_and_bad_hours_are_refused_together(client, people):
    issue = recent_issue()
    sent = open_form(client, people.kakan_lutra, f"isu={issue.pk}", office=office("73.22").pk, kind="demo",
                     hours="99")
    assert sent.status_code == 400
    fields = dict(summary(sent))
    assert fields["t-kind"].startswith("Pilih jenis tanggapan")
    assert fields["t-hours"] == "Tenggat tanggapan 1 sampai 40 jam kerja (batas zona ini)."
    assert open_form(client, people.kakan_lutra, f"isu={issue.pk}", office=office("73.22").pk,
                     kind="mediation", hours="dua").status_code == 400


def test_a_second_case_on_the_same_issue_points_to_the_open_one(client, people):
    issue = recent_issue()
    first = a_case(people, subject=issue)
    sent = open_form(client, people.kakanwil_sulsel, f"isu={issue.pk}", office=office("73.22").pk, kind="mediation")
    assert sent.status_code == 409
    assert f'href="/situasi/tanggapan/{first.pk}/"' in sent.content.decode()
    assert ResponseCase.objects.count() == 1


def test_closing_without_a_summary_an_empty_note_and_a_text_file_are_refused(client, people):
    case = a_case(people)
    client.force_login(people.bimas_lutra)
    url = f"/situasi/tanggapan/{case.pk}/"
    no_summary = client.post(url, {"action": "resolve", "summary": "   "})
    assert no_summary.status_code == 400
    assert ("r-summary", "Tulis ringkasan penutup: apa yang dilakukan dan hasilnya.") in summary(no_summary)
    empty = client.post(url, {"action": "note", "text": ""})
    assert empty.status_code == 400 and ("n-text", "Tulis catatan tindak lanjut.") in summary(empty)
    # The box is headed as every error summary is, not with the case's title (the page's "title").
    assert re.search(r'id="error-summary-title">Periksa kembali isian berikut:</h2>', empty.content.decode())
    txt = client.post(url, {"action": "evidence", "file": SimpleUploadedFile("bukti.txt", b"hanya teks",
                                                                              content_type="text/plain")})
    assert txt.status_code == 400
    assert ("e-file", "Berkas 'bukti' harus berupa PDF, JPG atau PNG.") in summary(txt)
    renamed = client.post(url, {"action": "evidence", "file": SimpleUploadedFile("foto.pdf", png_bytes())})
    assert renamed.status_code == 400 and "tidak sesuai dengan namanya" in summary(renamed)[0][1]
    nothing = client.post(url, {"action": "evidence"})
    assert nothing.status_code == 400 and summary(nothing)[0][0] == "e-file"
    assert client.post(url, {"action": "hapus"}).status_code == 400
    case.refresh_from_db()
    assert case.status == ResponseStatus.OPEN and not case.notes.exists() and not case.evidence.exists()


# --- working a case, who may ---------------------------------------------------------------------

def test_the_acting_office_works_the_case_to_its_close(client, people):
    case = a_case(people)
    client.force_login(people.bimas_lutra)
    url = f"/situasi/tanggapan/{case.pk}/"
    assert client.post(url, {"action": "note", "text": "Tim menuju lokasi."}).status_code == 302
    assert client.post(url, {"action": "evidence", "file": SimpleUploadedFile("berita-acara.pdf",
                                                                             pdf_bytes("Berita acara"))}).status_code == 302
    case.refresh_from_db()
    assert case.status == ResponseStatus.IN_PROGRESS and case.first_response_at is not None
    evidence = case.evidence.get()
    download = client.get(f"{url}bukti/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert not PersonalDataAccess.objects.exists()  # the author's own file
    client.force_login(people.fo_makassar)  # a reader elsewhere reads the case, not its files (ID cards...)
    assert client.get(f"{url}bukti/{evidence.pk}/").status_code == 404
    page = text(client.get(url))
    assert "berita-acara.pdf" not in page and f"bukti/{evidence.pk}/" not in page  # not even the file's name
    client.force_login(people.kakanwil_sulsel)  # a head above: allowed, and on record
    assert client.get(f"{url}bukti/{evidence.pk}/").status_code == 200
    look = PersonalDataAccess.objects.get()
    assert (look.user, look.subject_type, look.subject_ref, look.what) == (
        people.kakanwil_sulsel, "response_case", str(case.pk), f"bukti {evidence.pk}")
    client.force_login(people.bimas_lutra)
    assert client.post(url, {"action": "resolve", "summary": "Mediasi berhasil; kedua pihak sepakat."}).status_code == 302
    page = text(client.get(url))
    assert "Mediasi berhasil; kedua pihak sepakat." in page and "Tim menuju lokasi." in page
    assert "berita-acara.pdf" in page


def test_heads_above_act_others_read_only(client, people):
    case = a_case(people)
    url = f"/situasi/tanggapan/{case.pk}/"
    client.force_login(people.kakanwil_sulsel)  # the Kanwil above
    assert client.post(url, {"action": "note", "text": "Mohon laporan sore ini."}).status_code == 302
    for reader in (people.kakanwil_jateng, people.fo_makassar):
        client.force_login(reader)
        page = client.get(url)
        assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
        refused = client.post(url, {"action": "note", "text": "Catatan"})
        assert refused.status_code == 403
    client.force_login(people.outsider)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert case.notes.count() == 1


def test_who_may_open_follows_the_room_s_region_rule(client, people):
    issue = recent_issue()
    # The front office reads the room but does not follow news up; Jateng's Kanwil is elsewhere.
    for user in (people.fo_lutra, people.kakanwil_jateng):
        assert open_form(client, user, f"isu={issue.pk}", office=office("73.22").pk,
                         kind="mediation").status_code == 403
    assert not ResponseCase.objects.exists()


def test_the_list_shows_overdue_cases_first(client, people):
    late = a_case(people, now=timezone.now() - timezone.timedelta(days=30))
    fresh = a_case(people)
    client.force_login(people.fo_makassar)
    page = client.get("/situasi/tanggapan/").content.decode()
    assert page.index(f"/situasi/tanggapan/{late.pk}/") < page.index(f"/situasi/tanggapan/{fresh.pk}/")
    assert page.count('data-testid="case-row"') == 2
    mine = client.get("/situasi/tanggapan/?saya=1").content.decode()
    assert 'data-testid="case-row"' not in mine  # Makassar acts on none of them


# --- figures in the room and the brief -----------------------------------------------------------

def test_the_room_and_the_daily_brief_show_the_figures_per_office(client, people):
    issue = recent_issue()
    recent_issue(title="Isu negatif tanpa tanggapan")
    case = a_case(people, subject=issue, now=timezone.now() - timezone.timedelta(hours=2))
    responses.add_note(case, user=people.bimas_lutra, text="Ditangani.")
    client.force_login(people.kakanwil_sulsel)
    room = client.get("/situasi/?provinsi=73&hari=1")
    body = text(room)
    assert 'data-testid="response-figures"' in room.content.decode()
    assert "Tanggapan per kantor" in body and "1/2 (50%)" in body

    pdf = briefs.brief_pdf("73", "daily", timezone.now())
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    words = re.sub(r"\s+", " ", words)
    assert "Tanggapan per kantor" in words
    assert "Isu negatif ditanggapi" in words and "1/2 (50%)" in words
    assert office("73.22").short_name in words


def test_the_zone_reads_as_a_zone_when_opened_in_the_readers_language(client, people):
    case = a_case(people)
    client.force_login(people.kakan_lutra)
    client.cookies["django_language"] = "en"
    listed = text(client.get("/situasi/tanggapan/", HTTP_ACCEPT_LANGUAGE="en"))
    # The list said "zone yellow" for a zone that may have changed since: it is the zone when opened.
    from django.utils import translation

    with translation.override("en"):
        assert f"zone when opened {case.get_zone_display().lower()}" in listed
    form = text(client.get(f"/situasi/tanggapan/baru/?isu={recent_issue().pk}", HTTP_ACCEPT_LANGUAGE="en"))
    assert re.search(r'data-testid="zone">(Green|Yellow|Red)<', form)  # its label, not the code "hijau"
