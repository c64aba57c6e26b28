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
