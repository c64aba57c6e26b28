"""Request ids and JSON logs: every request gets an id, answered in X-Request-ID and written on
its log lines; the id rides along with the tasks the request publishes, so the worker's lines
for a citizen's e-mail carry the id of the request that submitted the application."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from satupintu.core.logs import JsonFormatter, RequestContextFilter, request_id_var
from tests.conftest import VALID_NIK, VALID_PHONE, upload
from tests.core.test_metrics import REDIS_TEST_URL, broker, redis_db11  # noqa: F401 - redis_db11 is a fixture

pytestmark = pytest.mark.django_db


class Captured:
    """What a production handler (the filter, the JSON formatter) writes, parsed line by line."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


@contextmanager
def json_logs(logger_name: str = "") -> Iterator[Captured]:
    captured = Captured()
    handler = logging.StreamHandler(captured.stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(logger_name)
    saved_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield captured
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved_level)


def test_access_line_is_json_with_the_request_id_of_the_response(client):
    with json_logs() as logs:
        response = client.get("/kantor/73.22/", {"hp": VALID_PHONE})
    lines = logs.lines
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and int(rid, 16) >= 0  # a fresh uuid4, in hex
    access = [line for line in lines if line["logger"] == "satupintu.request"]
    assert len(access) == 1
    line = access[0]
    assert list(line)[:5] == ["time", "level", "logger", "message", "request_id"]
    assert line["request_id"] == rid and line["level"] == "INFO"
    assert line["method"] == "GET" and line["path"] == "/kantor/73.22/" and line["status"] == 200
    assert line["view"] == "office_detail" and line["user_id"] is None and line["duration_ms"] >= 0
    when = datetime.fromisoformat(line["time"])
    assert when.utcoffset() == timedelta(0)
    # The query string (where a phone number or a NIK could be) is never written.
    assert VALID_PHONE not in json.dumps(lines)


