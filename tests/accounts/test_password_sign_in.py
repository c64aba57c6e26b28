"""Citizens with an e-mail address and a password sign in at /akun/login/ with them; the
password is optional (empty: a code is sent); staff are refused there with a password too."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from satupintu.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
PASSWORD = "sandi-uji-123"


@pytest.fixture
def citizen(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("andi@contoh.id", "andi@contoh.id", PASSWORD, first_name="Andi")


def _user(client):  # type: ignore[no-untyped-def]
    return client.get("/akun/").wsgi_request.user


def test_the_sign_in_page_has_an_optional_password(client, settings):
    page = client.get("/akun/login/").content.decode()
    assert 'type="password"' in page and 'name="password"' in page and "Kosongkan untuk menerima kode masuk" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/akun/login/").content.decode()
    assert "Leave empty to receive a sign-in code" in page


def test_citizen_signs_in_with_email_and_password(client, citizen):
    r = client.post("/akun/login/", {"login": "andi@contoh.id", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/akun/"
    assert _user(client) == citizen


def test_a_wrong_password_is_refused_and_the_address_kept(client, citizen):
    r = client.post("/akun/login/", {"login": "andi@contoh.id", "password": "salah-sandi"})
    assert r.status_code == 200 and 'value="andi@contoh.id"' in r.content.decode()
    assert not _user(client).is_authenticated


def test_without_a_password_a_code_is_sent_and_signs_in_an_account_without_phone(client, citizen):
    r = client.post("/akun/login/", {"login": "andi@contoh.id", "password": ""})
    assert r.status_code == 302 and r["Location"] == "/akun/login/code/confirm/"
    assert not _user(client).is_authenticated
    mail = OutboxMessage.objects.filter(channel="email", recipient="andi@contoh.id").order_by("-pk").first()
    code = re.search(r"\b(\d{6})\b", mail.body).group(1)  # type: ignore[union-attr]
    r = client.post("/akun/login/code/confirm/", {"code": code})
    assert r.status_code == 302 and r["Location"] == "/akun/"
    assert _user(client) == citizen


def test_staff_are_refused_with_their_password(client, people):
    r = client.post("/akun/login/", {"login": "fo.lutra@test.local", "password": PASSWORD}, follow=True)
    assert not r.wsgi_request.user.is_authenticated
    assert r.redirect_chain[-1][0] == "/masuk/" and "Akun petugas masuk lewat" in r.content.decode()


def test_citizens_find_the_password_reset(client, db):
    page = client.get("/akun/login/").content.decode()
    assert 'href="/akun/password/reset/"' in page
    assert client.get("/akun/password/reset/").status_code == 200


@pytest.fixture
def phone_citizen(db):  # type: ignore[no-untyped-def]
    from satupintu.accounts.models import CitizenPhone

    user = get_user_model().objects.create_user("warga-hp-sandi", "", PASSWORD)
    CitizenPhone.objects.create(user=user, phone="+6281234567890", verified=True)
    return user


def test_a_number_typed_the_usual_way_signs_in_with_its_password(client, phone_citizen):
    r = client.post("/akun/login/", {"login": "0812-3456-7890", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/akun/", r.content.decode()[:400]
    assert _user(client) == phone_citizen


def test_wrong_passwords_for_other_numbers_do_not_refuse_this_one(phone_citizen):
    """allauth counted every phone's wrong passwords under one key ("site:"): five mistakes anywhere
    in the country refused every citizen's right password for five minutes."""
    from django.test import Client

    for n in range(6):
        Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
            "/akun/login/", {"login": f"0813 0000 000{n}", "password": "salah-sandi"})
    r = Client(REMOTE_ADDR="203.0.113.9").post("/akun/login/", {"login": "+6281234567890", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/akun/", r.content.decode()[:400]


def test_wrong_passwords_for_other_accounts_from_one_address_do_not_lock_this_one(citizen):
    """Behind a carrier's shared address many citizens sign in: django-axes counts per account and
    address (it saw no username on /akun/login/ and counted per address alone)."""
    from django.test import Client

    for n in range(6):
        Client(REMOTE_ADDR="198.51.100.7").post("/akun/login/", {"login": f"orang{n}@contoh.id", "password": "salah"})
    r = Client(REMOTE_ADDR="198.51.100.7").post("/akun/login/", {"login": "andi@contoh.id", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/akun/", r.status_code
    # one account's own wrong passwords still lock that account at that address
    same = Client(REMOTE_ADDR="198.51.100.8")
    for _ in range(5):
        same.post("/akun/login/", {"login": "andi@contoh.id", "password": "salah"})
    r = same.post("/akun/login/", {"login": "andi@contoh.id", "password": PASSWORD})
    assert r.status_code != 302 and not _user(same).is_authenticated


def test_a_remembered_citizen_session_ends_twelve_hours_after_sign_in(client, citizen):
    """ASVS 3.3.2: Django's default kept a citizen signed in for two weeks."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    r = client.post("/akun/login/", {"login": "andi@contoh.id", "password": PASSWORD, "remember": "on"})
    assert r.status_code == 302 and _user(client) == citizen
    assert client.session.get_expiry_age() == 12 * 3600
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date <= timezone.now() + timedelta(hours=12, minutes=1)


def test_the_password_reset_form_sent_empty_has_a_summary_tied_to_the_field(client, db):
    body = client.post("/masuk/lupa/", {"email": ""}).content.decode()
    assert 'id="error-summary"' in body and 'href="#id_email"' in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="id_email_error"' in body
