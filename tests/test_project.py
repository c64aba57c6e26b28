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
