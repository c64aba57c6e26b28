"""A merged office (pemekaran/penggabungan: ``Office.merged_into``) is kept for history; new work
goes where its work is done now. Applications made there waited with nobody, and complaints
about it too; the pickers still offered it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from satupintu.feedback.models import Report
from satupintu.organization.models import Office
from tests.api.test_api import _form as application_form
from tests.feedback.test_reports_public import _form as report_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged() -> Office:
    """Luwu Utara merged into Luwu Timur (a made-up merger), then Luwu Timur into Palopo: a chain."""
    lutim, palopo = Office.objects.get(code="73.24"), Office.objects.get(code="73.73")
    lutim.merged_into = palopo
    lutim.save(update_fields=["merged_into"])
    lutra = Office.objects.get(code="73.22")
    lutra.merged_into = lutim
    lutra.save(update_fields=["merged_into"])
    return lutra


def test_an_application_at_a_merged_office_says_where_to_go(merged):
    response = Client().post("/api/v1/applications", application_form(office="73.22"))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "office_merged" and "Kota Palopo" in body["message"] and "digabung" in body["message"]
    with translation.override("en"):
        english = Client().post("/api/v1/applications", application_form(office="73.22"),
                                HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert "has been merged into" in english


def test_a_complaint_about_a_merged_office_goes_to_the_office_doing_its_work(merged):
    response = Client().post("/api/v1/reports", report_form(office="73.22"))
    assert response.status_code == 201, response.content
    assert Report.objects.get().office.code == "73.73"


def test_the_pickers_no_longer_offer_a_merged_office(merged):
    complaint = Client().get("/pengaduan/").content.decode()
    service = Client().get("/layanan/legalisir-ijazah-madrasah/").content.decode()
    for page in (complaint, service):
        assert 'value="73.22"' not in page and 'value="73.24"' not in page and 'value="73.73"' in page


def test_a_merged_offices_kiosk_takes_no_answers_and_says_where_to_register_one(merged, people):
    from satupintu.core.errors import DomainError
    from satupintu.feedback import kiosks
    from satupintu.feedback.models import KioskDevice, SurveyResponse

    # Registered before the merger: the tablet still has its install link and cookie.
    device = KioskDevice.objects.create(office=merged, name="Tablet loket")
    tablet = Client()
    tablet.cookies[kiosks.COOKIE_NAME] = kiosks.kiosk_token(device)
    shown = tablet.get("/survei/kios/73.22/")
    assert shown.status_code == 410 and "Kota Palopo" in shown.content.decode()
    answers = {f"u{i}": "4" for i in range(1, 10)}
    assert tablet.post("/survei/kios/73.22/", answers).status_code == 410
    assert not SurveyResponse.objects.exists()
    assert Client().get(f"/survei/kios/73.22/pasang/{kiosks.kiosk_token(device)}/").status_code == 410
    with pytest.raises(DomainError) as e:
        kiosks.kiosk_register(merged, "Tablet baru")
    assert e.value.code == "office_merged" and "Kota Palopo" in e.value.message


def test_rakor_neither_invites_nor_assigns_a_merged_office(merged):
    from datetime import timedelta

    from django.utils import timezone

    from satupintu.core.errors import DomainError, ValidationErrors
    from satupintu.rakor import followups, meetings
    from satupintu.rakor.views.common import below

    start = timezone.now() + timedelta(days=1)

    def draft(**extra):  # type: ignore[no-untyped-def]
        return meetings.MeetingDraft(office="73", type="rakor", title="Rakor Sulsel", starts_at=start,
                                     ends_at=start + timedelta(hours=2), **extra)

    with pytest.raises(ValidationErrors) as refused:
        meetings.create_meeting(draft(invited_offices=["73.22"]), user=None)
    assert [e.code for e in refused.value.errors] == ["office_merged"]
    assert "Kota Palopo" in refused.value.errors[0].message
    meeting = meetings.create_meeting(draft(), user=None)
    decision = followups.add_decision(meeting, "Perkuat layanan daring")
    assert "73.22" not in {o.code for o in below(meeting.office)}
    assert "73.22" not in {o.code for o in followups.expected_offices(decision)}
    with pytest.raises(DomainError) as e:
        followups.add_action(decision, office=merged, indicator="Laporan layanan",
                             due_date=followups.office_today(merged) + timedelta(days=7))
    assert e.value.code == "office_merged" and "Kota Palopo" in e.value.message
