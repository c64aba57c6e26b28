"""A report about another regency goes to that regency's Kankemenag, which verifies it and may
respond there. Verified by the reporter's own office, a Luwu Utara penyuluh's "critical" reports
about Jakarta turned Jakarta red while Jakarta's office could neither see them nor respond."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.field import reports
from satupintu.field.models import FieldReport, ReportStatus
from satupintu.organization.models import Office, Role
from satupintu.situation import warning
from satupintu.situation.models import RegionWarning
from tests.conftest import _staff
from tests.field.conftest import API, report_data

pytestmark = pytest.mark.django_db


def _send(user, **overrides) -> FieldReport:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    sent = c.post(API, report_data(**overrides))
    assert sent.status_code == 201, sent.json()
    return FieldReport.objects.get(pk=sent.json()["id"])


def test_the_place_s_kankemenag_verifies_and_responds_the_reporter_s_office_cannot(field_people):
    jaksel = _staff("kakan.jaksel", "31.71", Role.HEAD_OF_OFFICE)
    report = _send(field_people.penyuluh_lutra, regency_code="31.71", urgency="critical", category="tension",
                   description="Bentrokan massa di Jakarta Selatan, warga saling lempar batu.")
    assert report.office.code == "31.71"
    for outsider in (field_people.kakan_lutra, field_people.admin_lutra):
        with pytest.raises(DomainError) as refused:
            reports.verify(outsider, report)
        assert refused.value.code == "not_your_office"
    page = Client()
    page.force_login(jaksel)
    assert page.get(f"/petugas/lapangan/{report.pk}/").status_code == 200
    assert page.get(f"/situasi/tanggapan/baru/?laporan={report.pk}").status_code == 200
    reports.verify(jaksel, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED
    warning.compute()
    assert RegionWarning.objects.get(code="31.71").index > 0
    # The reporter still sees their own report, and where it went, on the field app.
    own = Client()
    own.force_login(field_people.penyuluh_lutra)
    mine = own.get("/lapangan/").content.decode()
    assert f"diverifikasi oleh {report.office.name}</span>" in mine and report.get_status_display() in mine


def test_a_report_verified_by_an_office_not_of_the_place_does_not_move_its_index(field_people):
    # Reports routed before this rule (or by hand) keep their office; the index ignores them.
    report = _send(field_people.penyuluh_lutra, regency_code="31.71", urgency="critical", category="tension")
    FieldReport.objects.filter(pk=report.pk).update(office=Office.objects.get(code="73.22"))
    report.refresh_from_db()
    reports.verify(field_people.kakan_lutra, report)
    warning.compute()
    jakarta = RegionWarning.objects.filter(code="31.71").first()
    assert jakarta is None or jakarta.index == 0


def test_a_report_about_a_merged_office_s_regency_goes_to_the_office_it_was_merged_into(field_people):
    """The merged office no longer verifies (its head may be gone); the one it joined answers
    for its regency now, so the report is seen, verified and counted."""
    lutra, makassar = Office.objects.get(code="73.22"), Office.objects.get(code="73.71")
    lutra.merged_into = makassar
    lutra.save()
    report = _send(field_people.penyuluh_makassar, regency_code="73.22")
    assert report.office == makassar and report.regency_code == "73.22"
    reports.verify(field_people.kakan_makassar, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED
