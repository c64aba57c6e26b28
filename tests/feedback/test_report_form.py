"""The complaint / aspiration / question form on the web: every problem at once, a summary
linking to each field, marks for required and optional fields, aria on fields in error."""

import re

import pytest
from django.test import Client

from satupintu.feedback.models import Report
from tests.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db


def test_every_error_at_once_with_a_linked_summary():
    response = Client().post("/pengaduan/", {
        "kind": "complaint", "category": "lain", "office": "", "title": "abc", "text": "pendek",
        "name": "", "phone": "12ab", "email": "bukan-email", "application_code": "ZZZ",
        "files": upload("a.pdf", png_bytes()),
    })
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary[^"]*" id="error-summary" role="alert" tabindex="-1".*?</div>',
                        page, re.S)
    assert summary, page
    links = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    assert links == ["category", "office", "title", "text", "application_code", "files", "name", "phone", "email"]
    for field in links:  # each field carries its message and says it is invalid
        tag = re.search(rf'<(?:input|select|textarea)[^>]*id="{field}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag and f"{field}_error" in tag, tag
        assert f'<p class="error" id="{field}_error">' in page
    assert Report.objects.count() == 0


def test_the_form_marks_required_and_optional_fields():
    page = Client().get("/pengaduan/?kind=aspiration").content.decode()
    assert re.search(r'<label for="title">Judul <span class="mark">\(wajib\)</span></label>', page)
    assert re.search(r'<label for="phone">Nomor HP <span class="mark">\(opsional\)</span></label>', page)
    assert re.search(r'<input[^>]*value="aspiration"[^>]*checked', page)  # pre-filled from the link
    assert "error-summary" not in page


def test_api_names_every_problem_too():
    response = Client().post("/api/v1/reports", {"kind": "complaint", "category": "service_quality",
                                                 "office": "73.22", "title": "", "text": "", "name": "Andi"})
    body = response.json()
    assert response.status_code == 400 and body["code"] == "missing_field" and body["field"] == "title"
    assert [e["field"] for e in body["errors"]] == ["title", "text"]


def test_survey_names_every_missing_answer_next_to_its_question():
    answers = {f"u{i}": "3" for i in range(1, 10) if i not in (3, 9)}
    response = Client().post("/survei/kios/73.22/", {**answers, "education": "PhD"})
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary.*?</div>', page, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["u3_0", "u9_0", "education"]
    assert "Pilih salah satu jawaban untuk unsur &#x27;Waktu penyelesaian&#x27;." in summary
    assert '<fieldset class="skm-q field-error" aria-describedby="u3_error">' in page
    assert re.search(r'<input type="radio" name="u1" value="3"[^>]*checked', page)  # answers kept


def test_attachments_are_kept_after_an_error(django_capture_on_commit_callbacks):
    from satupintu.services.models import UploadStash
    from tests.conftest import pdf_bytes

    c = Client()
    page = c.get("/pengaduan/").content.decode()
    key = re.search(r'name="form_key" value="([0-9a-f]{32})"', page).group(1)
    data = {"form_key": key, "kind": "complaint", "category": "service_quality", "office": "73.22",
            "title": "Antrean lama", "name": "Andi"}
    first = c.post("/pengaduan/", {**data, "text": "pendek", "files": [upload("bukti.pdf", pdf_bytes("bukti")),
                                                                      upload("foto.pdf", png_bytes())]})
    assert first.status_code == 400
    page = first.content.decode()
    assert "Berkas tersimpan: <strong>bukti.pdf</strong>" in page and "foto.pdf</strong>" not in page
    text = "Antrean di loket PTSP lebih dari tiga jam tanpa nomor antrean yang jelas."
    with django_capture_on_commit_callbacks(execute=True):
        second = c.post("/pengaduan/", {**data, "text": text})  # no file picked again
    assert second.status_code == 302, second.content.decode()
    report = Report.objects.get()
    assert [(a.original_name, a.file.read()) for a in report.attachments.all()] == [("bukti.pdf", pdf_bytes("bukti"))]
    assert UploadStash.objects.count() == 0


def test_cookieless_refused_reports_cannot_keep_attachments_without_end(monkeypatch):
    """A new session per post got past the per-session cap: the address is capped too."""
    import dataclasses

    from satupintu.core import ratelimit
    from satupintu.services.models import UploadStash
    from tests.conftest import pdf_bytes

    # The shipped cap (60) at 5: the same rule, in a twelfth of the posts.
    monkeypatch.setattr(ratelimit, "UPLOAD_STASH_PER_CLIENT",
                        dataclasses.replace(ratelimit.UPLOAD_STASH_PER_CLIENT, limit=5))
    cap = ratelimit.UPLOAD_STASH_PER_CLIENT.limit
    data = {"kind": "complaint", "category": "service_quality", "office": "73.22", "title": "Antrean lama",
            "name": "Andi", "text": "pendek"}
    for n in range(cap + 2):
        response = Client(REMOTE_ADDR="203.0.113.7").post("/pengaduan/", {
            **data, "form_key": f"{n:032x}", "files": [upload("bukti.pdf", pdf_bytes(f"bukti {n}"))]})
        assert response.status_code == 400
    assert UploadStash.objects.count() == cap
    assert "Pilih lagi berkasnya sebelum mengirim." in response.content.decode()  # the last one says so
