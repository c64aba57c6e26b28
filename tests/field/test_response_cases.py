"""Response cases on field reports: read only by those who may read the report, work the case or
opened it; texts masked for readers who do not work it (and looks at whole texts on record);
closed when the report is rejected; opened by the report's verifying office too."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from satupintu.core.models import PersonalDataAccess
from satupintu.field import reports
from satupintu.field.models import FieldReport
from satupintu.organization.models import Office
from satupintu.situation import responses
from satupintu.situation.models import ResponseCase, ResponseKind
from tests.conftest import png_bytes

pytestmark = pytest.mark.django_db
PHONE = "081234567890"


def _office(code: str) -> Office:
    return Office.objects.get(code=code)


def _report(people, regency: str = "73.22") -> FieldReport:  # type: ignore[no-untyped-def]
    now = timezone.now()
    return FieldReport.objects.create(
        client_id=uuid.uuid4(), reporter=people.penyuluh_lutra, office=_office("73.22"), province_code=regency[:2],
        regency_code=regency, category="tension", urgency="high", description=f"Tokoh warga ({PHONE}) dihadang.",
        occurred_at=now, submitted_at=now)


def _case(people, report: FieldReport) -> ResponseCase:  # type: ignore[no-untyped-def]
    return responses.open_case(report, user=people.kakan_lutra, office=_office("73.22"),
                               kind=ResponseKind.FIELD_VISIT, opener_offices=[_office("73.22")],
                               instructions=f"Temui Bapak Ahmad ({PHONE}) di Desa Baebunta.")


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_a_case_on_a_report_is_not_for_those_who_may_not_read_the_report(field_people):
    case = _case(field_people, _report(field_people))
    assert _as(field_people.fo_lutra).get(f"/situasi/tanggapan/{case.pk}/").status_code == 404  # not a verifier
    jateng = _as(field_people.kakanwil_jateng)  # another province: the report is not theirs to read
    assert jateng.get(f"/petugas/lapangan/{case.field_report_id}/").status_code == 404
    assert jateng.get(f"/situasi/tanggapan/{case.pk}/").status_code == 404
    assert f"/situasi/tanggapan/{case.pk}/" not in jateng.get("/situasi/tanggapan/").content.decode()
    # the Kanwil above and the acting office read it; cases on issues stay open to the whole room
    for user in (field_people.kakanwil_sulsel, field_people.admin_lutra):
        assert f"/situasi/tanggapan/{case.pk}/" in _as(user).get("/situasi/tanggapan/").content.decode()
        assert _as(user).get(f"/situasi/tanggapan/{case.pk}/").status_code == 200


def test_readers_who_do_not_work_the_case_read_it_masked_and_without_its_files(field_people):
    case = _case(field_people, _report(field_people))
    responses.add_evidence(case, user=field_people.kakan_lutra,
                           upload=SimpleUploadedFile("KTP_7322015708900001_Ahmad.png", png_bytes(), "image/png"))
    # The reporter reads the case on their report, but does not work it.
    reporter = _as(field_people.penyuluh_lutra)
    page = reporter.get(f"/situasi/tanggapan/{case.pk}/").content.decode()
    assert PHONE not in page and "[nomor telepon]" in page
    assert "KTP_7322015708900001_Ahmad.png" not in page
    assert not PersonalDataAccess.objects.filter(subject_type="response_case").exists()

    head = _as(field_people.kakan_lutra)
    page = head.get(f"/situasi/tanggapan/{case.pk}/").content.decode()
    assert PHONE in page and "KTP_7322015708900001_Ahmad.png" in page
    look = PersonalDataAccess.objects.get(subject_type="response_case")
    assert look.subject_ref == str(case.pk) and look.user == field_people.kakan_lutra


def test_a_file_name_that_holds_a_nik_is_read_whole_only_on_record(field_people):
    """Nothing else in the case names anyone: the file's name alone ("KTP_<NIK>_...") is read
    whole by those who work the case, and each such look is recorded like a note's."""
    now = timezone.now()
    report = FieldReport.objects.create(
        client_id=uuid.uuid4(), reporter=field_people.penyuluh_lutra, office=_office("73.22"), province_code="73",
        regency_code="73.22", category="tension", urgency="high", description="Warga dihadang.", occurred_at=now,
        submitted_at=now)
    case = responses.open_case(report, user=field_people.kakan_lutra, office=_office("73.22"),
                               kind=ResponseKind.FIELD_VISIT, opener_offices=[_office("73.22")],
                               instructions="Kunjungi desa.")
    responses.add_evidence(case, user=field_people.admin_lutra,
                           upload=SimpleUploadedFile("KTP_7322015708900001_Ahmad.png", png_bytes(), "image/png"))
    page = _as(field_people.kakanwil_sulsel).get(f"/situasi/tanggapan/{case.pk}/").content.decode()
    assert "KTP_7322015708900001_Ahmad.png" in page
    look = PersonalDataAccess.objects.get(subject_type="response_case")
    assert look.user == field_people.kakanwil_sulsel and look.subject_ref == str(case.pk)


def test_rejecting_the_report_closes_its_case_which_then_never_escalates(field_people):
    report = _report(field_people)
    case = _case(field_people, report)
    reports.reject(field_people.admin_lutra, report, "Tidak terjadi; kabar bohong.")
    case.refresh_from_db()
    assert case.is_resolved and case.resolved_by == field_people.admin_lutra
    assert "Tidak terjadi; kabar bohong." in case.summary
    assert responses.escalate_due(now=case.due_at + timedelta(days=10)) == 0
    en = _as(field_people.kakan_lutra)
    en.cookies["django_language"] = "en"
    assert "Closed because its field report was rejected at verification" in en.get(
        f"/situasi/tanggapan/{case.pk}/").content.decode()


def test_the_verifying_office_opens_a_case_on_a_gps_report_from_the_next_regency(field_people):
    # A Luwu Utara penyuluh's GPS report from Makassar goes to Luwu Utara, which Makassar does not see.
    report = _report(field_people, regency="73.71")
    head = _as(field_people.kakan_lutra)
    assert head.get(f"/situasi/tanggapan/baru/?laporan={report.pk}").status_code == 200
    sent = head.post(f"/situasi/tanggapan/baru/?laporan={report.pk}",
                     {"office": _office("73.22").pk, "kind": "field_visit", "instructions": "Cek lokasi."})
    assert sent.status_code == 302
    assert ResponseCase.objects.get(field_report=report).office.code == "73.22"
