"""The owner hears by e-mail when the account's sign-in changes (ASVS 2.2.3): a new password (reset
at /masuk/atur-ulang/, changed at /akun/password/change/), a new authenticator app, a new passkey.
Whoever made the change may not be the owner: a first device enrolled by someone who saw the
password is then noticed."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.notifications.models import OutboxMessage
from tests.security.soft_authenticator import SoftAuthenticator
from tests.security.test_passkeys import ORIGIN, PASSWORD, _register, _sign_in, webauthn  # noqa: F401

SUBJECT = "Perubahan cara masuk akun Satu Pintu Anda"


def notices(address: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(recipient=address, subject=SUBJECT).order_by("pk"))


def test_a_first_authenticator_app_is_told_to_the_owner(people, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_2FA_REQUIRED = True
    c = _sign_in("fo.lutra")
    c.get("/akun/keamanan/?next=/petugas/")
    device = TOTPDevice.objects.get(user=people.fo_lutra, confirmed=False)
    assert not notices(people.fo_lutra.email)
    r = c.post("/akun/keamanan/", {"token": f"{totp(device.bin_key):06d}", "next": "/petugas/"})
    assert r.status_code == 302
    (mail,) = notices(people.fo_lutra.email)
    assert "Aplikasi autentikator ditambahkan" in mail.body and "/masuk/lupa/" in mail.body


def test_a_new_passkey_is_told_to_the_owner(people, webauthn):  # noqa: F811
    c = _sign_in("fo.lutra")
    assert _register(c, SoftAuthenticator(ORIGIN)).status_code == 200
    (mail,) = notices(people.fo_lutra.email)
    assert "Passkey atau kunci keamanan ditambahkan" in mail.body


def test_a_password_reset_by_link_is_told_to_the_owner(people):
    c = Client()
    c.post("/masuk/lupa/", {"email": "warga@test.local"})
    link = re.search(r"(/masuk/atur-ulang/\S+/)", OutboxMessage.objects.get(recipient="warga@test.local").body).group(1)
    form_url = c.get(link)["Location"]
    r = c.post(form_url, {"new_password1": "sandi-baru-yang-kuat", "new_password2": "sandi-baru-yang-kuat"})
    assert r["Location"] == "/masuk/atur-ulang/selesai/"
    (mail,) = notices("warga@test.local")
    assert "Kata sandi akun Satu Pintu Anda diganti" in mail.body


def test_a_citizen_s_password_change_is_told_in_english_when_read_in_english(db, settings):
    user = get_user_model().objects.create_user("andi@contoh.id", "andi@contoh.id", PASSWORD, first_name="Andi")
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    c.force_login(user)
    r = c.post("/akun/password/change/", {"oldpassword": PASSWORD, "password1": "sandi-baru-yang-kuat",
                                          "password2": "sandi-baru-yang-kuat"})
    assert r.status_code == 302, r.content.decode()[:400]
    (mail,) = OutboxMessage.objects.filter(recipient="andi@contoh.id", subject__contains="Satu Pintu account")
    assert "The password of your Satu Pintu account was changed" in mail.body and "Dear Andi" in mail.body


def test_an_account_without_an_address_is_told_nothing(db):
    from satupintu.core.security_notices import PASSWORD as CHANGED
    from satupintu.core.security_notices import notify_sign_in_change

    user = get_user_model().objects.create_user("warga-hp", "", None)
    notify_sign_in_change(user, CHANGED)
    assert not OutboxMessage.objects.exists()
