"""Webhooks against a real receiver that verifies Standard Webhooks signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.feedback import reports, survey
from satupintu.feedback.models import Channel
from satupintu.integrations import events, webhooks
from satupintu.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from satupintu.notifications.models import OutboxMessage, OutboxStatus
from satupintu.organization.models import Office
from satupintu.services import workflow
from tests.conftest import VALID_NIK, VALID_PHONE
from tests.integrations.conftest import flush

GOOD = {f"u{i}": 4 for i in range(1, 10)}


def _report(**overrides):  # type: ignore[no-untyped-def]
    data = dict(kind="complaint", category="service_quality", office="73.22", title="Layanan lambat",
                text="Legalisir ijazah sudah dua minggu belum selesai.", name="Budi Santoso",
                email="budi@contoh.id", phone="081298765432")
    data.update(overrides)
    return reports.report_submit(reports.ReportSubmission(**data))


def test_application_submitted_reaches_the_receiver_signed(receiver, national_hook, submit):
    app = submit()
    assert flush() == 1
    [payload] = receiver.verified(national_hook.secret)
    assert payload["type"] == "application.submitted"
    assert payload["data"]["tracking_code"] == app.tracking_code
    assert payload["data"]["status"] == "submitted"
    assert payload["data"]["office"] == "73.22"
    assert "timestamp" in payload
    headers = receiver.requests[0][1]
    assert headers["webhook-id"] == WebhookDelivery.objects.get().event_id
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.status_code, delivery.attempts) == (DeliveryStatus.DELIVERED, 200, 1)


def test_a_receiver_answering_a_flood_is_read_only_as_far_as_the_log_needs(receiver, national_hook, submit):
    """The delivery keeps the start of the answer for its log; a receiver that answers 200 MB is not
    read to the end (before, the whole body went into the worker's memory)."""
    receiver.flood = 200 * 1024 * 1024
    submit()
    assert flush() == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.response_snippet == "x" * 500
    receiver.stop()  # its thread ends when the sender has hung up
    assert receiver.bytes_sent < 64 * 1024 * 1024  # what the socket buffers took, not the 200 MB


def test_a_nul_in_the_receiver_s_answer_is_left_out_of_the_log(receiver, national_hook, submit):
    """Any receiver may answer "\\x00"; PostgreSQL refuses it in text: the delivery went unrecorded and
    the receiver, which had taken the message, got it again at each retry, then it was marked failed."""
    receiver.answer = b"diterima\x00 ok"
    submit()
    assert flush() == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.response_snippet == "diterima ok"


def test_no_personal_data_without_the_scope(receiver, national_hook, submit):
    submit()
    flush()
    raw = receiver.requests[0][2].decode()
    for value in (VALID_NIK, VALID_PHONE[1:], "andi@contoh.id", "Andi Rahmawati"):
        assert value not in raw
    assert "applicant" not in receiver.verified(national_hook.secret)[0]["data"]


def test_personal_data_with_the_scope(receiver, issue_key, submit):
    issued = issue_key("webhooks", "personal_data")
    hook = webhooks.endpoint_add_for_key(issued.key, url=receiver.url, events=["application.submitted"])
    submit()
    flush()
    [payload] = receiver.verified(hook.secret)
    assert payload["data"]["applicant"] == {"name": "Andi Rahmawati", "nik": VALID_NIK, "phone": "+6281234567890",
                                            "email": "andi@contoh.id"}


def test_a_report_s_tracking_code_and_text_go_with_the_scope(receiver, issue_key):
    issued = issue_key("webhooks", "personal_data")
    hook = webhooks.endpoint_add_for_key(issued.key, url=receiver.url, events=["report.submitted"])
    report = _report()
    flush()
    [payload] = receiver.verified(hook.secret)
    assert payload["data"]["tracking_code"] == report.tracking_code and payload["data"]["title"] == report.title
    assert payload["data"]["report_ref"].startswith("rep_")


def test_status_change_is_sent(receiver, national_hook, submit, people):
    app = submit()
    workflow.application_transition(app, "verify", user=people.fo_lutra)
    flush()
    [changed] = receiver.of_type(national_hook.secret, "application.status_changed")
    assert changed["data"]["status"] == "verified"
    assert changed["data"]["previous_status"] == "submitted"
    assert changed["data"]["action"] == "verify"


def test_report_events(receiver, national_hook, people):
    report = _report()
    reports.report_act(report, "verify", user=people.kakan_lutra)
    flush()
    [submitted] = receiver.of_type(national_hook.secret, "report.submitted")
    [changed] = receiver.of_type(national_hook.secret, "report.status_changed")
    assert changed["data"]["status"] == "verified"
    raw = b"".join(r[2] for r in receiver.requests).decode()
    assert "Budi Santoso" not in raw and "budi@contoh.id" not in raw and "Legalisir" not in raw
    # Not even the tracking code, which opens the report's page (its title, the answer) to whoever
    # holds it: a reference that ties the events of one report together instead.
    assert report.tracking_code not in raw and "tracking_code" not in submitted["data"]
    other = _report(text="Antrean loket PTSP tidak dipanggil sesuai nomor urut sejak pagi.")
    assert submitted["data"]["report_ref"] == changed["data"]["report_ref"] == events.report_ref(report.tracking_code)
    assert submitted["data"]["report_ref"].startswith("rep_") and events.report_ref(other.tracking_code) != \
        submitted["data"]["report_ref"]


def test_integrity_reports_are_never_sent(receiver, national_hook):
    _report(category="illegal_levy", text="Diminta uang tambahan di loket.")
    assert flush() == 0
    assert receiver.requests == []


def test_survey_event(receiver, national_hook):
    response = survey.survey_submit(office=Office.objects.get(code="73.22"), channel=Channel.PAPER, answers=GOOD,
                                    comment="Ramah, nama saya Siti")
    flush()
    [payload] = receiver.of_type(national_hook.secret, "survey.submitted")
    assert payload["data"]["id"] == response.pk
    assert payload["data"]["answers"]["u1"] == 4
    assert "comment" not in payload["data"]


def test_only_subscribed_events_and_offices(receiver, issue_key, submit, people):
    sulsel = webhooks.endpoint_add_for_key(issue_key("webhooks").key, url=receiver.url,
                                           events=["report.submitted"])
    jateng = webhooks.endpoint_add_for_key(issue_key("webhooks", office="33", by=people.kakanwil_jateng).key, url=receiver.url,
                                           events=["application.submitted", "report.submitted"])
    submit()  # application in 73.22: the Sulsel endpoint does not want it, Jateng's does not cover it
    _report()
    flush()
    assert [p["type"] for p in receiver.verified(sulsel.secret)] == ["report.submitted"]
    assert WebhookDelivery.objects.filter(endpoint=jateng.endpoint).count() == 0


def test_rolled_back_cause_sends_nothing(receiver, national_hook, submit, people):
    app = submit()
    flush()
    with pytest.raises(DomainError):
        workflow.application_transition(app, "complete", user=people.pendma_lutra)  # not allowed from submitted
    flush()
    assert len(receiver.requests) == 1


def test_receiver_down_is_retried_then_delivered(receiver, national_hook, submit):
    receiver.down()
    submit()
    assert flush() == 0
    message = OutboxMessage.objects.get(channel="webhook")
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILING and delivery.error
    assert WebhookEndpoint.objects.get().failure_count == 1
    receiver.up()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())  # the backoff has passed
    assert flush() == 1
    assert receiver.of_type(national_hook.secret, "application.submitted")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert WebhookEndpoint.objects.get().failure_count == 0


