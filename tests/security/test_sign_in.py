"""Sign-in security (issue #11): throttling, staff second factor, staff session limits,
password rules, password reset by e-mail, sign-up that tells nothing about existing accounts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.notifications.models import OutboxMessage

PASSWORD = "sandi-uji-123"  # the personas' password (tests/conftest.py)
ROOT = Path(__file__).resolve().parents[2]


def _signed_in(c: Client) -> bool:
    return "_auth_user_id" in c.session


def _password_sign_in(c: Client, username: str, password: str = PASSWORD, next_url: str = "/petugas/"):  # type: ignore[no-untyped-def]
    return c.post("/masuk/", {"username": username, "password": password, "next": next_url})


# --- throttling -----------------------------------------------------------------------------------

def test_wrong_passwords_lock_the_sign_in_then_the_right_one_is_refused(people):
    c = Client()
    for _ in range(25):
        assert _password_sign_in(c, "fo.lutra", "salah-tebak").status_code in (200, 429)
    r = _password_sign_in(c, "fo.lutra")
    assert r.status_code == 429 and "Terlalu banyak percobaan" in r.content.decode()
    assert not _signed_in(c)
    # another account from the same address, and the same account from another office, still sign in
    assert _password_sign_in(Client(), "pendma.lutra").status_code == 302
    assert _password_sign_in(Client(REMOTE_ADDR="10.1.2.3"), "fo.lutra").status_code == 302


def test_admin_login_is_throttled_too(people, settings):
    settings.STAFF_2FA_REQUIRED = False
    admin = get_user_model().objects.create_superuser("root", "root@test.local", PASSWORD)
    c = Client()
    for _ in range(25):
        c.post("/admin/login/", {"username": admin.username, "password": "salah-tebak", "next": "/admin/"})
    r = c.post("/admin/login/", {"username": admin.username, "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 429 and not _signed_in(c)


def test_a_few_typos_then_the_right_password_still_signs_in(people):
    c = Client()
    for _ in range(3):
        _password_sign_in(c, "fo.lutra", "salah-ketik")
    assert _password_sign_in(c, "fo.lutra").status_code == 302 and _signed_in(c)


# --- the staff second factor ----------------------------------------------------------------------

def _totp():  # type: ignore[no-untyped-def]
    # Imported here, so that on code without the second factor each test fails on its own assertion.
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return totp, TOTPDevice


def _summary_links_to_the_code_field(page: str) -> None:
    """A wrong code is named in an error summary at the top that links to the code field (as on every
    form), and the field points at its message."""
    summary = re.search(r'<div class="error-summary card" id="error-summary" role="alert".*?</div>', page, re.S)
    assert summary, "no error summary on the page"
    assert re.findall(r'<a href="#([^"]+)">', summary.group(0)) == ["token"]
    assert page.index('id="error-summary"') < page.index('id="token"')
    assert 'aria-describedby="token-err"' in page and 'id="token-err"' in page


def test_staff_must_enrol_totp_then_pass_it(people, settings):
    totp, TOTPDevice = _totp()
    settings.STAFF_2FA_REQUIRED = True
    c = Client()
    r = _password_sign_in(c, "fo.lutra")
    assert r.status_code == 302
    # the password alone opens nothing: first the enrolment page
    r = c.get("/petugas/")
    assert r.status_code == 302 and r["Location"].startswith("/akun/keamanan/")
    api = c.get("/api/v1/meetings")
    assert api.status_code == 401 and api.json()["code"] == "otp_enrolment_required"
    page = c.get("/akun/keamanan/?next=/petugas/")
    html = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in html  # QR drawn here, no CDN
    device = TOTPDevice.objects.get(user=people.fo_lutra, confirmed=False)
    wrong = c.post("/akun/keamanan/", {"token": "000000", "next": "/petugas/"})
    assert wrong.status_code == 400
    _summary_links_to_the_code_field(wrong.content.decode())
    time.sleep(1.1)  # django-otp makes a guesser wait after each wrong code (1 s, 2 s, 4 s, ...)
    r = c.post("/akun/keamanan/", {"token": f"{totp(device.bin_key):06d}", "next": "/petugas/"})
    assert r.status_code == 302 and r["Location"] == "/petugas/"
    assert c.get("/petugas/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # the next sign-in asks for the code; a wrong one is refused, the right one lets in
    other = Client()
    _password_sign_in(other, "fo.lutra")
    r = other.get("/petugas/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/kode/")
    # with only the password, a second device cannot be enrolled
    assert other.get("/akun/keamanan/")["Location"].startswith("/masuk/kode/")
    wrong = other.post("/masuk/kode/", {"token": "123456", "next": "/petugas/"})
    assert wrong.status_code == 400
    _summary_links_to_the_code_field(wrong.content.decode())
    assert other.get("/petugas/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)  # new time step
    before = other.session.session_key
    r = other.post("/masuk/kode/", {"token": f"{totp(device.bin_key):06d}", "next": "/petugas/"})
    assert r["Location"] == "/petugas/" and other.get("/petugas/").status_code == 200
    assert other.session.session_key != before  # a new key once verified (ASVS 3.2.1)


def test_admin_needs_the_second_factor(people, settings):
    settings.STAFF_2FA_REQUIRED = True
    admin = get_user_model().objects.create_superuser("root", "root@test.local", PASSWORD)
    _, TOTPDevice = _totp()
    TOTPDevice.objects.create(user=admin, name="hp", confirmed=True)
    c = Client()
    assert c.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"}).status_code == 302
    r = c.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/kode/")


def test_citizens_have_no_second_factor(people, settings):
    settings.STAFF_2FA_REQUIRED = True
    c = Client()
    assert _password_sign_in(c, "warga", next_url="/akun/")["Location"] == "/akun/"
    assert c.get("/akun/").status_code == 200


def test_demo_setting_signs_staff_in_with_the_password_only(people, settings):
    # What the README's demo accounts and the load test (bench/locustfile.py) do.
    settings.STAFF_2FA_REQUIRED = False
    c = Client()
    c.get("/masuk/?next=/petugas/")
    r = _password_sign_in(c, "fo.lutra")
    assert r.status_code == 302 and r["Location"] == "/petugas/"
    assert c.get("/petugas/").status_code == 200


@pytest.mark.parametrize("database_url, expected", [("", "False"), ("postgres://u@127.0.0.1:5432/x", "True")])
def test_second_factor_is_on_in_production_off_in_the_embedded_demo(tmp_path, database_url, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("STAFF_2FA_REQUIRED", "DATABASE_URL")}
    env.update(DATABASE_URL=database_url, SATUPINTU_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT),
               DJANGO_SETTINGS_MODULE="satupintu.settings")
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.STAFF_2FA_REQUIRED)"],
                         env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == expected


# --- staff session limits -------------------------------------------------------------------------

def test_staff_session_ends_after_30_idle_minutes(people, settings):
    settings.STAFF_2FA_REQUIRED = False
    settings.STAFF_SESSION_MAX_HOURS = 8  # below every session's 12 hours (SESSION_MAX_HOURS)
    c = Client()
    _password_sign_in(c, "fo.lutra")
    assert c.get("/petugas/").status_code == 200
    assert c.session.get_expiry_age() <= 8 * 3600
    session = c.session
    session["staff_seen"] = int(time.time()) - 31 * 60
    session.save()
    r = c.get("/petugas/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")
    assert not _signed_in(c)


def test_staff_session_ends_12_hours_after_sign_in_even_when_busy(people, settings):
    settings.STAFF_2FA_REQUIRED = False
    c = Client()
    _password_sign_in(c, "fo.lutra")
    session = c.session
    session["staff_since"] = int(time.time()) - 12 * 3600 - 60
    session["staff_seen"] = int(time.time())
    session.save()
    assert c.get("/petugas/")["Location"].startswith("/masuk/")
    assert not _signed_in(c)


def test_why_a_staff_session_ended_is_said_in_the_readers_language(people, settings):
    from django.conf import settings as conf

    settings.STAFF_2FA_REQUIRED = False
    for since, seen, said in ((13 * 3600, 0, "The staff session ended after 12 hours."),
                              (60, 31 * 60, "The staff session ended after 30 minutes without activity.")):
        for path in ("/petugas/", "/api/v1/meetings"):
            c = Client()
            _password_sign_in(c, "fo.lutra")
            session = c.session
            session["staff_since"], session["staff_seen"] = int(time.time()) - since, int(time.time()) - seen
            session.save()
            c.cookies[conf.LANGUAGE_COOKIE_NAME] = "en"
            response = c.get(path, follow=path == "/petugas/", headers={"Accept-Language": "en"})
            text = response.content.decode()
            assert said in text and "Sesi petugas" not in text, (path, text[:300])


def test_too_many_password_resets_are_explained_in_the_readers_language(db, settings):
    from django.conf import settings as conf

    settings.ACCOUNT_MAIL_LIMIT_PER_HOUR = 0
    c = Client()
    c.cookies[conf.LANGUAGE_COOKIE_NAME] = "en"
    response = c.post("/masuk/lupa/", {"email": "seseorang@contoh.id"})
    assert response.status_code == 429
    assert "Too many requests from your address." in response.content.decode()


def test_citizen_session_is_not_cut_by_the_staff_limits(people):
    c = Client()
    _password_sign_in(c, "warga", next_url="/akun/")
    session = c.session
    session["staff_seen"] = int(time.time()) - 31 * 60
    session.save()
    assert c.get("/akun/").status_code == 200


# --- password rules -------------------------------------------------------------------------------

def _signup(c: Client, email: str, password: str = "kata-sandi-panjang-9", name: str = "Andi"):  # type: ignore[no-untyped-def]
    return c.post("/daftar/", {"first_name": name, "email": email, "password1": password, "password2": password})


def test_password_like_the_sign_in_name_is_refused(people):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # every form that sets a password runs these validators
        validate_password("fo.lutra", people.fo_lutra)
    r = _signup(Client(), "andi.rahma@contoh.id", password="andi.rahma@contoh.id")
    assert r.status_code == 400 and not get_user_model().objects.filter(email="andi.rahma@contoh.id").exists()
    assert _signup(Client(), "budi@contoh.id", password="12345678901").status_code == 400  # numbers only


@pytest.mark.django_db
def test_createadmin_refuses_password_equal_to_username(capsys):
    from satupintu.cli import main as cli_main

    assert cli_main(["createadmin", "--username", "kepala.kantor", "--password", "kepala.kantor"]) == 2
    assert not get_user_model().objects.filter(username="kepala.kantor").exists()


# --- sign-up and reset tell nothing about existing accounts ---------------------------------------

def _page(response, email: str) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_signup_answers_alike_for_a_staff_address_and_a_new_one(people):
    taken = _signup(Client(REMOTE_ADDR="10.0.0.1"), "fo.lutra@test.local")
    fresh = _signup(Client(REMOTE_ADDR="10.0.0.2"), "orang.baru@contoh.id")
    assert taken.status_code == fresh.status_code == 200
    assert _page(taken, "fo.lutra@test.local") == _page(fresh, "orang.baru@contoh.id")
    # the staff account is untouched; the owner of the mailbox is told instead
    fo = get_user_model().objects.get(username="fo.lutra")
    assert fo.check_password(PASSWORD) and fo.is_active
    assert "sudah memiliki akun" in OutboxMessage.objects.get(recipient="fo.lutra@test.local").body
    # the new address is not an account until its owner opens the link
    new = get_user_model().objects.get(username="orang.baru@contoh.id")
    assert not new.is_active
    assert _password_sign_in(Client(), "orang.baru@contoh.id", "kata-sandi-panjang-9").status_code == 200


def test_unconfirmed_signup_cannot_hold_someone_elses_address(people):
    _signup(Client(REMOTE_ADDR="10.0.0.1"), "siti@contoh.id", password="kata-sandi-penyerobot")
    _signup(Client(REMOTE_ADDR="10.0.0.2"), "siti@contoh.id", password="kata-sandi-siti-asli")
    body = OutboxMessage.objects.filter(recipient="siti@contoh.id").latest("pk").body
    link = re.search(r"(/daftar/aktifkan/\S+/)", body).group(1)
    c = Client()
    assert c.get(link)["Location"] == "/akun/"
    assert get_user_model().objects.get(username="siti@contoh.id").check_password("kata-sandi-siti-asli")
    assert Client().get(link).status_code == 400  # a link works once


def test_signup_is_rate_limited(people, settings):
    settings.ACCOUNT_MAIL_LIMIT_PER_HOUR = 5
    c = Client(REMOTE_ADDR="10.9.9.9")
    for i in range(5):
        assert _signup(c, f"warga{i}@contoh.id").status_code == 200
    r = _signup(c, "warga9@contoh.id")
    assert r.status_code == 429 and "Terlalu banyak" in r.content.decode()
    assert not get_user_model().objects.filter(username="warga9@contoh.id").exists()


def test_password_reset_by_email(people):
    c = Client()
    assert "Lupa kata sandi" in c.get("/masuk/").content.decode()
    known = c.post("/masuk/lupa/", {"email": "warga@test.local"})
    unknown = Client().post("/masuk/lupa/", {"email": "tidak.ada@contoh.id"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/masuk/lupa/terkirim/"
    assert not OutboxMessage.objects.filter(recipient="tidak.ada@contoh.id").exists()
    mail = OutboxMessage.objects.get(recipient="warga@test.local")
    assert "kata sandi" in mail.subject.lower()
    link = re.search(r"(/masuk/atur-ulang/\S+/)", mail.body).group(1)
    form_url = c.get(link)["Location"]  # Django hides the token behind a redirect
    page = c.get(form_url)
    assert page.status_code == 200 and "Buat kata sandi baru" in page.content.decode()
    # the validators apply: a password equal to the username is refused
    refused = c.post(form_url, {"new_password1": "warga", "new_password2": "warga"})
    assert refused.status_code == 200 and "mirip" in refused.content.decode()
    r = c.post(form_url, {"new_password1": "sandi-baru-yang-kuat", "new_password2": "sandi-baru-yang-kuat"})
    assert r["Location"] == "/masuk/atur-ulang/selesai/"
    assert _password_sign_in(Client(), "warga", "sandi-baru-yang-kuat", "/akun/")["Location"] == "/akun/"
    assert Client().get(link).status_code in (200, 302) and "tidak berlaku" in Client().get(form_url).content.decode()


def test_password_reset_is_rate_limited(people, settings):
    settings.ACCOUNT_MAIL_LIMIT_PER_HOUR = 2
    c = Client(REMOTE_ADDR="10.8.8.8")
    for _ in range(2):
        assert c.post("/masuk/lupa/", {"email": "warga@test.local"}).status_code == 302
    assert c.post("/masuk/lupa/", {"email": "warga@test.local"}).status_code == 429
    assert OutboxMessage.objects.filter(recipient="warga@test.local").count() == 2