def test_a_well_formed_incoming_id_is_kept_a_bad_one_replaced(client):
    given = "lb-7f3a9c21.e2"
    assert client.get("/health/live", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    for bad in ("short", "a" * 65, "abc def ghi", "abcdefgh\nINFO forged line", "abcdefgh\"}"):
        answered = client.get("/health/live", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert answered != bad and len(answered) == 32
    first = client.get("/health/live")["X-Request-ID"]
    assert client.get("/health/live")["X-Request-ID"] != first


def test_every_line_of_a_request_carries_its_id_and_nothing_after_it(client):
    with json_logs() as logs:
        response = client.get("/lacak/BUKAN-KODE/", HTTP_X_REQUEST_ID="uji-id-12345")
        logging.getLogger("satupintu.test").warning("after the request")
    lines = logs.lines
    assert response["X-Request-ID"] == "uji-id-12345"
    during = [line for line in lines if line["message"] != "after the request"]
    assert {line["logger"] for line in during} >= {"satupintu.request", "django.request"}  # the 404 warning too
    assert {line["request_id"] for line in during} == {"uji-id-12345"}
    after = next(line for line in lines if line["message"] == "after the request")
    assert after["request_id"] is None


def test_user_id_but_never_the_username(client, people):
    client.force_login(people.fo_lutra)
    with json_logs("satupintu.request") as logs:
        assert client.get("/petugas/").status_code == 200
    lines = logs.lines
    assert lines[0]["user_id"] == people.fo_lutra.pk and lines[0]["view"] == "officer_queue"
    assert "fo.lutra" not in json.dumps(lines)


def test_secret_link_tokens_are_blanked_in_the_path(client):
    with json_logs("satupintu.request") as logs:
        client.get("/survei/tokenrahasiasurvei123/")
    lines = logs.lines
    assert lines[0]["path"] == "/survei/***/" and "tokenrahasiasurvei123" not in json.dumps(lines)



@pytest.mark.parametrize(("url", "logged"), [
    ("/akun/password/reset/key/1-c3x9a2-kuncirahasia123/", "/akun/password/reset/key/***/"),  # allauth's "key"
    ("/akun/confirm-email/kuncirahasia123abc/", "/akun/confirm-email/***/"),
    ("/masuk/atur-ulang/MQ/c3x9a2-kuncirahasia123/", "/masuk/atur-ulang/***/***/"),
    ("/daftar/aktifkan/MQ/c3x9a2-kuncirahasia123/", "/daftar/aktifkan/***/***/"),
])
def test_password_reset_and_confirmation_keys_are_blanked_too(client, url, logged):  # type: ignore[no-untyped-def]
    """Only "token" was blanked: allauth's reset key stayed in the log, and with it a new password."""
    with json_logs("satupintu.request") as logs:
        client.get(url)
    assert logs.lines[0]["path"] == logged and "kuncirahasia123" not in json.dumps(logs.lines)


@pytest.mark.once
def test_tracebacks_and_e_mail_addresses_are_masked_like_messages():
    """An exception's text quotes the values that failed (a unique constraint's key, a parser's
    input): the message was masked, the traceback under it written whole."""
    from satupintu.core.logs import PlainFormatter

    log = logging.getLogger("satupintu.test.masking")
    failure = f"duplicate key (nik)=({VALID_NIK}) phone {VALID_PHONE} mail ahmad.yusuf@contoh.id"
    with json_logs("satupintu.test.masking") as captured:
        try:
            raise ValueError(failure)
        except ValueError:
            log.exception("gagal untuk %s", "ahmad.yusuf@contoh.id")
            log.info("tumpukan", stack_info=True, extra={"note": "x"})
    line = captured.lines[0]
    assert line["message"] == "gagal untuk a***@contoh.id"
    for text in (line["exc_info"], json.dumps(captured.lines)):
        assert VALID_NIK not in text and VALID_PHONE not in text and "ahmad.yusuf@" not in text
    assert "[NIK]" in line["exc_info"] and "phone [nomor telepon] mail a***@contoh.id" in line["exc_info"]

    plain = logging.makeLogRecord({"name": "x", "levelno": logging.ERROR, "levelname": "ERROR", "msg": "gagal"})
    try:
        raise ValueError(failure)
    except ValueError:
        plain.exc_info = sys.exc_info()
    written = PlainFormatter().format(plain)
    assert VALID_NIK not in written and VALID_PHONE not in written and "a***@contoh.id" in written


def test_log_format_json_is_what_settings_configure(tmp_path):
    """The real wiring: LOG_FORMAT=json in the environment, Django's LOGGING, stderr."""
    script = ("import django; django.setup();"
              "from django.test import Client;"
              "r = Client().get('/health/live', HTTP_X_REQUEST_ID='dari-proxy-0001');"
              "print(r['X-Request-ID'])")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SATUPINTU_DATA_DIR=str(tmp_path), LOG_FORMAT="json", DJANGO_SETTINGS_MODULE="satupintu.settings")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          check=True)
    assert done.stdout.strip() == "dari-proxy-0001"
    lines = [json.loads(line) for line in done.stderr.splitlines()]  # every line is JSON
    access = [line for line in lines if line["logger"] == "satupintu.request"]
    assert access and access[0]["request_id"] == "dari-proxy-0001" and access[0]["view"] == "health_live"

    env["LOG_FORMAT"] = "plain"
    plain = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                           check=True)
    assert "INFO satupintu.request [dari-proxy-0001] GET /health/live 200" in plain.stderr

    env["LOG_FORMAT"] = "xml"
    wrong = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert wrong.returncode != 0 and "LOG_FORMAT" in wrong.stderr