def test_redelivery_from_the_log(receiver, national_hook, submit):
    submit()
    flush()
    delivery = WebhookDelivery.objects.get()
    webhooks.redeliver(delivery)
    assert flush() == 1
    first, second = receiver.verified(national_hook.secret)
    assert first == second
    assert receiver.requests[0][1]["webhook-id"] == receiver.requests[1][1]["webhook-id"]
    delivery.refresh_from_db()
    assert (delivery.redeliveries, delivery.attempts, delivery.status) == (1, 2, DeliveryStatus.DELIVERED)


def test_failing_endpoint_is_disabled_after_repeated_failures(receiver, national_hook, submit, settings, caplog):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.status = 500
    office = Office.objects.get(code="73.22")
    for _ in range(3):
        survey.survey_submit(office=office, channel=Channel.PAPER, answers=GOOD)
    flush()
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert "3 failures in a row" in endpoint.disabled_reason
    assert "disabled" in caplog.text
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).count() == 1  # the third gave up
    survey.survey_submit(office=office, channel=Channel.PAPER, answers=GOOD)
    assert flush() == 0
    assert WebhookDelivery.objects.count() == 3  # a disabled endpoint gets no new events
    assert len(receiver.requests) == 3


def test_failing_for_a_day_disables(receiver, national_hook, submit):
    receiver.status = 503
    submit()
    flush()
    WebhookEndpoint.objects.update(failing_since=timezone.now() - timedelta(hours=25))
    OutboxMessage.objects.filter(channel="webhook").update(next_attempt_at=timezone.now())
    flush()
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.active and "24 hours" in endpoint.disabled_reason
    assert OutboxMessage.objects.get(channel="webhook").status == OutboxStatus.FAILED


