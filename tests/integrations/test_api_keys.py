"""API keys in the API: Bearer or X-API-Key, scopes, the per-key limit; webhooks managed with them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from satupintu.core.errors import Forbidden, ValidationErrors
from satupintu.integrations import keys
from satupintu.integrations.models import ApiKey, WebhookDelivery, WebhookEndpoint
from satupintu.organization.models import Office
from tests.integrations.conftest import flush

URL = "/api/v1/webhooks"


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_key_is_stored_hashed_and_shown_once(issue_key):
    issued = issue_key("webhooks")
    assert issued.secret.startswith("sp_live_")
    stored = ApiKey.objects.get()
    assert stored.key_hash == keys.hash_key(issued.secret) and issued.secret not in stored.key_hash
    assert issued.secret.startswith(stored.prefix) and len(stored.prefix) == 12


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Bearer sp_live_nope"},
                                     {"HTTP_X_API_KEY": "wrong"}, {"HTTP_AUTHORIZATION": "Basic abc"}])
def test_missing_or_bad_key_is_401(db, headers):
    response = Client().get(URL, **headers)
    assert response.status_code == 401
    body = response.json()
    # About the key, whatever was missing ("sign in first" is the session API's answer, no use to a partner).
    assert body == {"code": "invalid_api_key", "message": "Kunci API tidak ada atau tidak valid."}


def test_revoked_key_is_401(issue_key, people):
    issued = issue_key("webhooks")
    keys.api_key_revoke(issued.key, user=people.kakanwil_sulsel)
    response = Client().get(URL, **_bearer(issued.secret))
    assert response.status_code == 401 and response.json()["code"] == "api_key_revoked"


def test_a_key_ends_after_its_validity_and_then_is_401_and_its_webhooks_get_nothing(issue_key, receiver,
                                                                                    submit):
    from datetime import timedelta

    from django.utils import timezone

    issued = issue_key("webhooks")
    ends = issued.key.expires_at - timezone.now()
    assert timedelta(days=364) < ends <= timedelta(days=365)  # a year unless the office chose less
    c = Client()
    hook = c.post(URL, json.dumps({"url": receiver.url, "events": ["application.submitted"]}),
                  content_type="application/json", **_bearer(issued.secret))
    assert hook.status_code == 201
    ApiKey.objects.filter(pk=issued.key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = c.get(URL, **_bearer(issued.secret))
    assert response.status_code == 401 and response.json()["code"] == "api_key_expired"
    assert "kedaluwarsa" in response.json()["message"]
    submit()
    flush()
    assert receiver.requests == []  # the partner's endpoint ended with its key
    endpoint = WebhookEndpoint.objects.get()
    endpoint.active = False
    endpoint.save()
    from satupintu.core.errors import DomainError
    from satupintu.integrations import webhooks

    with pytest.raises(DomainError) as refused:
        webhooks.endpoint_enable(endpoint)
    assert refused.value.code == "api_key_expired"


def test_validity_is_chosen_from_the_list(people):
    from datetime import timedelta

    from django.utils import timezone

    office, admin = Office.objects.get(code="73"), people.kakanwil_sulsel
    short = keys.api_key_issue(office=office, user=admin, name="Uji coba", scopes=[], valid_days=30)
    assert timedelta(days=29) < short.key.expires_at - timezone.now() <= timedelta(days=30)
    with pytest.raises(ValidationErrors) as caught:
        keys.api_key_issue(office=office, user=admin, name="Selamanya", scopes=[], valid_days=36500)
    assert caught.value.errors[0].code == "invalid_validity" and caught.value.errors[0].field == "valid_days"


def test_wrong_scope_is_403(issue_key):
    issued = issue_key()
    response = Client().get(URL, HTTP_X_API_KEY=issued.secret)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_rate_limit_per_key_is_429(issue_key):
    limited, other = issue_key("webhooks", rate=2), issue_key("webhooks")
    c = Client()
    assert [c.get(URL, **_bearer(limited.secret)).status_code for _ in range(3)] == [200, 200, 429]
    refused = c.get(URL, **_bearer(limited.secret))
    assert refused.json()["code"] == "too_many_requests"
    assert int(refused["Retry-After"]) > 0  # when to come back, where clients and proxies look for it
    assert c.get(URL, **_bearer(other.secret)).status_code == 200  # each key has its own limit


def test_english_error_with_accept_language(db):
    response = Client().get(URL, HTTP_X_API_KEY="sp_live_nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == "The API key is missing or not valid."


def test_webhooks_through_the_api(issue_key, receiver, submit):
    issued = issue_key("webhooks")
    c = Client()
    created = c.post(URL, json.dumps({"url": receiver.url, "events": ["application.submitted"]}),
                     content_type="application/json", **_bearer(issued.secret))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["application.submitted"]
    listed = c.get(URL, **_bearer(issued.secret)).json()
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    submit()
    flush()
    assert receiver.of_type(body["secret"], "application.submitted")
    deliveries = c.get(f"{URL}/{body['id']}/deliveries", **_bearer(issued.secret)).json()
    assert deliveries[0]["status"] == "delivered" and deliveries[0]["status_code"] == 200
    again = c.post(f"{URL}/{body['id']}/deliveries/{deliveries[0]['id']}/redeliver", **_bearer(issued.secret))
    assert again.status_code == 202
    flush()
    assert len(receiver.requests) == 2
    # Another key cannot see or remove it.
    stranger = issue_key("webhooks")
    assert c.delete(f"{URL}/{body['id']}", **_bearer(stranger.secret)).status_code == 404
    assert c.delete(f"{URL}/{body['id']}", **_bearer(issued.secret)).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_one_delivery_is_redelivered_a_bounded_number_of_times(issue_key, receiver, submit):
    """The counter is a small integer: unbounded, one key could push it past 32767 (a 500 on PostgreSQL)."""
    issued = issue_key("webhooks")
    c = Client()
    hook = c.post(URL, json.dumps({"url": receiver.url, "events": ["application.submitted"]}),
                  content_type="application/json", **_bearer(issued.secret)).json()
    submit()
    flush()
    delivery = WebhookDelivery.objects.get()
    redeliver = f"{URL}/{hook['id']}/deliveries/{delivery.pk}/redeliver"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(redeliveries=99)
    assert c.post(redeliver, **_bearer(issued.secret)).status_code == 202  # the last one allowed
    refused = c.post(redeliver, **_bearer(issued.secret))
    assert refused.status_code == 409 and refused.json()["code"] == "too_many_redeliveries"
    assert "100 kali" in refused.json()["message"]
    delivery.refresh_from_db()
    assert delivery.redeliveries == 100
    assert flush() == 1 and len(receiver.requests) == 2  # the first and the one allowed


@pytest.mark.parametrize("url", ["http://127.0.0.1/hook", "https://xn--zz.example/hook"])  # the second was a 500
def test_api_refuses_a_loopback_or_unparsable_url(issue_key, db, url):
    issued = issue_key("webhooks")
    response = Client().post(URL, json.dumps({"url": url, "events": ["report.submitted"]}),
                             content_type="application/json", **_bearer(issued.secret))
    assert response.status_code == 400
    assert response.json()["code"] == "webhook_url_refused" and response.json()["field"] == "url"


def test_personal_data_scope_only_from_a_head_of_office(people, db):
    from tests.integrations.conftest import staff

    admin = staff("admin.sulsel", "73", "admin")
    with pytest.raises(ValidationErrors) as caught:
        keys.api_key_issue(office=Office.objects.get(code="73"), user=admin, name="Mitra",
                           scopes=["webhooks", "personal_data"])
    assert caught.value.code == "personal_data_not_allowed"
    assert keys.api_key_issue(office=Office.objects.get(code="73"), user=admin, name="Mitra", scopes=["webhooks"])


def test_only_pusat_and_kanwil_managers_issue_keys(people):
    with pytest.raises(Forbidden):  # a Kankemenag head
        keys.api_key_issue(office=Office.objects.get(code="73.22"), user=people.kakan_lutra, name="x",
                           scopes=[])
    with pytest.raises(Forbidden):  # another Kanwil's
        keys.api_key_issue(office=Office.objects.get(code="33"), user=people.kakanwil_sulsel, name="x", scopes=[])


def test_the_managers_hear_two_weeks_before_a_key_ends_once(admin_sulsel, people):
    from datetime import timedelta

    from django.utils import timezone

    from satupintu.notifications.models import OutboxMessage

    office = Office.objects.get(code="73")
    ending = keys.api_key_issue(office=office, user=admin_sulsel, name="Mitra Dasbor", scopes=[]).key
    later = keys.api_key_issue(office=office, user=admin_sulsel, name="Mitra Nanti", scopes=[]).key
    revoked = keys.api_key_issue(office=office, user=admin_sulsel, name="Mitra Lama", scopes=[]).key
    now = timezone.now()
    ApiKey.objects.filter(pk__in=[ending.pk, revoked.pk]).update(expires_at=now + timedelta(days=10))
    ApiKey.objects.filter(pk=later.pk).update(expires_at=now + timedelta(days=40))
    keys.api_key_revoke(revoked, user=admin_sulsel)
    queued = keys.warn_ending_keys(now=now)
    mails = list(OutboxMessage.objects.filter(dedupe_key__startswith="api-key-ending:"))
    assert queued == len(mails) and admin_sulsel.email in {m.recipient for m in mails}
    assert people.kakanwil_sulsel.email in {m.recipient for m in mails}  # the head manages keys too
    assert all("Mitra Dasbor" in m.subject and ending.prefix in m.body and "/petugas/integrasi/?office=73" in m.body
               for m in mails)
    assert not any("Mitra Nanti" in m.body or "Mitra Lama" in m.body for m in mails)
    assert keys.warn_ending_keys(now=now + timedelta(days=1)) == 0  # once per key and end date
    assert keys.warn_ending_keys(now=now + timedelta(days=11)) == 0  # ended: nothing more to warn of
