"""The web apply form: every error at once with a summary linking to its fields, required and
optional marks, sensible number ranges, and files kept across errors (the upload stash)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.organization.models import Office
from satupintu.services import upload_stash
from satupintu.services.applications import application_submit
from satupintu.services.models import Application, OfficeService, Service, UploadStash
from satupintu.services.tasks import upload_stash_purge
from tests.conftest import VALID_NIK, pdf_bytes, png_bytes, upload, valid_submission

pytestmark = pytest.mark.django_db
URL = "/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22"


def _form(**overrides):  # type: ignore[no-untyped-def]
    data = {"office": "73.22", "submission_key": "form-1", "name": "Andi", "nik": VALID_NIK, "phone": "081234567890",
            "email": "andi@contoh.id", "nama_madrasah": "MAN 1", "jenjang": "MA", "tahun_lulus": "2015",
            "jumlah_lembar": "2"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _stored(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]


def test_files_are_kept_after_an_error_and_sent_with_the_fixed_form(tmp_path, django_capture_on_commit_callbacks):
    c = Client()
    first = c.post(URL, _form(nik="123", ijazah_asli=upload("ijazah.pdf", pdf_bytes("ijazah asli")),
                              ktp=upload("ktp.pdf", pdf_bytes("ktp"))))
    assert first.status_code == 400
    page = first.content.decode()
    assert "NIK harus terdiri dari 16 angka." in page
    # the accepted files are named on the page and need not be picked again
    assert "Berkas tersimpan: <strong>ijazah.pdf</strong>" in page
    assert "Berkas tersimpan: <strong>ktp.pdf</strong>" in page
    assert not re.search(r'<input[^>]*id="d-ktp"[^>]*required', page)
    assert re.search(r'<input[^>]*id="d-fotokopi_ijazah"[^>]*required', page)  # still missing
    assert UploadStash.objects.count() == 2 and Application.objects.count() == 0

    # the citizen fixes the NIK and adds the one missing file; no other file is sent again
    with django_capture_on_commit_callbacks(execute=True):
        second = c.post(URL, _form(fotokopi_ijazah=upload("fotokopi.pdf", pdf_bytes("fotokopi"))))
    assert second.status_code == 302, second.content.decode()
    app = Application.objects.get()
    docs = {d.requirement_code: d for d in app.documents.all()}
    assert {code: d.original_name for code, d in docs.items()} == {
        "ijazah_asli": "ijazah.pdf", "ktp": "ktp.pdf", "fotokopi_ijazah": "fotokopi.pdf"}
    assert docs["ktp"].file.read() == pdf_bytes("ktp")
    # the stash is gone, rows and files: only the application's three files are left
    assert UploadStash.objects.count() == 0
    assert len(_stored(tmp_path)) == 3


def test_one_invalid_field_two_valid_files_then_fixed_without_files():
    # at this office the KTP is optional, so the service needs exactly two files
    OfficeService.objects.create(office=Office.objects.get(code="73.22"),
                                 service=Service.objects.get(slug="legalisir-ijazah-madrasah"),
                                 requirement_overrides={"ktp": "optional"})
    c = Client()
    first = c.post(URL, _form(tahun_lulus="3020", ijazah_asli=upload("ijazah.pdf", pdf_bytes("asli")),
                              fotokopi_ijazah=upload("fotokopi.pdf", pdf_bytes("fotokopi"))))
    assert first.status_code == 400
    page = first.content.decode()
    assert "Tahun lulus" in page and "harus antara 1900 dan" in page
    assert "Berkas tersimpan: <strong>ijazah.pdf</strong>" in page
    assert "Berkas tersimpan: <strong>fotokopi.pdf</strong>" in page
    second = c.post(URL, _form())  # the year fixed, no file picked again
    assert second.status_code == 302, second.content.decode()
    app = Application.objects.get()
    assert app.form_data["tahun_lulus"] == "2015"
    assert {d.requirement_code: d.file.read() for d in app.documents.all()} == {
        "ijazah_asli": pdf_bytes("asli"), "fotokopi_ijazah": pdf_bytes("fotokopi")}


def test_kept_files_belong_to_their_session_and_form():
    owner = Client()
    owner.post(URL, _form(nik="1", ijazah_asli=upload("ijazah.pdf"), fotokopi_ijazah=upload("f.pdf"),
                          ktp=upload("ktp.pdf")))
    assert UploadStash.objects.count() == 3
    # someone else who knows the form key gets nothing from it
    stranger = Client()
    response = stranger.post(URL, _form())
    assert response.status_code == 400 and "Berkas tersimpan" not in response.content.decode()
    assert "belum diunggah" in response.content.decode()
    # the same person with another form (a new key) starts empty too
    other_form = owner.post(URL, _form(submission_key="form-2"))
    assert other_form.status_code == 400 and "Berkas tersimpan" not in other_form.content.decode()
    assert Application.objects.count() == 0


def test_a_faulty_replacement_drops_the_kept_file_and_says_why():
    c = Client()
    c.post(URL, _form(nik="1", ktp=upload("ktp.pdf")))
    assert UploadStash.objects.filter(requirement_code="ktp").count() == 1
    response = c.post(URL, _form(nik="1", ktp=upload("ktp.pdf", png_bytes())))  # a PNG named .pdf
    page = response.content.decode()
    assert "tidak sesuai dengan namanya" in page and "Berkas tersimpan: <strong>ktp.pdf</strong>" not in page
    assert not UploadStash.objects.filter(requirement_code="ktp").exists()


def test_every_error_at_once_in_a_summary_linking_to_the_fields():
    response = Client().post(URL, _form(name="", nik="12", tahun_lulus="3020", jumlah_lembar="-4"))
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary[^"]*" id="error-summary" role="alert" tabindex="-1".*?</div>',
                        page, re.S)
    assert summary, page
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))
    assert [target for target, _ in links] == ["f-name", "f-nik", "f-tahun_lulus", "f-jumlah_lembar",
                                               "d-ijazah_asli", "d-fotokopi_ijazah", "d-ktp"]
    messages = dict(links)
    assert messages["f-tahun_lulus"] == f"&#x27;Tahun lulus&#x27; harus antara 1900 dan {timezone.localdate().year}."
    assert messages["f-jumlah_lembar"] == "&#x27;Jumlah lembar yang dilegalisir&#x27; harus antara 1 dan 100."
    # each field with an error says so to assistive technology and points at its message
    nik = re.search(r'<input[^>]*name="nik"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in nik and 'aria-describedby="f-nik_helptext f-nik_error"' in nik
    assert '<p class="error" id="f-nik_error">NIK harus terdiri dari 16 angka.</p>' in page
    email = re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    assert "aria-invalid" not in email


def test_required_and_optional_fields_are_marked():
    page = Client().get(URL).content.decode()
    assert re.search(r'<label for="f-name">Nama lengkap <span class="mark">\(wajib\)</span></label>', page)
    assert re.search(r'<label for="f-email">Email <span class="mark">\(opsional\)</span></label>', page)
    assert re.search(r'<label for="d-ktp">[^<]+<span class="mark">\(wajib\)</span></label>', page)
    year = re.search(r'<input[^>]*name="tahun_lulus"[^>]*>', page).group(0)
    assert 'min="1900"' in year and f'max="{timezone.localdate().year}"' in year
    assert '<script src="/static/satupintu/forms.js" defer></script>' in page
    assert "<script>" not in page  # no inline script (Content-Security-Policy)


@pytest.mark.parametrize("field, value, ok", [
    ("tahun_lulus", "3020", False), ("tahun_lulus", "1899", False), ("tahun_lulus", "2015.5", False),
    ("tahun_lulus", "1900", True), ("jumlah_lembar", "-4", False), ("jumlah_lembar", "0", False),
    ("jumlah_lembar", "101", False), ("jumlah_lembar", "1", True), ("jumlah_lembar", "100", True),
    ("jumlah_lembar", "NaN", False), ("jumlah_lembar", "1e400", False),
])
def test_number_ranges(field, value, ok):
    sub = valid_submission()
    sub.fields[field] = value
    if ok:
        app, _ = application_submit(sub)
        assert app.form_data[field] == value
    else:
        with pytest.raises(DomainError) as info:
            application_submit(sub)
        assert info.value.field == field and info.value.code in ("out_of_range", "invalid_field")


def test_stash_expires_and_the_scheduler_removes_it(tmp_path, settings, django_capture_on_commit_callbacks):
    c = Client()
    c.post(URL, _form(nik="1", ijazah_asli=upload("ijazah.pdf"), ktp=upload("ktp.pdf")))
    assert UploadStash.objects.count() == 2 and len(_stored(tmp_path)) == 2
    stash = UploadStash.objects.first()
    assert stash.expires_at - stash.created_at == timedelta(seconds=settings.UPLOAD_STASH_SECONDS) == timedelta(hours=2)
    assert "upload-stash-purge" in settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULE["upload-stash-purge"]["task"] == "satupintu.services.tasks.upload_stash_purge"
    assert upload_stash.stash_purge_expired() == 0  # not yet
    # two hours later the form shows no kept file any more, and the sweep removes rows and files
    UploadStash.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = c.post(URL, _form(nik="1")).content.decode()
    assert "Berkas tersimpan" not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_stash_purge.delay().get() == 2
    assert UploadStash.objects.count() == 0 and _stored(tmp_path) == []


def test_marks_summary_and_ranges_in_english():
    c = Client()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})  # the language switch in the header
    page = c.post(URL, _form(tahun_lulus="3020")).content.decode()
    assert "Your application has not been sent. Please correct the following:" in page
    assert "&#x27;Year of graduation&#x27; must be between 1900 and" in page
    assert '<span class="mark">(required)</span>' in page and '<span class="mark">(optional)</span>' in page


def test_one_session_cannot_keep_files_without_end(monkeypatch):
    monkeypatch.setattr(upload_stash, "MAX_PER_SESSION", 2)
    c = Client()
    c.post(URL, _form(nik="1", ijazah_asli=upload("a.pdf"), fotokopi_ijazah=upload("b.pdf"), ktp=upload("c.pdf")))
    assert UploadStash.objects.count() == 2
    # replacing a kept file is still possible when the session is at its limit
    c.post(URL, _form(nik="1", ijazah_asli=upload("a2.pdf")))
    assert sorted(UploadStash.objects.values_list("original_name", flat=True)) == ["a2.pdf", "b.pdf"]


def test_unparseable_input_is_refused_without_saving():
    response = Client().post(URL, _form(email="andi\x00@contoh.id", ijazah_asli=upload("a.pdf"),
                                        fotokopi_ijazah=upload("b.pdf"), ktp=upload("c.pdf")))
    # The request guard (core/request_guard.py) refuses it before any view reads it.
    assert response.status_code == 400
    assert "karakter" in response.content.decode()
    assert Application.objects.count() == 0


def test_the_same_application_sent_again_leads_to_the_first_with_a_note():
    files = lambda: {c: upload(f"{c}.pdf", pdf_bytes(c)) for c in ("ijazah_asli", "fotokopi_ijazah", "ktp")}  # noqa: E731
    c = Client()
    assert c.post(URL, {**_form(), **files()}).status_code == 302
    first = Application.objects.get()
    # Another tab (another form key), the same details: it said "has not been sent, please correct
    # the following" with nothing to correct.
    c.cookies["django_language"] = "en"
    again = c.post(URL, {**_form(submission_key="form-2"), **files()}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 302 and again["Location"] == f"/lacak/{first.tracking_code}/"
    page = c.get(again["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"The same application was already sent with tracking code {first.tracking_code}; here is its status." \
        in page
    assert Application.objects.count() == 1 and UploadStash.objects.count() == 0
