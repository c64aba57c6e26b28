"""The demo's field reports: several regencies, most verified into the room, some waiting, one
rejected; loading twice changes nothing."""

from __future__ import annotations

import pytest

from satupintu.field.demo import load_field_demo
from satupintu.field.models import FieldReport, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_demo_reports_from_several_regencies_once(field_people):
    users = {"kakan.lutra": field_people.kakan_lutra}
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", "admin@test.local", "x")
    first = load_field_demo(users, "sandi-demo")
    assert "Laporan lapangan: 8" in first
    assert load_field_demo(users, "sandi-demo") == " Laporan lapangan: data demo sudah ada."
    reports = FieldReport.objects.all()
    assert reports.count() == 8
    assert set(reports.values_list("regency_code", flat=True)) == {"73.22", "73.71", "73.08", "73.06"}
    statuses = sorted(reports.values_list("status", flat=True))
    assert statuses.count(ReportStatus.VERIFIED) == 5 and statuses.count(ReportStatus.REJECTED) == 1
    assert statuses.count(ReportStatus.SUBMITTED) == 2
    assert all(r.item_id for r in reports.filter(status=ReportStatus.VERIFIED))
    assert reports.get(category="disaster").photos.count() == 1
    assert reports.get(category="deviant").latitude is not None  # placed by GPS alone
    assert get_user_model().objects.get(username="penyuluh.lutra").check_password("sandi-demo")
