"""Status changes as WhatsApp templates for applicants who asked for them: once, through the
outbox, statuses stored, e-mail when WhatsApp fails or consent is gone."""

from __future__ import annotations

import pytest

from satupintu.notifications.models import OutboxMessage, OutboxStatus
from satupintu.notifications.outbox import outbox_flush
from satupintu.services.workflow import application_transition
from satupintu.whatsapp.models import DeliveryStatus, Message, OptIn

pytestmark = pytest.mark.django_db
OWNER = "6281234567890"


def _templates(phone) -> list[list[str]]:
    return [[p["text"] for p in b["template"]["components"][0]["parameters"]]
            for b in phone.replies(OWNER) if b["type"] == "template"]


def test_ticking_whatsapp_records_consent_and_each_change_is_one_template(phone, submit, people):
    with phone.capture(execute=True):
        app = submit(whatsapp_updates=True)
    assert OptIn.objects.get(wa_id=OWNER).source == f"application:{app.tracking_code}"
    with phone.capture(execute=True):
        app = application_transition(app, "request_completion", user=people.fo_lutra, note="Scan KTP buram")
    phone.settle()
    sent = _templates(phone)
    assert sent == [[app.tracking_code, "Legalisir Ijazah Madrasah", "Diajukan"],
                    [app.tracking_code, "Legalisir Ijazah Madrasah", "Perlu Dilengkapi: Scan KTP buram"]]
    assert not OutboxMessage.objects.filter(channel="email").exists()  # WhatsApp instead of e-mail
    statuses = list(Message.objects.filter(application=app).values_list("status", flat=True))
    assert statuses == [DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED]
    outbox_flush()  # nothing is due again: exactly once
    assert len(_templates(phone)) == 2
    # The citizen completes: the application is back to "Diajukan", which alone read as a new submission.
    with phone.capture(execute=True):
        application_transition(app, "citizen_complete", user=None)
    phone.settle()
    assert _templates(phone)[-1][2] == "Kelengkapan berkas diterima; permohonan dilanjutkan (Diajukan)"


def test_rate_limited_then_sent_once(phone, submit):
    phone.sim.fail_next.append((429, 130429))
    with phone.capture(execute=True):
        app = submit(whatsapp_updates=True)
    row = OutboxMessage.objects.get(channel="whatsapp")
    assert row.status == OutboxStatus.PENDING and row.attempts == 1 and "130429" in row.last_error
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)  # the backoff has passed
    with phone.capture(execute=True):
        assert outbox_flush() == 1
    assert len(_templates(phone)) == 1 and Message.objects.get(application=app).wamid


def test_a_refused_template_falls_back_to_email_once(phone, submit):
    phone.sim.fail_next.append((400, 131026))  # message undeliverable: trying again cannot help
    with phone.capture(execute=True):
        app = submit(whatsapp_updates=True)
    message = Message.objects.get(application=app)
    assert message.status == DeliveryStatus.FAILED and message.error_code == "131026"
    assert OutboxMessage.objects.get(channel="whatsapp").status == OutboxStatus.FAILED
    mail = OutboxMessage.objects.get(channel="email")
    assert mail.recipient == "andi@contoh.id" and app.tracking_code in mail.subject


def test_a_failed_status_by_webhook_falls_back_to_email(phone, submit):
    with phone.capture(execute=True):
        app = submit(whatsapp_updates=True)
    message = Message.objects.get(application=app)
    phone.sim.status("109000000000001", message.wamid, OWNER, "failed",
                     errors=[{"code": 131049, "title": "Meta chose not to deliver"}])
    phone.settle()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED and message.error_code == "131049"
    assert OutboxMessage.objects.filter(channel="email", recipient="andi@contoh.id").count() == 1


def test_after_stop_news_goes_by_email(phone, submit, people):
    with phone.capture(execute=True):
        app = submit(whatsapp_updates=True)
    phone.say(OWNER, "BERHENTI")
    with phone.capture(execute=True):
        application_transition(app, "verify", user=people.fo_lutra)
    assert len(_templates(phone)) == 1
    assert OutboxMessage.objects.filter(channel="email", subject__contains="diverifikasi").count() == 1


def test_without_the_tick_nothing_goes_to_whatsapp(phone, submit):
    with phone.capture(execute=True):
        submit()
    assert not Message.objects.exists() and not OptIn.objects.exists()
    assert OutboxMessage.objects.filter(channel="email").count() == 1


def test_the_apply_form_offers_the_tick_and_records_it(phone, client):
    from satupintu.services.models import Application
    from tests.conftest import VALID_NIK, pdf_bytes, upload

    url = "/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22"
    assert 'name="whatsapp_updates"' in client.get(url).content.decode()
    data = {"office": "73.22", "submission_key": "k", "name": "Andi", "nik": VALID_NIK, "phone": "0812-3456-7890",
            "email": "andi@contoh.id", "nama_madrasah": "MAN 1", "jenjang": "MA", "tahun_lulus": "2015",
            "jumlah_lembar": "2", "whatsapp_updates": "on",
            "ijazah_asli": upload("a.pdf", pdf_bytes("a")), "ktp": upload("k.pdf", pdf_bytes("k")),
            "fotokopi_ijazah": upload("f.pdf", pdf_bytes("f"))}
    with phone.capture(execute=True):
        assert client.post(url, data).status_code == 302
    app = Application.objects.get()
    assert app.whatsapp_updates and OptIn.objects.get(wa_id=OWNER).opted_in
    assert _templates(phone)[0][0] == app.tracking_code
