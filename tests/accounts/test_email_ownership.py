"""An e-mail address someone only typed names no account (accounts/emails.py).

The attack: a stranger signs up at /akun/signup/ with a phone of their own and the owner's address.
Before, the owner asking a sign-in code or a password reset for that address got one for the
stranger's account, landed in it and filed there what the stranger could read."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.accounts.models import CitizenPhone
from satupintu.notifications.models import OutboxMessage
from tests.accounts.test_inapas import CITIZEN, come_back, go_to_provider, inapas  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
OWNER = "korban@contoh.id"
PASSWORD = "sandi-uji-12345"


@pytest.fixture
def send(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def _send(client, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data)
    return _send


@pytest.fixture
def stranger(send):  # type: ignore[no-untyped-def]
    """An account made at /akun/signup/ with the stranger's own phone (proved with its code) and the
    owner's address, with a password the stranger set afterwards."""
    from tests.accounts.test_phone_sign_in import last_code

    client = Client()
    send(client, "/akun/signup/", {"phone": "0812 9999 0001", "email": OWNER})
    send(client, "/akun/phone/verify/", {"code": last_code("+6281299990001")})
    account = CitizenPhone.objects.get(phone="+6281299990001", verified=True).user
    assert EmailAddress.objects.get(user=account, email=OWNER).verified is False
    account.set_password("sandi-orang-lain-1")
    account.save()
    OutboxMessage.objects.all().delete()  # the confirmation mail of that sign-up: the owner ignores it
    return account


def mails_to_owner() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(channel="email", recipient=OWNER).order_by("pk"))


def codes_and_links(mails: list[OutboxMessage]) -> list[str]:
    return [m for mail in mails for m in re.findall(r"\b\d{6}\b|https?://\S+", mail.body)]


def test_the_owner_asking_a_code_for_the_address_gets_none_for_the_stranger_s_account(send, stranger):
    owner = Client()
    r = send(owner, "/akun/login/", {"login": OWNER, "password": ""})
    assert r.status_code == 302
    r = send(owner, "/akun/login/code/", {"email": OWNER})
    assert r.status_code == 302
    mails = mails_to_owner()
    assert mails, "allauth writes to an unknown address that it has no account"
    assert not any(re.search(r"\b\d{6}\b", mail.body) for mail in mails), [m.body for m in mails]
    assert "buka tautan konfirmasi" in mails[-1].body  # how to go on if the address was theirs
    assert not owner.get("/akun/").wsgi_request.user.is_authenticated


def test_no_password_reset_link_goes_to_the_owner_for_the_stranger_s_account(send, stranger):
    send(Client(), "/akun/password/reset/", {"email": OWNER})
    send(Client(), "/masuk/lupa/", {"email": OWNER})
    assert not any("/reset/key/" in link or "/atur-ulang/" in link for link in codes_and_links(mails_to_owner()))


def test_the_stranger_still_signs_in_with_their_own_phone(send, stranger):
    from django.core.cache import cache

    from tests.accounts.test_phone_sign_in import last_code

    cache.clear()  # a minute after the sign-up's code (allauth's limits live in the cache)
    client = Client()
    send(client, "/akun/login/", {"login": "0812 9999 0001", "password": ""})
    client.post("/akun/login/code/confirm/", {"code": last_code("+6281299990001")})
    assert client.get("/akun/").wsgi_request.user == stranger


def test_the_owner_signs_up_with_the_address_and_the_stranger_loses_it(send, stranger):
    owner = Client()
    r = send(owner, "/daftar/", {"first_name": "Korban", "email": OWNER, "password1": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 200
    (mail,) = mails_to_owner()
    assert mail.subject == "Aktifkan akun Satu Pintu Anda", mail.subject  # not "already has an account"
    link = re.search(r"https?://[^/\s]+(/daftar/aktifkan/\S+/)", mail.body).group(1)  # type: ignore[union-attr]
    assert owner.get(link).status_code == 302
    mine = owner.get("/akun/").wsgi_request.user
    assert mine.is_authenticated and mine.pk != stranger.pk and mine.email == OWNER
    stranger.refresh_from_db()
    assert stranger.email == "" and not EmailAddress.objects.filter(user=stranger).exists()
    # From now on a code for the address is the owner's, for the owner's account.
    again = Client()
    send(again, "/akun/login/", {"login": OWNER, "password": ""})
    code = re.search(r"\b(\d{6})\b", mails_to_owner()[-1].body).group(1)  # type: ignore[union-attr]
    again.post("/akun/login/code/confirm/", {"code": code})
    assert again.get("/akun/").wsgi_request.user == mine


def test_an_address_confirmed_by_one_account_is_taken_from_the_one_that_only_typed_it(send, stranger):
    from django.core.cache import cache

    from tests.accounts.test_phone_sign_in import last_code

    cache.clear()  # minutes after the stranger's sign-up (one confirmation mail per address per 3 minutes)
    owner = Client()
    send(owner, "/akun/signup/", {"phone": "0812 9999 0002", "email": OWNER})  # allowed: only typed elsewhere
    send(owner, "/akun/phone/verify/", {"code": last_code("+6281299990002")})  # then the address's link goes out
    mine = CitizenPhone.objects.get(phone="+6281299990002").user
    (confirm,) = [link for link in codes_and_links(mails_to_owner()) if "/confirm-email/" in link]
    path = re.sub(r"^https?://[^/]+", "", confirm)
    assert owner.post(path).status_code == 302  # allauth's confirmation page, as the owner clicks it
    assert EmailAddress.objects.get(user=mine, email=OWNER).verified
    assert not EmailAddress.objects.filter(user=stranger).exists()
    stranger.refresh_from_db()
    assert stranger.email == ""


def test_an_address_inapas_vouches_for_is_the_inapas_account_s(client, inapas, send):  # noqa: F811
    typed = get_user_model().objects.create_user("orang.lain", CITIZEN["email"], None)
    EmailAddress.objects.create(user=typed, email=CITIZEN["email"], verified=False, primary=True)
    inapas()
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 302 and r["Location"] == "/akun/", r.content[:800]  # signed up at once, not "taken"
    user = client.get("/akun/").wsgi_request.user
    assert user.pk != typed.pk and EmailAddress.objects.get(email=CITIZEN["email"]).user_id == user.pk
    typed.refresh_from_db()
    assert typed.email == ""


def test_a_number_someone_only_typed_is_not_dropped_from_an_inapas_sign_up(client, inapas):  # noqa: F811
    typed = get_user_model().objects.create_user("orang.lain", "lain@contoh.id", None)
    CitizenPhone.objects.create(user=typed, phone=CITIZEN["phone_number"], verified=False)
    inapas()
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 302 and r["Location"] == "/akun/", r.content[:800]  # no form asking another number
    user = client.get("/akun/").wsgi_request.user
    assert CitizenPhone.objects.get(phone=CITIZEN["phone_number"]).user_id == user.pk
    assert CitizenPhone.objects.get(phone=CITIZEN["phone_number"]).verified
