"""What citizens type at sign-in longer than our columns is refused or cut where it is used, never
a 500: Django's e-mail validator takes 320 characters, the address columns (EmailAddress.email, the
outbox's recipient) hold 254, and django-axes keeps the typed login in 255. SQLite stores the
excess, PostgreSQL (production) refused it: the password reset, the sign-in code and adding an
address answered 500, and so did a 300-character login with a password."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
# 256 characters, a valid address for Django (each part within its own limits).
LONG_EMAIL = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + "@contoh.go.id"
TOO_LONG = "Alamat email terlalu panjang (maksimal 254 karakter)."


@pytest.mark.parametrize("path,data", [
    ("/akun/password/reset/", {"email": LONG_EMAIL}),
    ("/akun/login/code/", {"email": LONG_EMAIL}),
    ("/akun/login/", {"login": LONG_EMAIL, "password": ""}),  # a code by e-mail
    ("/akun/login/", {"login": LONG_EMAIL, "password": "salah-sandi-12345"}),
])
def test_an_address_over_254_characters_is_refused_on_the_citizen_sign_in_forms(path, data, settings):
    assert len(LONG_EMAIL) == 256
    r = Client(raise_request_exception=False).post(path, data)
    assert r.status_code == 200 and TOO_LONG in r.content.decode(), (r.status_code, r.get("Location"))
    assert not OutboxMessage.objects.exists()  # no "no account for this address" mail to it either
    english = Client(raise_request_exception=False)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "The e-mail address is too long (at most 254 characters)." in english.post(path, data).content.decode()


def test_an_address_of_254_characters_still_gets_its_reset_mail():
    address = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 58 + "@contoh.go.id"
    assert len(address) == 254
    r = Client().post("/akun/password/reset/", {"email": address})
    assert r.status_code == 302
    assert OutboxMessage.objects.filter(channel="email", recipient=address).exists()


def test_a_signed_in_citizen_adding_an_address_over_254_characters_is_told_why():
    user = get_user_model().objects.create_user("warga", password="sandi-warga-12345")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    r = client.post("/akun/email/", {"action_add": "", "email": LONG_EMAIL})
    assert r.status_code == 200 and TOO_LONG in r.content.decode()
    assert not EmailAddress.objects.filter(user=user).exists()


def test_a_login_longer_than_axes_keeps_is_counted_under_its_first_255_characters():
    """The sign-in box takes any length; django-axes stores what was typed, in 255 characters."""
    for _ in range(2):
        r = Client(raise_request_exception=False).post("/akun/login/", {"login": "x" * 300,
                                                                        "password": "salah-sandi-12345"})
        assert r.status_code == 200  # a wrong sign-in, said on the form
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 255 and attempt.failures_since_start == 2  # one key, still counted
