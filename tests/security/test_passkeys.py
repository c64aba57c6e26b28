"""Passkeys and security keys (WebAuthn, django-otp-webauthn) as the staff second factor beside
the TOTP app (issue #11, sign-in): the relying party from SITE_URL, the enrolment and code pages,
the rule that a second device needs a verified session, and the ceremonies themselves with a
software authenticator (tests/security/soft_authenticator.py). The same in real Chromium with
its virtual authenticator: tests/e2e/test_passkey_sign_in.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from satupintu.core.env import ConfigError, webauthn_relying_party
from tests.security.soft_authenticator import SoftAuthenticator

PASSWORD = "sandi-uji-123"
ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://localhost:8000"
KEYS = "/akun/keamanan/kunci/"


@pytest.fixture
def webauthn(settings):  # type: ignore[no-untyped-def]
    settings.STAFF_2FA_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]
    return settings


def _sign_in(username: str, next_url: str = "/petugas/") -> Client:
    c = Client()
    r = c.post("/masuk/", {"username": username, "password": PASSWORD, "next": next_url})
    assert r.status_code == 302
    return c


def _json_post(c: Client, url: str, data: object | None = None):  # type: ignore[no-untyped-def]
    return c.post(url, json.dumps(data or {}), content_type="application/json")


def _register(c: Client, key: SoftAuthenticator):  # type: ignore[no-untyped-def]
    begin = _json_post(c, KEYS + "daftar/mulai/")
    if begin.status_code != 200:
        return begin
    return _json_post(c, KEYS + "daftar/selesai/", key.create(begin.json()))


def _authenticate(c: Client, key: SoftAuthenticator, next_url: str = "/petugas/"):  # type: ignore[no-untyped-def]
    begin = _json_post(c, KEYS + "masuk/mulai/")
    assert begin.status_code == 200, begin.content
    return _json_post(c, f"{KEYS}masuk/selesai/?next={next_url}", key.get(begin.json()))


def _confirmed_totp(user):  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="hp", confirmed=True)


def _pass_totp(c: Client, device) -> None:  # type: ignore[no-untyped-def]
    from django_otp.oath import totp

    r = c.post("/masuk/kode/", {"token": f"{totp(device.bin_key):06d}", "next": "/petugas/"})
    assert r.status_code == 302 and r["Location"] == "/petugas/"


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html)


# --- the relying party follows SITE_URL -----------------------------------------------------------

@pytest.mark.parametrize("site_url, rp_id, origins", [
    ("https://layanan.kemenag.go.id", "layanan.kemenag.go.id", ["https://layanan.kemenag.go.id"]),
    ("https://Layanan.Kemenag.go.id:443", "layanan.kemenag.go.id", ["https://layanan.kemenag.go.id"]),
    ("https://layanan.kemenag.go.id:8443", "layanan.kemenag.go.id", ["https://layanan.kemenag.go.id:8443"]),
    # browsers refuse WebAuthn on plain HTTP and for IP addresses, but treat localhost as secure
    ("http://127.0.0.1:8000", "localhost", ["http://localhost:8000"]),
    ("http://localhost:8000", "localhost", ["http://localhost:8000"]),
    ("http://[::1]:8001", "localhost", ["http://localhost:8001"]),
    ("http://10.1.2.3", "localhost", ["http://localhost"]),
    ("https://10.1.2.3", "localhost", ["http://localhost"]),
])
def test_relying_party_follows_site_url(site_url, rp_id, origins):
    assert webauthn_relying_party(site_url) == (rp_id, origins)


def test_relying_party_may_be_a_parent_domain_and_origins_must_sit_under_it():
    assert webauthn_relying_party("https://layanan.kemenag.go.id", "kemenag.go.id") == (
        "kemenag.go.id", ["https://layanan.kemenag.go.id"])
    assert webauthn_relying_party("https://layanan.kemenag.go.id", "kemenag.go.id",
                                  ["https://layanan.kemenag.go.id", "https://ptsp.kemenag.go.id"])[1] == [
        "https://layanan.kemenag.go.id", "https://ptsp.kemenag.go.id"]
    with pytest.raises(ConfigError):
        webauthn_relying_party("https://layanan.kemenag.go.id", "kemenag.go.id", ["https://kemenag.go.id.evil.example"])
    with pytest.raises(ConfigError):
        webauthn_relying_party("https://layanan.kemenag.go.id", "ptsp.kemenag.go.id")


@pytest.mark.parametrize("env, expected", [
    ({}, ["localhost", ["http://localhost:8000"], "Satu Pintu Kemenag", False]),
    ({"SITE_URL": "https://layanan.kemenag.go.id/"},
     ["layanan.kemenag.go.id", ["https://layanan.kemenag.go.id"], "Satu Pintu Kemenag", False]),
    ({"SITE_URL": "https://layanan.kemenag.go.id", "WEBAUTHN_RP_ID": "kemenag.go.id",
      "WEBAUTHN_ALLOWED_ORIGINS": "https://layanan.kemenag.go.id,https://ptsp.kemenag.go.id",
      "WEBAUTHN_RP_NAME": "PTSP Kemenag"},
     ["kemenag.go.id", ["https://layanan.kemenag.go.id", "https://ptsp.kemenag.go.id"], "PTSP Kemenag", False]),
])
@pytest.mark.once
def test_settings_come_from_the_environment_and_pass_the_packages_checks(tmp_path, env, expected):
    names = ("SITE_URL", "BIND", "WEBAUTHN_RP_ID", "WEBAUTHN_ALLOWED_ORIGINS", "WEBAUTHN_RP_NAME", "DATABASE_URL")
    environ = {k: v for k, v in os.environ.items() if k not in names}
    environ.update(env, SATUPINTU_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="satupintu.settings")
    code = ("import django, json; django.setup(); from django.conf import settings as s;"
            "from django.core.management import call_command; call_command('check', '--fail-level', 'ERROR');"
            "print(json.dumps([s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS, s.OTP_WEBAUTHN_RP_NAME,"
            " s.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN]))")
    out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


# --- the enrolment and code pages -----------------------------------------------------------------

def test_enrol_page_offers_a_passkey_beside_the_app_with_no_inline_script(people, webauthn):
    c = _sign_in("fo.lutra")
    page = c.get("/akun/keamanan/?next=/petugas/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="passkey-register-button"' in html and "Daftarkan kunci keamanan" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the TOTP app stays on offer
    assert 'data-passkey-done="/petugas/"' in html
    # the package's script and ours are static files; its configuration is data, not code
    scripts = _scripts(html)
    assert any('src="/static/django_otp_webauthn/otp_webauthn_register.js"' in s for s in scripts)
    assert any('src="/static/satupintu/passkeys.js"' in s for s in scripts)
    assert all(" src=" in s or 'type="application/json"' in s for s in scripts), scripts
    config = json.loads(re.search(r'<script id="otp_webauthn_config" type="application/json">(.*?)</script>',
                                  html, re.S).group(1))
    assert config["beginRegistrationUrl"] == KEYS + "daftar/mulai/"
    assert c.get(config["completeRegistrationUrl"]).status_code == 405  # there, and POST only
    # the script's labels in Indonesian from our catalogue
    catalog = c.get(KEYS + "jsi18n/")
    assert catalog.status_code == 200 and "Mendaftarkan..." in catalog.content.decode()


def test_enrol_page_in_english(people, webauthn):
    c = _sign_in("fo.lutra")
    c.cookies["django_language"] = "en"
    html = c.get("/akun/keamanan/").content.decode()
    assert "Register a security key" in html and "Security key or passkey" in html


def test_verify_page_offers_what_the_staff_member_has(people, webauthn):
    from django_otp_webauthn.models import WebAuthnCredential

    fo = people.fo_lutra
    device = _confirmed_totp(fo)
    html = _sign_in("fo.lutra").get("/masuk/kode/?next=/petugas/").content.decode()
    assert 'name="token"' in html and "passkey-verification-button" not in html
    assert not any("otp_webauthn" in s for s in _scripts(html))

    key = SoftAuthenticator(ORIGIN)
    c = _sign_in("fo.lutra")
    _pass_totp(c, device)
    assert _register(c, key).status_code == 200
    assert WebAuthnCredential.objects.filter(user=fo).count() == 1
    html = _sign_in("fo.lutra").get("/masuk/kode/?next=/petugas/").content.decode()
    assert 'id="passkey-verification-button"' in html and 'name="token"' in html  # both, either will do
    assert any('src="/static/django_otp_webauthn/otp_webauthn_auth.js"' in s for s in _scripts(html))
    assert all(" src=" in s or 'type="application/json"' in s for s in _scripts(html))

    device.delete()  # a passkey alone: no code box
    html = _sign_in("fo.lutra").get("/masuk/kode/?next=/petugas/").content.decode()
    assert 'id="passkey-verification-button"' in html and 'name="token"' not in html
    assert '<input type="hidden" name="next" value="/petugas/">' in html  # where the script goes on to


# --- the ceremonies -------------------------------------------------------------------------------

def test_a_passkey_alone_satisfies_the_second_factor(people, webauthn):
    key = SoftAuthenticator(ORIGIN)
    c = _sign_in("fo.lutra")
    assert c.get("/petugas/")["Location"].startswith("/akun/keamanan/")
    before = c.session.session_key
    r = _register(c, key)
    assert r.status_code == 200, r.content
    assert c.get("/petugas/").status_code == 200  # registering the first device verifies the session
    assert c.session.session_key != before  # ... under a new key
    page = c.get("/akun/keamanan/").content.decode()
    assert "Kunci keamanan atau passkey, didaftarkan" in page

    # the next sign-in: the password, then the passkey
    other = _sign_in("fo.lutra")
    r = other.get("/petugas/")
    assert r.status_code == 302 and r["Location"].startswith("/masuk/kode/")
    api = other.get("/api/v1/meetings")
    assert api.status_code == 401 and api.json()["code"] == "otp_required"
    before = other.session.session_key
    r = _authenticate(other, key)
    assert r.status_code == 200 and r.json()["redirect_url"] == "/petugas/"
    assert other.get("/petugas/").status_code == 200
    assert other.session.session_key != before  # a new key once verified (ASVS 3.2.1)


def test_a_second_device_needs_a_verified_session(people, webauthn):
    device = _confirmed_totp(people.fo_lutra)
    c = _sign_in("fo.lutra")
    # with only the password: no new key, and the page sends to the code first
    r = _register(c, SoftAuthenticator(ORIGIN))
    assert r.status_code == 403 and r.json()["code"] == "user_not_verified"
    assert "Verifikasi dulu" in r.json()["detail"]
    assert c.get("/akun/keamanan/")["Location"].startswith("/masuk/kode/")
    assert c.get("/petugas/")["Location"].startswith("/masuk/kode/")
    # after the code: a key may be added, besides the app
    _pass_totp(c, device)
    key = SoftAuthenticator(ORIGIN)
    assert _register(c, key).status_code == 200

    # a passkey as the existing device holds the line the same way
    thief = _sign_in("fo.lutra")
    r = _register(thief, SoftAuthenticator(ORIGIN))
    assert r.status_code == 403 and r.json()["code"] == "user_not_verified"
    assert _authenticate(thief, key).status_code == 200
    assert _register(thief, SoftAuthenticator(ORIGIN)).status_code == 200


def test_a_key_is_never_a_way_in_without_the_password(people, webauthn):
    key = SoftAuthenticator(ORIGIN)
    assert _register(_sign_in("fo.lutra"), key).status_code == 200
    anonymous = Client()
    r = _json_post(anonymous, KEYS + "masuk/mulai/")
    assert r.status_code == 403 and r.json()["code"] == "passwordless_login_disabled"
    # nor someone else's way in: another staff member's session refuses fo.lutra's key
    other = _sign_in("pendma.lutra")
    begin = _json_post(other, KEYS + "masuk/mulai/").json()
    r = _json_post(other, KEYS + "masuk/selesai/", key.get(begin))
    assert r.status_code == 403 and r.json()["code"] == "credential_user_mismatch"
    assert other.get("/petugas/").status_code == 302


def test_a_replayed_or_foreign_answer_is_refused(people, webauthn):
    key = SoftAuthenticator(ORIGIN)
    assert _register(_sign_in("fo.lutra"), key).status_code == 200
    c = _sign_in("fo.lutra")
    begin = _json_post(c, KEYS + "masuk/mulai/").json()
    answer = key.get(begin)
    assert _json_post(c, KEYS + "masuk/selesai/", answer).status_code == 200
    assert _json_post(c, KEYS + "masuk/selesai/", answer).status_code == 400  # the challenge is used up
    phishing = _sign_in("fo.lutra")
    begin = _json_post(phishing, KEYS + "masuk/mulai/").json()
    r = _json_post(phishing, KEYS + "masuk/selesai/", SoftAuthenticator("https://satupintu.evil.example").get(begin))
    assert r.status_code in (404, 422) and phishing.get("/petugas/").status_code == 302
    key.origin = "https://satupintu.evil.example"  # the right key, asked by another site
    begin = _json_post(phishing, KEYS + "masuk/mulai/").json()
    assert _json_post(phishing, KEYS + "masuk/selesai/", key.get(begin)).status_code == 422
    assert phishing.get("/petugas/").status_code == 302


def test_citizens_register_no_keys(people, webauthn):
    c = _sign_in("warga", next_url="/akun/")
    r = _register(c, SoftAuthenticator(ORIGIN))
    assert r.status_code == 403 and r.json()["code"] == "staff_only"
    assert c.get("/akun/keamanan/")["Location"] == "/akun/"