def test_loopback_url_refused_without_the_allow_setting(db):
    with pytest.raises(ValidationErrors) as caught:
        webhooks.endpoint_add_national(url="http://127.0.0.1:8089/hook", events=["report.submitted"])
    assert caught.value.code == "webhook_url_refused" and caught.value.field == "url"


def test_loopback_refused_at_delivery_when_the_allowance_is_gone(receiver, national_hook, submit, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    submit()
    assert flush() == 0
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    # Plain http outside a network the operator let through is not sent at all (nor retried).
    assert delivery.status == DeliveryStatus.FAILED and delivery.error == "https required"


def test_a_plain_http_webhook_is_not_sent_when_its_name_turns_to_the_internet(db, settings, monkeypatch, submit):
    """The delivery checks that plain http goes to a network let through, then connects: a DNS
    answer that changed in between (rebinding to a public address) gets nothing, signed or not."""
    from tests.core.test_netguard import _connections_tried, _stand_in_dns

    settings.OUTBOUND_ALLOWED_NETWORKS = "127.0.0.1/32"
    from satupintu.integrations.models import EVENT_TYPES

    # Written as the admin form would once saved (the name then pointed at the intranet).
    WebhookEndpoint.objects.create(url="http://hook.contoh.test/terima", events=list(EVENT_TYPES),
                                   secret=webhooks.new_secret())
    submit()
    # The delivery's https-or-our-network check meets the intranet answer, its connection the internet one.
    _stand_in_dns(monkeypatch, {"hook.contoh.test": ["127.0.0.1", "93.184.216.34"]})
    tried = _connections_tried(monkeypatch)
    flush()
    assert tried == []  # nothing left this server
    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code is None and delivery.error == "ConnectError"


def test_a_webhook_must_be_https_outside_the_networks_let_through(db, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    with pytest.raises(ValidationErrors) as caught:
        webhooks.endpoint_add_national(url="http://93.184.215.14/hook", events=["report.submitted"])
    assert caught.value.code == "webhook_https_required" and "https" in caught.value.message
    webhooks.endpoint_add_national(url="https://93.184.215.14/hook", events=["report.submitted"])


def test_a_webhook_never_points_at_this_server_even_in_the_demo(db, settings):
    """The demo lets the bridge client reach this server's own port (its simulator); a webhook's
    answer is read back by the integrator (the delivery log), so the same port is refused to it."""
    settings.BRIDGE_SIMULATOR, settings.SITE_URL, settings.OUTBOUND_ALLOWED_NETWORKS = True, "http://127.0.0.1:8000", ""
    from satupintu.core import netguard

    netguard.check_url("http://127.0.0.1:8000/api/v1/openapi.json")  # the bridge's allowance stands
    for url in ("http://127.0.0.1:8000/api/v1/openapi.json", "https://127.0.0.1:8000/admin/"):
        with pytest.raises(ValidationErrors) as caught:
            webhooks.endpoint_add_national(url=url, events=["report.submitted"])
        assert caught.value.code == "webhook_url_refused", url


def test_unknown_events_refused(receiver):
    with pytest.raises(ValidationErrors) as caught:
        webhooks.endpoint_add_national(url=receiver.url, events=["application.deleted"])
    assert caught.value.code == "invalid_event"
