"""`satupintu check` looks at secrets: the generated key is fine for one machine, not for a deployment."""

import os
import subprocess
import sys

import pytest

from satupintu.core.secrets_check import secrets_check

STRONG = "k3Y-" + "".join(chr(33 + (i * 7) % 90) for i in range(60))


def test_generated_key_is_enough_for_one_machine_but_not_for_a_deployment(settings, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    settings.SECRET_KEY = STRONG
    assert secrets_check(deploy=False)[0]
    ok, detail = secrets_check(deploy=True)
    assert not ok and "SECRET_KEY atau SECRET_KEY_FILE wajib" in detail


def test_operator_key_passes_and_weak_or_placeholder_secrets_fail(settings, monkeypatch):
    settings.WHATSAPP_SIMULATOR = settings.BRIDGE_SIMULATOR = settings.SIGN_IN_DEMO_CODES = False
    settings.SESSION_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    monkeypatch.setenv("SECRET_KEY", STRONG)
    settings.SECRET_KEY = STRONG
    assert secrets_check(deploy=True) == (True, "diatur oleh operator")
    settings.SECURE_HSTS_SECONDS = 3600  # an hour: a first plain-HTTP visit a day later is open again
    assert "SECURE_HSTS_SECONDS minimal 15552000" in secrets_check(deploy=True)[1]
    settings.SECURE_HSTS_SECONDS = 31_536_000

    settings.SECRET_KEY = "short"
    ok, detail = secrets_check(deploy=True)
    assert not ok and "terlalu pendek" in detail

    settings.SECRET_KEY = "django-insecure-" + STRONG
    assert "contoh" in secrets_check(deploy=True)[1]

    settings.SECRET_KEY = STRONG
    monkeypatch.setenv("DATABASE_URL", "postgres://satupintu:CHANGE-ME@db:5432/satupintu")
    assert "DATABASE_URL" in secrets_check(deploy=True)[1]
    monkeypatch.delenv("DATABASE_URL")

    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "mailer", ""
    assert "EMAIL_HOST_PASSWORD kosong" in secrets_check(deploy=True)[1]


def test_the_whatsapp_simulator_and_an_unsigned_webhook_are_not_for_production(settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", STRONG)
    settings.SECRET_KEY, settings.WHATSAPP_SIMULATOR = STRONG, True
    assert secrets_check(deploy=False)[0]  # the demo
    assert "WHATSAPP_SIMULATOR harus mati" in secrets_check(deploy=True)[1]
    settings.WHATSAPP_SIMULATOR = False
    settings.BRIDGE_SIMULATOR = True
    assert "BRIDGE_SIMULATOR harus mati" in secrets_check(deploy=True)[1]
    settings.BRIDGE_SIMULATOR = False
    settings.SIGN_IN_DEMO_CODES = True  # a one-machine install on SQLite without an SMS gateway
    assert "SIGN_IN_DEMO_CODES harus mati" in secrets_check(deploy=True)[1]
    settings.SIGN_IN_DEMO_CODES = False
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_APP_SECRET = "EAAG-token", ""
    assert "WHATSAPP_APP_SECRET kosong" in secrets_check(deploy=True)[1]


def test_debug_insecure_cookies_and_any_host_are_not_for_production(settings, monkeypatch):
    # Django's own deploy checks only warn about these, and `check --deploy` said "siap".
    monkeypatch.setenv("SECRET_KEY", STRONG)
    settings.SECRET_KEY = STRONG
    settings.WHATSAPP_SIMULATOR = settings.BRIDGE_SIMULATOR = settings.SIGN_IN_DEMO_CODES = False
    settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.ALLOWED_HOSTS = True, False, ["*"]
    settings.SECURE_HSTS_SECONDS = 0
    assert secrets_check(deploy=False)[0]  # the demo and tests
    detail = secrets_check(deploy=True)[1]
    assert "DEBUG harus mati" in detail and "SECURE_COOKIES harus hidup" in detail
    assert "ALLOWED_HOSTS tidak boleh '*'" in detail and "SECURE_HSTS_SECONDS minimal" in detail
    settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.ALLOWED_HOSTS = False, True, ["layanan.kemenag.go.id"]
    settings.SECURE_HSTS_SECONDS = 31_536_000
    assert secrets_check(deploy=True) == (True, "diatur oleh operator")


def test_inapas_over_plain_http_is_not_for_production(settings, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", STRONG)
    settings.SECRET_KEY, settings.OIDC_ISSUER = STRONG, "http://inapas.example/realms/warga"
    assert secrets_check(deploy=False)[0]  # a local provider in a test or the demo
    assert "OIDC_ISSUER harus https" in secrets_check(deploy=True)[1]
    settings.OIDC_ISSUER = "https://inapas.example/realms/warga"
    assert "OIDC_ISSUER" not in secrets_check(deploy=True)[1]


@pytest.mark.once
def test_check_deploy_fails_on_a_generated_key(tmp_path, migrated_sqlite):
    from tests.conftest import embedded_data_dir

    env = {**os.environ, "SATUPINTU_DATA_DIR": str(embedded_data_dir(tmp_path / "fresh", migrated_sqlite))}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "SECRET_KEY_FILE"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "satupintu.cli", "check", "--deploy"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "GAGAL secrets" in result.stdout and "SECRET_KEY_FILE wajib" in result.stdout
