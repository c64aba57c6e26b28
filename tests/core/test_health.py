"""Health endpoints and `satupintu check`: every dependency named, a broken one turns ready red."""

import os
import subprocess
import sys

import pytest

from satupintu.core import health

pytestmark = pytest.mark.django_db


def test_live_and_ready(client):
    assert client.get("/health/live").json() == {"status": "ok"}
    ready = client.get("/health/ready")
    body = ready.json()
    assert ready.status_code == 200 and body["status"] == "ok", body
    assert set(body["checks"]) == {"database", "migrations", "broker", "storage"}
    assert ready["Cache-Control"].startswith("max-age=0")


def test_without_the_broker_ready_says_degraded_but_keeps_taking_traffic(client, settings):
    """Citizens still apply and track while Redis is away (the outbox waits): a load balancer
    that pulled every node on a Redis outage would take the whole service down with it."""
    from satupintu.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/health/ready")
    finally:
        app.conf.broker_url = saved
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["broker"]["ok"] is False and body["checks"]["database"]["ok"] is True
    # The type of the failure, not its text: that names the host and port (or a database user).
    assert "127.0.0.1" not in response.content.decode() and ":1" not in body["checks"]["broker"]["detail"]
    assert body["checks"]["broker"]["detail"]


def test_probes_close_together_write_to_storage_once(client, settings, monkeypatch, tmp_path):
    """Load balancers probe every few seconds: each probe wrote, read and deleted a file (three paid
    requests on S3). A storage that worked is believed for HEALTH_STORAGE_CHECK_SECONDS."""
    from django.core.files.storage import FileSystemStorage

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "probe")}}}
    writes = []
    real_save = FileSystemStorage.save

    def counted(self, name, content, max_length=None):  # type: ignore[no-untyped-def]
        writes.append(name)
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", counted)  # Django's storage, watched
    assert [client.get("/health/ready").status_code for _ in range(3)] == [200, 200, 200]
    assert len(writes) == 1
    settings.HEALTH_STORAGE_CHECK_SECONDS = 0
    client.get("/health/ready")
    assert len(writes) == 2


def test_ready_is_503_when_what_requests_need_fails():
    def fine() -> tuple[bool, str]:
        return True, "ok"

    def broken() -> tuple[bool, str]:
        return False, "OperationalError"

    assert health.verdict(health.run_checks({"database": fine, "broker": fine})) == "ok"
    assert health.verdict(health.run_checks({"database": fine, "broker": broken})) == "degraded"
    assert health.verdict(health.run_checks({"database": broken, "broker": fine})) == "unavailable"
    assert health.verdict(health.run_checks({"storage": broken, "broker": broken})) == "unavailable"


def test_storage_check_reports_an_unwritable_location(settings, tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(blocked / "sub")}}}
    ok, detail = health.storage()
    assert not ok and detail


@pytest.mark.once
def test_check_command_says_what_is_missing(tmp_path, migrated_sqlite):
    from tests.conftest import embedded_data_dir

    env = {**os.environ, "SATUPINTU_DATA_DIR": str(tmp_path / "fresh")}
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    before = subprocess.run([sys.executable, "-m", "satupintu.cli", "check"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert before.returncode == 1 and "GAGAL migrations" in before.stdout
    # Migrated by `satupintu manage migrate` once per run (the fixture), not again here: ~20 s.
    env["SATUPINTU_DATA_DIR"] = str(embedded_data_dir(tmp_path / "migrated", migrated_sqlite))
    after = subprocess.run([sys.executable, "-m", "satupintu.cli", "check"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert after.returncode == 0 and "Konfigurasi siap." in after.stdout, after.stdout + after.stderr
    # A web process starts while Redis is away (the systemd unit runs `check` first); going live
    # (--deploy) it must answer.
    env["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"
    away = subprocess.run([sys.executable, "-m", "satupintu.cli", "check"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert away.returncode == 0 and "PERINGATAN broker" in away.stdout, away.stdout + away.stderr
    deploy = subprocess.run([sys.executable, "-m", "satupintu.cli", "check", "--deploy"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert deploy.returncode == 1 and "GAGAL broker" in deploy.stdout


def test_tasks_go_to_their_queues_and_a_plain_worker_takes_all():
    from django.conf import settings

    from satupintu.celery import app

    def queue(task: str) -> str:
        route = app.amqp.router.route({}, task)
        return route["queue"].name

    assert queue("satupintu.notifications.tasks.deliver_message") == "notifications"
    assert queue("satupintu.situation.tasks.fetch_due_sources") == "ingestion"
    assert queue("satupintu.situation.tasks.detect_trends") == "analysis"
    assert queue("satupintu.services.tasks.sla_sweep") == "default"
    assert set(settings.CELERY_QUEUES_ALL) == {"default", "notifications", "ingestion", "analysis"}


def test_https_redirect_spares_the_probes(settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    c = Client()  # the security middleware reads the setting when the client's handler starts
    page = c.get("/layanan/")
    assert page.status_code == 301 and page["Location"].startswith("https://")
    assert c.get("/health/live").status_code == 200
    assert c.get("/metrics").status_code == 200  # the test client is loopback
