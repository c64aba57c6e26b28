"""The Kankemenag decides: who may verify or reject, what the queue and the detail show (masked
in the list, audited when opened), and a verified report as a Situation Room item (staff only,
personal data masked, in the report's regency)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.core.models import PersonalDataAccess
from satupintu.field import reports
from satupintu.field.models import FieldReport, ReportStatus
from satupintu.situation.models import SourceKind
from tests.conftest import jpeg_bytes
from tests.field.conftest import API, report_data

pytestmark = pytest.mark.django_db

PRIVATE = "Koordinator massa Pak Rahman (0812-3456-7890, NIK 7322015708900001) mengumpulkan warga."


def _report(client_for, who, **overrides) -> FieldReport:  # type: ignore[no-untyped-def]
    response = client_for(who).post(API, report_data(**overrides))
    assert response.status_code == 201, response.json()
    return FieldReport.objects.get(pk=response.json()["id"])


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    def _client(user):  # type: ignore[no-untyped-def]
        c = Client()
        c.force_login(user)
        return c
    return _client


def test_only_the_head_or_admin_of_the_reporters_kankemenag_verifies(client_for, field_people):
    report = _report(client_for, field_people.penyuluh_lutra)
    for outsider in (field_people.kakan_makassar, field_people.penyuluh_lutra, field_people.fo_lutra,
                     field_people.kakanwil_sulsel):
        with pytest.raises(DomainError) as refused:
            reports.verify(outsider, report)
        assert refused.value.code == "not_your_office" and refused.value.status == 403
    # Through the page: another office's head does not even find it; the Kanwil head reads it, no buttons.
    assert client_for(field_people.kakan_makassar).post(f"/petugas/lapangan/{report.pk}/aksi/",
                                                        {"action": "verify"}).status_code == 404
    page = client_for(field_people.kakanwil_sulsel).get(f"/petugas/lapangan/{report.pk}/")
    assert page.status_code == 200 and b'value="verify"' not in page.content
    assert client_for(field_people.kakanwil_sulsel).post(f"/petugas/lapangan/{report.pk}/aksi/",
                                                         {"action": "verify"}).status_code == 403
    assert client_for(field_people.kakanwil_jateng).get(f"/petugas/lapangan/{report.pk}/").status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    reports.verify(field_people.admin_lutra, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED and report.verified_by == field_people.admin_lutra


def test_a_verified_report_is_a_masked_room_item_in_its_regency(client_for, field_people):
    report = _report(client_for, field_people.penyuluh_lutra, description=PRIVATE, category="tension",
                     regency_code="73.71", district_code="73.71.01")
    # A Luwu Utara penyuluh's report about Makassar: Makassar's Kankemenag answers for the place and
    # verifies; the reporter's own office does not even find it.
    assert report.office.code == "73.71"
    assert client_for(field_people.kakan_lutra).post(f"/petugas/lapangan/{report.pk}/aksi/",
                                                     {"action": "verify"}).status_code == 404
    response = client_for(field_people.kakan_makassar).post(f"/petugas/lapangan/{report.pk}/aksi/", {"action": "verify"})
    assert response.status_code == 302
    report.refresh_from_db()
    item = report.item
    assert item is not None and item.field_report == report
    assert item.source.kind == SourceKind.FIELD and item.url == ""
    assert (item.province_code, item.regency_code) == ("73", "73.71")
    assert "0812" not in item.text and "7322015708900001" not in item.text
    assert "[nomor telepon]" in item.text and "[NIK]" in item.text
    assert "penyuluh" not in (item.author + item.title).lower()  # the reporter is not named
    assert item.title.startswith("Ketegangan antarkelompok (Tinggi): Kecamatan Mariso")
    assert item.link == f"/petugas/lapangan/{report.pk}/"  # opens the officer page, which checks access
    assert item.issue_id is not None  # clustered like every item
    # Never public: the room and the item's link are for staff; a citizen is refused.
    citizen = Client()
    assert citizen.get(item.link).status_code == 302  # to the sign-in page
    assert citizen.get("/situasi/").status_code in (302, 403)
    # Verified once: a second decision is refused.
    with pytest.raises(DomainError) as again:
        reports.verify(field_people.kakan_makassar, report)
    assert again.value.code == "already_decided"


def test_rejecting_needs_a_reason_which_the_reporter_reads(client_for, field_people):
    report = _report(client_for, field_people.penyuluh_lutra)
    head = client_for(field_people.kakan_lutra)
    page = head.post(f"/petugas/lapangan/{report.pk}/aksi/", {"action": "reject", "reason": "  "})
    assert page.status_code == 400 and "Tuliskan alasan penolakan" in page.content.decode()
    head.post(f"/petugas/lapangan/{report.pk}/aksi/", {"action": "reject", "reason": "Sudah ditangani polsek."})
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED and report.item is None
    mine = client_for(field_people.penyuluh_lutra).get(API).json()["reports"]
    assert mine[0]["status"] == "rejected" and mine[0]["rejection_reason"] == "Sudah ditangani polsek."


def test_the_queue_puts_pending_first_by_urgency_and_masks(client_for, field_people):
    _report(client_for, field_people.penyuluh_lutra, urgency="low", description="Rendah saja.")
    _report(client_for, field_people.penyuluh_lutra, urgency="critical", description=PRIVATE)
    _report(client_for, field_people.penyuluh_makassar, urgency="high", description="Di Makassar.",
            regency_code="73.71")
    page = client_for(field_people.kakan_lutra).get("/petugas/lapangan/").content.decode()
    assert page.index("Darurat") < page.index("Rendah saja")
    assert "Di Makassar" not in page  # another Kankemenag's
    assert "0812-3456-7890" not in page and "[nomor telepon]" in page
    assert "Penyuluh Uji" not in page and "Pe*** Uj*" in page
    kanwil = client_for(field_people.kakanwil_sulsel).get("/petugas/lapangan/").content.decode()
    assert "Di Makassar" in kanwil and "Rendah saja" in kanwil
    assert client_for(field_people.penyuluh_lutra).get("/petugas/lapangan/").status_code == 403
    assert client_for(field_people.fo_lutra).get("/petugas/lapangan/").status_code == 403


def test_photos_only_for_those_who_may_see_them_and_each_view_is_audited(client_for, field_people):
    response = client_for(field_people.penyuluh_lutra).post(API, report_data(
        photos=[SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")]))
    report = FieldReport.objects.get(pk=response.json()["id"])
    photo = report.photos.get()
    url = f"/petugas/lapangan/{report.pk}/foto/{photo.pk}/"
    assert client_for(field_people.kakan_makassar).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    before = PersonalDataAccess.objects.count()
    head = client_for(field_people.kakan_lutra)
    shown = head.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content).startswith(b"\xff\xd8\xff")
    head.get(url)
    audit = PersonalDataAccess.objects.order_by("pk")[before:]
    assert [(a.subject_type, a.subject_ref, a.user_id) for a in audit] == [
        ("field_report", str(report.pk), field_people.kakan_lutra.pk)] * 2
    head.get(f"/petugas/lapangan/{report.pk}/")
    assert PersonalDataAccess.objects.count() == before + 3  # opening the detail is recorded too


def test_a_head_does_not_verify_their_own_report(client_for, field_people):
    """Four eyes: alone, a head who reports could put a critical report into the room and move the zone."""
    report = _report(client_for, field_people.kakan_lutra, urgency="critical")
    with pytest.raises(DomainError) as own:
        reports.verify(field_people.kakan_lutra, report)
    assert own.value.code == "own_report" and own.value.status == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.item is None
    assert reports.verify(field_people.admin_lutra, report).status == ReportStatus.VERIFIED  # another pair of eyes


def test_the_queue_masks_the_whole_text_before_it_cuts_it(field_people):
    """Cut first, a number cut at the edge is no longer recognised, and as each mask is shorter
    than the number it hides, the digits past the cut move into view."""
    import uuid

    from django.utils import timezone

    from satupintu.organization.models import Office

    earlier = "".join(f"73220157089000{i:02d} " for i in range(10, 21))  # eleven NIKs, each masked to [NIK]
    nik = "7322015708900099"
    text = earlier + nik + " lanjut."
    assert text.index(nik) < 200 < text.index(nik) + 16  # the last number straddles the cut
    now = timezone.now()
    FieldReport.objects.create(client_id=uuid.uuid4(), reporter=field_people.penyuluh_lutra,
                               office=Office.objects.get(code="73.22"), province_code="73", regency_code="73.22",
                               category="tension", urgency="high", description=text, occurred_at=now,
                               submitted_at=now)
    c = Client()
    c.force_login(field_people.kakan_lutra)
    page = c.get("/petugas/lapangan/").content.decode()
    assert "[NIK]" in page and nik[:8] not in page


def test_the_verifier_is_told_when_the_gps_point_lies_in_another_regency(client_for, field_people):
    """The reporter's chosen regency wins (they may report from elsewhere what they saw there), but
    the verifier sees that the phone stood in another regency before the index counts it."""
    elsewhere = _report(client_for, field_people.penyuluh_lutra, regency_code="73.22",
                        latitude="-5.1400", longitude="119.4200")  # Makassar
    here = _report(client_for, field_people.penyuluh_lutra, regency_code="73.22",
                   latitude="-2.5500", longitude="120.3300")  # Masamba, Luwu Utara
    head = client_for(field_people.kakan_lutra)
    page = head.get(f"/petugas/lapangan/{elsewhere.pk}/").content.decode()
    assert elsewhere.regency_code == "73.22" and 'id="gps-elsewhere"' in page and "Kota Makassar" in page
    assert 'id="gps-elsewhere"' not in head.get(f"/petugas/lapangan/{here.pk}/").content.decode()
