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


def _english_tracking(app: Application) -> str:  # type: ignore[no-untyped-def]
    c = Client()
    c.cookies["django_language"] = "en"
    session = c.session
    session["unlocked_applications"] = [app.tracking_code]
    session.save()
    return c.get(f"/lacak/{app.tracking_code}/").content.decode()


def test_the_systems_own_steps_read_in_english_on_the_tracking_page(submit, people):
    from satupintu.services.applications import application_complete_documents, application_upload_product

    # Documents completed by the citizen.
    app = submit()
    app = application_transition(app, "request_completion", user=people.fo_lutra, note="Kirim ulang KTP yang jelas")
    application_complete_documents(app, files={"ktp": upload("ktp.pdf", pdf_bytes())})
    page = _english_tracking(app)
    assert "Documents completed: " in page and "Berkas dilengkapi" not in page

    # The product downloaded by the citizen, and another handed over at the desk.
    for by_desk in (False, True):
        app = submit(nik="7322015708900002" if by_desk else "7322015708900003")
        app = application_transition(app, "verify", user=people.fo_lutra)
        app = application_transition(app, "process", user=people.pendma_lutra)
        product = application_upload_product(app, user=people.pendma_lutra, upload=upload("surat.pdf", pdf_bytes()))
        app = application_transition(app, "complete", user=people.pendma_lutra)
        if by_desk:
            desk = Client()
            desk.force_login(people.fo_lutra)
            assert desk.post(f"/petugas/permohonan/{app.tracking_code}/aksi/",
                             {"action": "handover", "note": ""}).status_code in (200, 302)
        else:
            citizen = Client()
            session = citizen.session
            session["unlocked_applications"] = [app.tracking_code]
            session.save()
            assert citizen.get(f"/lacak/{app.tracking_code}/produk/{product.pk}/").status_code == 200
        page = _english_tracking(app)
        if by_desk:
            assert "Handed over at the desk." in page and "Diserahkan di loket" not in page
        else:
            assert "The applicant downloaded the product from the tracking page." in page
            assert "Produk diunduh" not in page
