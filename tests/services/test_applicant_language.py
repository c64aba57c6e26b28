"""The applicant's e-mails are written in the language they applied in (they were Indonesian for
a citizen who applied on the English pages); at the desk, and by default, Indonesian."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.notifications.models import OutboxMessage
from satupintu.services.models import Application
from satupintu.services.workflow import application_transition
from tests.conftest import pdf_bytes, upload
from tests.services.test_apply_form import URL, _form

pytestmark = pytest.mark.django_db


def _files() -> dict:
    return {code: upload(f"{code}.pdf", pdf_bytes(code)) for code in ("ijazah_asli", "fotokopi_ijazah", "ktp")}


def _apply_on_the_web(language: str) -> Application:
    c = Client()
    c.cookies["django_language"] = language
    sent = c.post(URL, {**_form(), **_files()}, HTTP_ACCEPT_LANGUAGE=language)
    assert sent.status_code == 302, sent.content.decode()[:2000]
    return Application.objects.get()


def _receipt(language: str) -> tuple[Application, OutboxMessage]:
    app = _apply_on_the_web(language)
    assert app.language == language
    return app, OutboxMessage.objects.get(recipient="andi@contoh.id")


def test_a_citizen_who_applied_in_english_reads_english_mail(people):
    app, receipt = _receipt("en")
    assert receipt.subject == f"Application {app.tracking_code} received"
    assert receipt.body.startswith("Dear Andi,\n\nWe have received your application for Legalisation of Madrasah Diploma at ")
    assert f"Tracking code: {app.tracking_code}" in receipt.body and "Yth." not in receipt.body
    # The officer works in Indonesian: the applicant's mail stays in the applicant's language.
    application_transition(app, "verify", user=people.fo_lutra)
    verified = OutboxMessage.objects.filter(recipient="andi@contoh.id").latest("id")
    assert verified.subject == f"Application {app.tracking_code} verified"


def test_indonesian_by_default(people):
    app, receipt = _receipt("id")
    assert receipt.subject == f"Permohonan {app.tracking_code} diterima"
    assert receipt.body.startswith("Yth. Andi,\n\nPermohonan layanan Legalisir Ijazah Madrasah di ")


def test_the_api_takes_the_requests_language(client):
    form = {k: v for k, v in _form().items() if k != "submission_key"}
    made = client.post("/api/v1/applications", {"service": "legalisir-ijazah-madrasah", **form, **_files()},
                       HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert made.status_code == 201, made.content
    app = Application.objects.get(tracking_code=made.json()["tracking_code"])
    assert app.language == "en"
    assert OutboxMessage.objects.get(recipient="andi@contoh.id").subject.startswith("Application ")


def test_a_complaint_filed_in_english_is_followed_in_english(client, people):
    from satupintu.feedback import reports
    from satupintu.feedback.models import Report
    from tests.feedback.test_reports_public import _form as report_form

    client.cookies["django_language"] = "en"
    assert client.post("/pengaduan/", report_form(), HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    report = Report.objects.get()
    assert report.language == "en"
    receipt = OutboxMessage.objects.get(recipient="andi@contoh.id")
    assert receipt.subject == f"Report {report.tracking_code} received"
    assert receipt.body.startswith("Your report: Antrean lama\nStatus: ") and "Track the report: " in receipt.body
    reports.report_act(report, "verify", user=people.kakan_lutra)  # an officer working in Indonesian
    assert OutboxMessage.objects.filter(recipient="andi@contoh.id").latest("id").subject == \
        f"Report {report.tracking_code} verified"