def _smtp_nowhere(settings) -> None:  # type: ignore[no-untyped-def]
    """E-mail to an SMTP server that is not there: delivery fails inside deliver_message and
    the outbox writes a warning about the message, from inside the task."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    settings.EMAIL_USE_TLS = False


def test_an_eager_task_keeps_the_callers_id(settings):
    from django.utils import timezone

    from satupintu.notifications.models import OutboxMessage
    from satupintu.notifications.tasks import deliver_message

    _smtp_nowhere(settings)
    message = OutboxMessage.objects.create(recipient="warga@contoh.id", subject="Uji", body="-", dedupe_key="eager:1",
                                           next_attempt_at=timezone.now())
    token = request_id_var.set("pemanggil-0001")
    try:
        with json_logs("satupintu.notifications") as logs:
            deliver_message.delay(message.pk)
        assert request_id_var.get() == "pemanggil-0001"
    finally:
        request_id_var.reset(token)
    inside = [line for line in logs.lines if "failed" in line["message"]]
    assert inside and inside[0]["request_id"] == "pemanggil-0001", logs.lines


# --- into the worker ---------------------------------------------------------------------------

def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@contextmanager
def worker_thread(queues: str) -> Iterator[None]:
    """A real Celery worker (solo pool, in a thread) consuming from the test broker."""
    from celery.contrib.testing.worker import start_worker

    from satupintu.celery import app

    root = logging.getLogger()
    saved = root.level, logging.getLogger("celery.task").propagate, app.conf.worker_hijack_root_logger
    # The embedded worker sets up Celery's logging; it must not take over pytest's handlers.
    app.conf.worker_hijack_root_logger = False
    try:
        with start_worker(app, pool="solo", loglevel="INFO", perform_ping_check=False, queues=queues,
                          shutdown_timeout=20):
            yield
    finally:
        root.setLevel(saved[0])
        logging.getLogger("celery.task").propagate = saved[1]
        app.conf.worker_hijack_root_logger = saved[2]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_request_id_follows_the_application_into_the_worker(client, settings, redis_db11):  # noqa: F811
    _smtp_nowhere(settings)
    rid = "warga-apply-000123"
    form = {"service": "legalisir-ijazah-madrasah", "office": "73.22", "name": "Andi Rahmawati", "nik": VALID_NIK,
            "phone": VALID_PHONE, "email": "andi@contoh.id", "nama_madrasah": "MAN 1 Luwu Utara", "jenjang": "MA",
            "tahun_lulus": "2015", "jumlah_lembar": "3",
            "ijazah_asli": upload("asli.pdf"), "fotokopi_ijazah": upload("fc.pdf"), "ktp": upload("ktp.pdf")}
    # On "satupintu", not the root: the worker runs django.setup() again, which rebuilds the
    # root logger's handlers from LOGGING, as in production.
    with broker(REDIS_TEST_URL), json_logs("satupintu") as logs:
        response = client.post("/api/v1/applications", form, HTTP_X_REQUEST_ID=rid)
        assert response.status_code == 201, response.content
        assert response["X-Request-ID"] == rid
        # Published, not run: the task waits in Redis with the id in its headers.
        waiting = [json.loads(raw) for raw in redis_db11.lrange("notifications", 0, -1)]
        assert [m["headers"]["task"] for m in waiting] == ["satupintu.notifications.tasks.deliver_message"]
        assert waiting[0]["headers"]["request_id"] == rid
        with worker_thread("notifications"):
            deadline = time.time() + 30
            while time.time() < deadline and not any(line["logger"] == "satupintu.task" for line in logs.lines):
                time.sleep(0.2)
    lines = logs.lines
    task_id = waiting[0]["headers"]["id"]
    in_task = [line for line in lines if line.get("task_id") == task_id]
    failed = [line for line in in_task if line["logger"] == "satupintu.notifications.outbox"]
    assert failed and "failed" in failed[0]["message"], lines
    assert failed[0]["request_id"] == rid and failed[0]["task_name"].endswith("deliver_message")
    done = [line for line in in_task if line["logger"] == "satupintu.task"]
    assert done and done[0]["request_id"] == rid and done[0]["task_state"] == "SUCCESS"
    # The worker's lines name the message, never the citizen.
    assert not {VALID_NIK, VALID_PHONE, "andi@contoh.id", "Andi Rahmawati"} & set(json.dumps(in_task).split('"'))
    assert request_id_var.get() is None  # nothing leaks into the test's own context
