"""The forms around a filed report: the officer's actions, and the reporter adding information
and confirming the answer. Bad input comes back on the page with status 400, a summary linking
to the field, and what was typed (and the attachments accepted) kept."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.feedback import reports
from satupintu.feedback.models import Report, ReportStatus
from satupintu.organization.models import Office, Role, StaffRole, Unit
from satupintu.services.models import UploadStash
from tests.conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db
QUEUE = "/petugas/pengaduan/"


@pytest.fixture
def desk():  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("pengaduan.lutra", "p@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=user, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    return user


def _report(**overrides) -> Report:  # type: ignore[no-untyped-def]
    data = dict(kind="complaint", category="service_quality", office="73.22", title="Antrean legalisir lama",
                text="Pengurusan legalisir ijazah sudah dua minggu belum selesai.", name="Budi Santoso")
    data.update(overrides)
    return reports.report_submit(reports.ReportSubmission(**data))


def _answered(desk) -> Report:  # type: ignore[no-untyped-def]
    report = reports.report_act(_report(), "verify", user=desk)
    report = reports.report_act(report, "forward", user=desk, unit=Unit.objects.get(code="tu"), note="Mohon jawab")
    return reports.report_act(report, "answer", user=desk, note="Loket kini dibuka dua; mohon maaf.")


def _summary_links(page: str) -> list[str]:
    summary = re.search(r'<div class="error-summary.*?</div>', page, re.S)
    assert summary, page
    return re.findall(r'<a href="#([^"]+)">', summary.group(0))


# --- the officer ------------------------------------------------------------------------------

def test_an_answer_too_long_is_sent_back_whole_not_cut(desk):
    report = reports.report_act(_report(), "verify", user=desk)
    c = Client()
    c.force_login(desk)
    long_note = "Jawaban panjang. " * 300  # 5100 characters
    response = c.post(f"{QUEUE}{report.tracking_code}/aksi/", {"action": "forward", "unit": "tu", "note": long_note})
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["fw-note"] and "Maksimal 5000 karakter." in page
    assert long_note.strip() in page  # kept, to shorten
    assert re.search(r'<details open><summary>Teruskan ke unit', page)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED and report.unit is None


def test_the_action_forms_post_to_the_action_address_from_any_page(desk):
    report = _report(email="budi@contoh.id")
    c = Client()
    c.force_login(desk)
    page = c.post(f"{QUEUE}{report.tracking_code}/aksi/", {"action": "reject", "note": ""}).content.decode()
    # Re-rendered at .../aksi/: every form still posts where it should.
    forms = re.findall(r'<form method="post" action="([^"]*)"', page)
    assert forms and all(a == f"{QUEUE}{report.tracking_code}/aksi/" for a in forms if "aksi" in a)
    assert f'action="{QUEUE}{report.tracking_code}/"' in page  # the reveal form
    assert _summary_links(page) == ["reject-note"]


def test_a_note_typed_for_an_action_no_longer_offered_is_shown_to_copy(desk):
    report = _report()
    c = Client()
    c.force_login(desk)
    response = c.post(f"{QUEUE}{report.tracking_code}/aksi/",
                      {"action": "answer", "note": "Jawaban yang diketik lama sekali."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "tidak bisa dilakukan" in page and "Jawaban yang diketik lama sekali.</textarea>" in page


# --- the reporter -----------------------------------------------------------------------------

@pytest.mark.parametrize("rating, message", [("lima", "Nilai 1 sampai 5."), ("9", "Nilai 1 sampai 5.")])
def test_a_bad_rating_is_a_clear_error_not_ignored(desk, rating, message):
    report = _answered(desk)
    response = Client().post(f"/pengaduan/{report.tracking_code}/konfirmasi/",
                             {"resolved": "ya", "rating": rating, "comment": "Sudah lebih baik."})
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["rating"] and message in page
    assert re.search(r'<input type="radio" name="resolved" value="ya"[^>]*checked', page)  # kept
    assert "Sudah lebih baik.</textarea>" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED and report.rating is None


def test_confirming_without_an_answer_names_every_problem(desk):
    report = _answered(desk)
    c = Client()
    page = c.get(f"/pengaduan/{report.tracking_code}/").content.decode()
    assert re.search(r'<legend>Apakah jawaban ini menyelesaikan masalah Anda\? <span class="mark">\(wajib\)</span>',
                     page)
    response = c.post(f"/pengaduan/{report.tracking_code}/konfirmasi/", {"rating": "0"})
    assert response.status_code == 400
    assert _summary_links(response.content.decode()) == ["resolved_0", "rating"]
    # The group is described by its error, which sits inside it (was outside, tied to nothing).
    group = re.search(r'<fieldset aria-describedby="resolved_error">.*?</fieldset>', response.content.decode(), re.S)
    assert group and 'id="resolved_error"' in group.group(0)
    c.cookies["django_language"] = "en"
    english = c.post(f"/pengaduan/{report.tracking_code}/konfirmasi/", {"rating": "7"}).content.decode()
    assert "Say whether the answer solved your problem." in english and "A rating from 1 to 5." in english


def test_adding_nothing_is_an_error_on_the_text(desk):
    report = _report()
    response = Client().post(f"/pengaduan/{report.tracking_code}/tambah/", {"text": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["info-text"]
    assert "Tulis tambahan informasi atau lampirkan berkas." in page
    assert re.search(r"<details open><summary>Tambah informasi", page)
    assert not report.events.filter(action="add_info").exists()


def test_added_attachments_are_kept_after_an_error(django_capture_on_commit_callbacks):
    report = _report()
    c = Client()
    page = c.get(f"/pengaduan/{report.tracking_code}/").content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f]{32})"', page).group(1)
    url = f"/pengaduan/{report.tracking_code}/tambah/"
    first = c.post(url, {"form_key": key, "text": "Foto antrean hari Selasa.",
                         "files": [upload("antrean.pdf", pdf_bytes("antrean")), upload("rusak.pdf", png_bytes())]})
    assert first.status_code == 400
    page = first.content.decode()
    assert _summary_links(page) == ["info-files"]
    assert "Berkas tersimpan: <strong>antrean.pdf</strong>" in page and "rusak.pdf</strong>" not in page
    assert "Foto antrean hari Selasa.</textarea>" in page
    with django_capture_on_commit_callbacks(execute=True):
        second = c.post(url, {"form_key": key, "text": "Foto antrean hari Selasa."})  # no file picked again
    assert second.status_code == 302 and second["Location"] == f"/pengaduan/{report.tracking_code}/"
    assert [(a.original_name, a.file.read()) for a in report.attachments.all()] == [
        ("antrean.pdf", pdf_bytes("antrean"))]
    assert report.events.filter(action="add_info", note="Foto antrean hari Selasa.").exists()
    assert UploadStash.objects.count() == 0


def test_information_sent_twice_is_added_once(django_capture_on_commit_callbacks):
    # A double tap, or "send" again after "back": the officer reads the addition (and its file) once.
    report = _report()
    c = Client()
    url = f"/pengaduan/{report.tracking_code}/tambah/"
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            sent = c.post(url, {"text": "Foto antrean hari Selasa.", "files": [upload("antrean.pdf", pdf_bytes("a"))]})
        assert sent.status_code == 302
    assert report.events.filter(action="add_info").count() == 1
    assert report.attachments.count() == 1
    # Something else, or the same words with another file, is a new addition.
    c.post(url, {"text": "Foto antrean hari Selasa.", "files": [upload("loket.pdf", pdf_bytes("b"))]})
    c.post(url, {"text": "Antrean hari Rabu juga lama."})
    assert report.events.filter(action="add_info").count() == 3
    assert report.attachments.count() == 2
