"""An officer's full name on a report's timeline fits its column: first and last name hold 150
characters each, ReportEvent.actor_label 150, and PostgreSQL refused the step (a 500)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from satupintu.feedback import reports
from satupintu.feedback.models import ReportEvent, ReportStatus
from satupintu.organization.models import Office, Role, StaffRole

pytestmark = pytest.mark.django_db


def test_an_officer_with_a_long_full_name_acts_and_is_named_within_the_column():
    officer = get_user_model().objects.create_user("pengaduan.panjang", first_name="Andi " + "A" * 140,
                                                   last_name="B" * 150)
    StaffRole.objects.create(user=officer, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Layanan lambat sekali",
        text="Pengurusan legalisir ijazah sudah dua minggu belum selesai.", name="Budi Santoso"))
    report = reports.report_act(report, "verify", user=officer)
    assert report.status == ReportStatus.VERIFIED
    label = report.events.get(action="verify").actor_label
    assert len(label) <= ReportEvent._meta.get_field("actor_label").max_length
    assert label == "Andi " + "A" * 140 + "…"  # cut between the names, said to be cut
