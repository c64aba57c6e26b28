"""A full disk or an unreachable upload storage while citizens and staff upload files.

Real faults, no mocks: a tmpfs that is really full (ENOSPC in the middle of a write), a tmpfs
mounted read-only (EROFS), and an upload directory that is a plain file. Every case must end
with a clear Indonesian message (web: the form again with what was typed; API: JSON
``storage_full`` 507 / ``storage_unavailable`` 503) and nothing half saved: no row, no file
or part of a file.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.feedback import reports
from satupintu.feedback.models import Report, ReportAttachment
from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import MeetingDocument, ProgressUpdate
from satupintu.services.applications import application_submit
from satupintu.services.models import Application, Document
from tests.conftest import VALID_NIK, VALID_PHONE, pdf_bytes, upload, valid_submission
from tests.faults.conftest import files_under

pytestmark = pytest.mark.django_db

FULL_TEXT = "Ruang penyimpanan berkas sedang penuh"
GONE_TEXT = "Penyimpanan berkas sedang tidak dapat dijangkau"


def big_pdf(size: int = 120 * 1024) -> bytes:
    """A PDF that passes the checks (it opens, with a page) and is larger than the room left."""
    import io
    import random

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1, pageCompression=0)
    text = random.Random(size).randbytes(size).hex()  # the content stream, uncompressed, is at least size
    for line in range(0, len(text), 200):
        pdf.drawString(10, 10, text[line:line + 200])
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _nothing_saved(root) -> None:  # type: ignore[no-untyped-def]
    assert not Application.objects.exists()
    assert not Document.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert files_under(root) == []  # not even the first file, nor the part of the second


def _api_form(**files):  # type: ignore[no-untyped-def]
    return {
        "service": "legalisir-ijazah-madrasah", "office": "73.22", "name": "Andi Rahmawati", "nik": VALID_NIK,
        "phone": VALID_PHONE, "email": "andi@contoh.id", "nama_madrasah": "MAN 1 Luwu Utara", "jenjang": "MA",
        "tahun_lulus": "2015", "jumlah_lembar": "3",
        "ijazah_asli": upload("asli.pdf"), "fotokopi_ijazah": upload("fc.pdf"), "ktp": upload("ktp.pdf"), **files,
    }


# --- applications --------------------------------------------------------------------------


def test_full_disk_halfway_through_an_application_saves_nothing(full_disk):
    # The first files fit; the last one hits ENOSPC halfway: the ones before and the partial
    # one must both go, with the application row, its event and its outbox message.
    sub = valid_submission()
    sub.files["ktp"] = SimpleUploadedFile("ktp.pdf", big_pdf(), content_type="application/pdf")
    with pytest.raises(DomainError) as caught:
        application_submit(sub)
    assert caught.value.code == "storage_full" and caught.value.status == 507
    assert FULL_TEXT in caught.value.message
    _nothing_saved(full_disk)


def test_full_disk_web_form_comes_back_with_the_message_and_what_was_typed(client, full_disk):
    form = {k: v for k, v in _api_form(ktp=SimpleUploadedFile("ktp.pdf", big_pdf())).items()
            if k not in ("service",)}
    response = client.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", form)
    page = response.content.decode()
    assert response.status_code == 507
    assert FULL_TEXT in page and "Permohonan belum terkirim" in page
    assert 'value="Andi Rahmawati"' in page and 'value="MAN 1 Luwu Utara"' in page  # nothing to type again
    _nothing_saved(full_disk)


def test_full_disk_api_answers_storage_full(client, full_disk):
    response = client.post("/api/v1/applications", _api_form(ktp=SimpleUploadedFile("ktp.pdf", big_pdf())))
    assert response.status_code == 507
    body = response.json()
    assert body["code"] == "storage_full" and FULL_TEXT in body["message"]
    _nothing_saved(full_disk)


def test_read_only_storage_api_answers_storage_unavailable(client, read_only_disk):
    response = client.post("/api/v1/applications", _api_form())
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "storage_unavailable" and GONE_TEXT in body["message"]
    _nothing_saved(read_only_disk)


def test_upload_folder_replaced_by_a_file_web_form(client, storage_is_a_file):
    form = {k: v for k, v in _api_form().items() if k != "service"}
    response = client.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", form)
    page = response.content.decode()
    assert response.status_code == 503 and GONE_TEXT in page and 'value="Andi Rahmawati"' in page
    assert not Application.objects.exists() and not Document.objects.exists()
    assert storage_is_a_file.read_bytes() == b""


def test_storage_back_the_same_submission_goes_through(client, settings, tmp_path, storage_is_a_file):
    # After the fault the citizen simply sends again (same Idempotency-Key): one application.
    headers = {"HTTP_IDEMPOTENCY_KEY": "coba-lagi-1"}
    assert client.post("/api/v1/applications", _api_form(), **headers).status_code == 503
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "pulih")}}}
    ok = client.post("/api/v1/applications", _api_form(), **headers)
    assert ok.status_code == 201
    app = Application.objects.get()
    assert app.documents.count() == 3 and len(files_under(tmp_path / "pulih")) == 3


# --- complaints ----------------------------------------------------------------------------


def _report(**overrides) -> reports.ReportSubmission:  # type: ignore[no-untyped-def]
    data = dict(kind="complaint", category="service_quality", office="73.22", title="Pelayanan lambat sekali",
                text="Sudah tiga minggu berkas legalisir saya belum selesai diproses.", name="Budi",
                email="budi@contoh.id", files=[upload("bukti-1.pdf"), SimpleUploadedFile("bukti-2.pdf", big_pdf())])
    data.update(overrides)
    return reports.ReportSubmission(**data)  # type: ignore[arg-type]


def test_complaint_with_attachments_on_a_full_disk_saves_nothing(full_disk):
    with pytest.raises(DomainError) as caught:
        reports.report_submit(_report())
    assert caught.value.code == "storage_full"
    assert not Report.objects.exists() and not ReportAttachment.objects.exists()
    assert not OutboxMessage.objects.exists() and files_under(full_disk) == []


def test_complaint_web_form_on_unavailable_storage_keeps_the_text(client, read_only_disk):
    response = client.post("/pengaduan/", {
        "kind": "complaint", "category": "service_quality", "office": "73.22", "title": "Pelayanan lambat sekali",
        "text": "Sudah tiga minggu berkas legalisir saya belum selesai diproses.", "name": "Budi",
        "files": [upload("bukti-1.pdf")],
    })
    page = response.content.decode()
    assert response.status_code == 503 and GONE_TEXT in page
    assert "Sudah tiga minggu berkas legalisir saya belum selesai diproses." in page
    assert not Report.objects.exists() and files_under(read_only_disk) == []


def test_complaint_api_on_a_full_disk(client, full_disk):
    response = client.post("/api/v1/reports", {
        "kind": "complaint", "category": "service_quality", "office": "73.22", "title": "Pelayanan lambat sekali",
        "text": "Sudah tiga minggu berkas legalisir saya belum selesai diproses.", "name": "Budi",
        "files": [SimpleUploadedFile("bukti.pdf", big_pdf())],
    })
    assert response.status_code == 507 and response.json()["code"] == "storage_full"
    assert not Report.objects.exists() and files_under(full_disk) == []


# --- Rakor ---------------------------------------------------------------------------------


def _meeting():  # type: ignore[no-untyped-def]
    start = timezone.now() + timedelta(days=1)
    return meetings.create_meeting(meetings.MeetingDraft(office="73", type="rakor", title="Rakor", starts_at=start,
                                                         ends_at=start + timedelta(hours=2)), user=None)


def test_rakor_document_on_a_full_disk_says_so_and_saves_nothing(client, people, full_disk):
    m = _meeting()
    client.force_login(people.kakanwil_sulsel)
    response = client.post(f"/rakor/{m.pk}/aksi/", {"action": "document", "title": "Bahan paparan",
                                                    "file": SimpleUploadedFile("paparan.pdf", big_pdf())})
    page = response.content.decode()  # the meeting page again, the title typed kept
    assert response.status_code == 507 and FULL_TEXT in page and 'value="Bahan paparan"' in page
    assert not MeetingDocument.objects.exists() and files_under(full_disk) == []


def test_rakor_document_on_unavailable_storage(people, read_only_disk):
    with pytest.raises(DomainError) as caught:
        meetings.add_document(_meeting(), title="Surat undangan", upload=SimpleUploadedFile("u.pdf", pdf_bytes()),
                              user=people.kakanwil_sulsel)
    assert caught.value.code == "storage_unavailable"
    assert not MeetingDocument.objects.exists()


def test_rakor_evidence_on_a_full_disk_saves_no_progress(people, full_disk):
    decision = followups.add_decision(_meeting(), "Percepat layanan daring")
    lutra = Office.objects.get(code="73.22")
    action = followups.add_action(decision, office=lutra, indicator="Layanan daring berjalan",
                                  due_date=followups.office_today(lutra) + timedelta(days=7))
    with pytest.raises(DomainError) as caught:
        followups.report_progress(action, user=people.kakan_lutra, note="Sudah berjalan", percent=50,
                                  evidence=SimpleUploadedFile("bukti.pdf", big_pdf()))
    assert caught.value.code == "storage_full"
    assert not ProgressUpdate.objects.exists() and files_under(full_disk) == []


# --- the database lost after the files were written ----------------------------------------


def test_database_lost_after_the_files_were_written_removes_them(tmp_path):
    # The connection drops between the file writes and the end of the transaction (what the
    # PostgreSQL drill does for real with pg_terminate_backend): the rollback takes the rows,
    # files_in_transaction must take the files. Django's execute_wrapper is the database
    # driver's boundary: the error is the one psycopg gives for a dropped connection.
    from django.db import OperationalError, connection

    def dropped(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if 'INSERT INTO "services_event"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(dropped), pytest.raises(OperationalError):
        application_submit(valid_submission())
    assert not Application.objects.exists() and not Document.objects.exists()
    assert files_under(tmp_path / "uploads") == []
