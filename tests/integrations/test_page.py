"""/petugas/integrasi/: Pusat and Kanwil administrators and heads issue keys and manage webhooks."""

from __future__ import annotations

from django.test import Client

from satupintu.integrations.models import ApiKey, WebhookDelivery, WebhookEndpoint
from tests.integrations.conftest import flush

PAGE = "/petugas/integrasi/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_only_pusat_and_kanwil_managers(people, admin_sulsel):
    assert _client(people.fo_lutra).get(PAGE).status_code == 403
    assert _client(people.kakan_lutra).get(PAGE).status_code == 403  # a Kankemenag head
    assert Client().get(PAGE).status_code == 302
    page = _client(admin_sulsel).get(PAGE)
    assert page.status_code == 200 and "Kunci API" in page.content.decode()


def test_issue_key_shown_once_then_revoke(admin_sulsel):
    c = _client(admin_sulsel)
    response = c.post(PAGE, {"office": "73", "action": "key", "name": "Mitra SIMKAH", "scopes": ["webhooks"],
                             "rate_limit_per_minute": "30"})
    assert response.status_code == 302
    key = ApiKey.objects.get()
    assert (key.name, key.scopes, key.rate_limit_per_minute, key.office.code) == ("Mitra SIMKAH", ["webhooks"], 30, "73")
    first = c.get(response["Location"]).content.decode()
    assert "sp_live_" in first and key.prefix in first
    assert first.count("sp_live_") > c.get(PAGE).content.decode().count("sp_live_")  # the whole key: once
    c.post(PAGE, {"office": "73", "action": "revoke", "item": str(key.pk)})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_page_shows_when_each_key_ends(admin_sulsel):
    from datetime import timedelta

    from django.utils import timezone

    c = _client(admin_sulsel)
    c.post(PAGE, {"office": "73", "action": "key", "name": "Mitra pendek", "valid_days": "90"})
    c.post(PAGE, {"office": "73", "action": "key", "name": "Mitra habis"})
    c.post(PAGE, {"office": "73", "action": "key", "name": "Mitra hampir"})
    short = ApiKey.objects.get(name="Mitra pendek")
    assert timedelta(days=89) < short.expires_at - timezone.now() <= timedelta(days=90)
    ApiKey.objects.filter(name="Mitra habis").update(expires_at=timezone.now() - timedelta(days=1))
    ApiKey.objects.filter(name="Mitra hampir").update(expires_at=timezone.now() + timedelta(days=10, hours=1))
    html = c.get(PAGE).content.decode()
    row = lambda name: html[html.index(name):].split("</tr>")[0]  # noqa: E731
    assert "Kedaluwarsa" in row("Mitra habis") and "Cabut" not in row("Mitra habis")
    assert "Berakhir dalam 10 hari" in row("Mitra hampir")
    assert "Aktif" in row("Mitra pendek") and short.expires_at.strftime("%Y") in row("Mitra pendek")
    refused = c.post(PAGE, {"office": "73", "action": "key", "name": "Mitra abadi", "valid_days": "9999"})
    assert refused.status_code == 400 and 'href="#id_valid_days"' in refused.content.decode()


def test_bad_input_is_400_with_the_summary_and_values_kept(admin_sulsel):
    response = _client(admin_sulsel).post(PAGE, {"office": "73", "action": "webhook", "url": "http://127.0.0.1/x",
                                                 "events": ["report.submitted"], "description": "Dasbor"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_url"' in html and 'value="http://127.0.0.1/x"' in html and 'value="Dasbor"' in html
    assert "(wajib)" in html
    response = _client(admin_sulsel).post(PAGE, {"office": "73", "action": "key", "name": "x",
                                                 "rate_limit_per_minute": "banyak"})
    assert response.status_code == 400 and 'href="#id_rate_limit_per_minute"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists() and not ApiKey.objects.exists()


def test_english(admin_sulsel):
    c = _client(admin_sulsel)
    c.cookies["django_language"] = "en"
    response = c.post(PAGE, {"office": "73", "action": "webhook", "url": "", "events": []})
    assert response.status_code == 400
    assert "Enter the webhook address (URL)." in response.content.decode()


def test_failure_counts_take_their_plural_form(admin_sulsel):
    from satupintu.organization.models import Office

    endpoint = WebhookEndpoint.objects.create(url="https://dasbor.example/hook", secret="whsec_x", events=["*"],
                                              office=Office.objects.get(code="73"), failure_count=1)
    c = _client(admin_sulsel)
    assert "1 gagal berturut-turut" in c.get(PAGE).content.decode()
    c.cookies["django_language"] = "en"
    assert "1 failure in a row" in c.get(PAGE).content.decode()
    endpoint.failure_count = 3
    endpoint.save()
    assert "3 failures in a row" in c.get(PAGE).content.decode()


def test_administrator_cannot_grant_personal_data(admin_sulsel, receiver):
    response = _client(admin_sulsel).post(PAGE, {"office": "73", "action": "webhook", "url": receiver.url,
                                                 "events": ["report.submitted"], "personal_data": "on"})
    assert response.status_code == 400
    assert 'href="#id_personal_data"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_add_webhook_deliver_and_redeliver_from_the_page(people, receiver, submit):
    c = _client(people.kakanwil_sulsel)
    response = c.post(PAGE, {"office": "73", "action": "webhook", "url": receiver.url,
                             "events": ["application.submitted"], "personal_data": "on"})
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.office.code == "73" and endpoint.personal_data
    assert endpoint.secret in c.get(response["Location"]).content.decode()
    submit()  # 73.22 is below Kanwil Sulsel
    flush()
    [payload] = receiver.verified(endpoint.secret)
    assert payload["data"]["applicant"]["name"] == "Andi Rahmawati"
    delivery = WebhookDelivery.objects.get()
    c.post(PAGE, {"office": "73", "action": "redeliver", "item": str(delivery.pk)})
    flush()
    assert len(receiver.requests) == 2
    c.post(PAGE, {"office": "73", "action": "remove", "item": str(endpoint.pk)})
    assert not WebhookEndpoint.objects.exists()


def test_another_kanwil_cannot_touch_it(people, receiver):
    c = _client(people.kakanwil_sulsel)
    c.post(PAGE, {"office": "73", "action": "webhook", "url": receiver.url, "events": ["report.submitted"]})
    endpoint = WebhookEndpoint.objects.get()
    _client(people.kakanwil_jateng).post(PAGE, {"office": "33", "action": "remove", "item": str(endpoint.pk)})
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
