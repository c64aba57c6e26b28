"""Project-wide guarantees: migrations match the models, the CLI's admin command, settings
that fail loudly, and list pages whose query count does not grow with their length."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from satupintu.cli import main as cli_main
from satupintu.core.env import ConfigError, env_bool, env_int


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_createadmin_creates_then_updates():
    assert cli_main(["createadmin", "--username", "root", "--email", "r@x.id", "--password", "pw-1234567-admin"]) == 0
    user = get_user_model().objects.get(username="root")
    assert user.is_superuser and user.check_password("pw-1234567-admin")
    assert cli_main(["createadmin", "--username", "root", "--password", "pw-7654321-admin"]) == 0
    user.refresh_from_db()
    assert user.check_password("pw-7654321-admin")


def test_bad_settings_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigError):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ConfigError):
        env_int("X_NUM", 1)
    env = {**os.environ, "DEBUG": "sometimes"}
    result = subprocess.run([sys.executable, "-m", "satupintu.cli", "manage", "check"], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_secret_files_and_numbers_that_cannot_be_used_are_named(monkeypatch, tmp_path):
    from satupintu.core.env import env_float, env_str

    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ConfigError, match="X_SECRET_FILE=.* cannot be read"):
        env_str("X_SECRET")
    # An empty file (a credential not mounted yet) gave each machine its own generated SECRET_KEY.
    (tmp_path / "empty").write_text("\n")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match="is empty"):
        env_str("X_SECRET", "fallback")
    (tmp_path / "key").write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "key"))
    assert env_str("X_SECRET") == "s3cret"
    for raw in ("fast", "nan", "inf"):
        monkeypatch.setenv("X_SECONDS", raw)
        with pytest.raises(ConfigError, match="X_SECONDS must be"):
            env_float("X_SECONDS", 1.0)
    monkeypatch.setenv("X_SECONDS", "2.5")
    assert env_float("X_SECONDS", 1.0) == 2.5


@pytest.mark.once
@pytest.mark.parametrize(("name", "value", "said"), [
    ("SITUATION_FETCH_HOST_INTERVAL", "fast", "SITUATION_FETCH_HOST_INTERVAL must be a number"),
    ("LOG_LEVEL", "verbose", "LOG_LEVEL must be DEBUG, INFO"),
    ("DATABASE_URL", "postgres//sandi-rahasia@db/satupintu", "DATABASE_URL cannot be read"),
    ("WEB_THREADS", "four", "WEB_THREADS must be an integer"),
])
def test_the_cli_names_a_bad_setting_in_one_line(tmp_path, name, value, said):
    env = {**os.environ, "SATUPINTU_DATA_DIR": str(tmp_path / "data"), name: value}
    # WEB_THREADS is read by the web server only (it broke every command when the parser read it).
    command = ["serve", "--bind", "127.0.0.1:1"] if name == "WEB_THREADS" else ["check"]
    result = subprocess.run([sys.executable, "-m", "satupintu.cli", *command], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if " INFO " not in line]
    assert lines == [f"Konfigurasi salah: {lines[0].split(': ', 1)[1]}"] and said in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "sandi-rahasia" not in result.stderr


@pytest.mark.django_db
def test_early_warning_settings_are_checked_by_satupintu_check(settings):
    from satupintu.situation.apps import warning_settings_check

    assert warning_settings_check(None) == []
    settings.SITUATION_WARNING_THRESHOLDS = "abc"
    (error,) = warning_settings_check(None)
    assert error.id == "satupintu.E001" and "SITUATION_WARNING_THRESHOLDS" in error.msg
    settings.SITUATION_WARNING_THRESHOLDS, settings.SITUATION_WARNING_WEIGHTS = "25,60", [1, 2]
    assert "SITUATION_WARNING_WEIGHTS must be a JSON object" in warning_settings_check(None)[0].msg


def _queue_queries(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/petugas/").status_code == 200
    return len(ctx.captured_queries)


def test_officer_queue_queries_do_not_grow_with_rows(people, submit):
    client = Client()
    client.login(username="kakanwil.sulsel", password="sandi-uji-123")
    for i in range(2):
        submit(nik=f"73220157089000{i + 10}")
    few = _queue_queries(client)
    for i in range(8):
        submit(nik=f"73220157089001{i + 10}", service="pengukuran-arah-kiblat")
    assert _queue_queries(client) == few


def test_catalog_page_queries_do_not_grow_with_services(db):
    client = Client()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/layanan/")
    assert len(ctx.captured_queries) <= 6


@pytest.mark.once
def test_a_web_process_s_first_page_does_not_load_the_news_models(tmp_path):
    """Every page's URL map imports every view: the field-report pages reached the analysis
    (scikit-learn, SciPy, datasketch: about 1.2 s of imports) through the room's store, so each
    new web worker's first request, health probe included, and every `satupintu` command paid
    it. They load where items are analysed."""
    script = ("import sys, django; django.setup();"
              "from django.test import Client;"
              "assert Client().get('/health/live').status_code == 200;"
              "from django.urls import resolve; resolve('/');"
              "print(sorted(m for m in ('sklearn', 'scipy', 'datasketch', 'satupintu.situation.analysis')"
              " if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SATUPINTU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="satupintu.settings")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout
