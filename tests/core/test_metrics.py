"""/metrics: request latency by route name, queue depth on the real brokers, the outbox backlog,
overdue applications and ingestion lag from real rows; who may read it; several gunicorn
workers adding up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from satupintu.celery import app as celery_app
from satupintu.core import metrics
from satupintu.notifications.models import OutboxMessage
from satupintu.services.models import Application, Status
from satupintu.situation.models import Source
from tests.conftest import VALID_NIK, VALID_PHONE

pytestmark = pytest.mark.django_db

# The only Redis database these tests touch (.ci/run gives its two concurrent passes different ones).
REDIS_TEST_URL = os.environ.get("METRICS_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture(autouse=True)
def _fresh_state_cache():  # type: ignore[no-untyped-def]
    metrics.clear_cache()
    yield
    metrics.clear_cache()


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:  # type: ignore[no-untyped-def]
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name: str, **labels) -> float | None:  # type: ignore[no-untyped-def]
    return samples.get((name, tuple(sorted(labels.items()))))


def names(samples) -> set[str]:  # type: ignore[no-untyped-def]
    return {name for name, _ in samples}


def _redis_or_skip() -> None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 (CI must start it)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")


def _reset_publish_pools() -> None:
    # The app keeps its connection and producer pools for the broker it first used; after a
    # change of broker_url it must look them up again (kombu keeps one pool per broker URL), or
    # tasks would still go to the old broker.
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def broker(url: str, options: dict | None = None):  # type: ignore[no-untyped-def]
    """Publish for real (not eagerly) to this broker for the duration."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_transport_options, conf.task_always_eager
    _reset_publish_pools()
    conf.broker_url, conf.broker_transport_options, conf.task_always_eager = url, options or {}, False
    try:
        yield
    finally:
        _reset_publish_pools()
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved


@pytest.fixture
def redis_db11():  # type: ignore[no-untyped-def]
    _redis_or_skip()
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


# --- requests --------------------------------------------------------------------------------

def test_a_request_is_timed_under_its_route_name_never_its_path(client):
    before = scrape(client)
    key = dict(view="office_detail", method="GET", status="2xx")
    count_before = value(before, "satupintu_http_request_duration_seconds_count", **key) or 0
    assert client.get("/kantor/73.22/").status_code == 200
    assert client.get("/tidak-ada-halaman-ini/").status_code == 404
    after = scrape(client)
    assert value(after, "satupintu_http_request_duration_seconds_count", **key) == count_before + 1
    assert value(after, "satupintu_http_request_duration_seconds_bucket", le="10.0", **key) == count_before + 1
    assert (value(after, "satupintu_http_request_duration_seconds_count", view="unresolved", method="GET",
                  status="4xx") or 0) >= 1
    labels = {v for _, lbls in after for _, v in lbls}
    assert not any("73.22" in v or "/" in v for v in labels), labels  # no path ever becomes a label


def test_api_routes_carry_their_namespaced_name(client):
    key = dict(view="api-v1:office_list", method="GET", status="2xx")
    before = value(scrape(client), "satupintu_http_request_duration_seconds_count", **key) or 0
    client.get("/api/v1/offices?province=73")
    assert value(scrape(client), "satupintu_http_request_duration_seconds_count", **key) == before + 1


# --- access ----------------------------------------------------------------------------------

def test_metrics_only_for_this_machine_or_the_token(client, settings):
    settings.METRICS_TOKEN = ""
    outside = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert outside.status_code == 403 and "ditolak" in outside.content.decode()
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    # A proxy on this machine forwarding someone from outside is not "this machine".
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403
    # Without a configured token no bearer opens it.
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer ").status_code == 403

    settings.METRICS_TOKEN = "token-rahasia-metrik"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7",
                      HTTP_AUTHORIZATION="Bearer token-rahasia-metrik").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer salah").status_code == 403


def test_no_personal_data_in_metrics(client, submit):
    app = submit()
    Application.objects.filter(pk=app.pk).update(due_at=timezone.now() - timedelta(days=1))
    Source.objects.create(name="Portal Berita Uji", kind="feed", url="https://berita.example/rss")
    body = client.get("/metrics").content.decode()
    assert "satupintu_applications_overdue 1.0" in body
    for secret in (VALID_NIK, VALID_PHONE, VALID_PHONE[1:], "Andi", "andi@contoh.id", app.tracking_code):
        assert secret not in body


# --- database state --------------------------------------------------------------------------

def _message(status: str, n: int, age: timedelta = timedelta(0)) -> None:
    for _ in range(n):
        msg = OutboxMessage.objects.create(recipient="warga@contoh.id", subject="Uji", body="-",
                                           dedupe_key=f"test:{OutboxMessage.objects.count()}:{status}",
                                           status=status, next_attempt_at=timezone.now())
        OutboxMessage.objects.filter(pk=msg.pk).update(created_at=timezone.now() - age)


def test_outbox_backlog_by_status_and_oldest_pending_age(client):
    _message("pending", 2, age=timedelta(minutes=1))
    _message("pending", 1, age=timedelta(hours=2))
    _message("sending", 1)
    _message("failed", 4)
    _message("sent", 5)
    samples = scrape(client)
    assert value(samples, "satupintu_outbox_messages", status="pending") == 3
    assert value(samples, "satupintu_outbox_messages", status="sending") == 1
    assert value(samples, "satupintu_outbox_messages", status="failed") == 4
    assert value(samples, "satupintu_outbox_messages", status="sent") is None  # history, not backlog
    age = value(samples, "satupintu_outbox_oldest_pending_age_seconds")
    assert 7200 <= age < 7200 + 120
    assert value(samples, "satupintu_db_up") == 1


def test_overdue_counts_open_applications_past_due_by_office_level(client, submit):
    past, future = timezone.now() - timedelta(hours=3), timezone.now() + timedelta(days=3)
    # Submitted an hour apart: the same person sending the same thing within minutes is a duplicate.
    late_lutra, late_lutra_2, on_time, closed_late = (submit(now=timezone.now() - timedelta(hours=4 - i))
                                                      for i in range(4))
    late_kanwil = submit(office="73")
    Application.objects.filter(pk__in=[late_lutra.pk, late_lutra_2.pk, late_kanwil.pk, closed_late.pk]).update(
        due_at=past)
    Application.objects.filter(pk=on_time.pk).update(due_at=future)
    # Test set-up only: a closed application keeps its old due date, it must not count.
    Application.objects.filter(pk=closed_late.pk).update(status=Status.COMPLETED)
    samples = scrape(client)
    assert value(samples, "satupintu_applications_overdue") == 3
    assert value(samples, "satupintu_applications_overdue_by_level", level="kankemenag") == 2
    assert value(samples, "satupintu_applications_overdue_by_level", level="kanwil") == 1
    assert value(samples, "satupintu_applications_overdue_by_level", level="pusat") == 0


def test_ingestion_lag_per_active_source(client):
    now = timezone.now()
    fresh = Source.objects.create(name="Kanal Berita Kemenag", kind="feed", url="https://a.example/rss",
                                  last_success_at=now - timedelta(minutes=10), consecutive_failures=0)
    never = Source.objects.create(name="Situs Baru " + "x" * 80, kind="page", url="https://b.example/")
    Source.objects.filter(pk=never.pk).update(created_at=now - timedelta(hours=5), consecutive_failures=3)
    off = Source.objects.create(name="Dimatikan", kind="feed", url="https://c.example/rss", active=False,
                                last_success_at=now - timedelta(days=30))
    samples = scrape(client)
    lag = {dict(lbls)["source_id"]: (dict(lbls), v) for (name, lbls), v in samples.items()
           if name == "satupintu_ingestion_lag_seconds"}
    assert 600 <= lag[str(fresh.pk)][1] < 600 + 120
    assert lag[str(fresh.pk)][0] == {"source_id": str(fresh.pk), "source": "Kanal Berita Kemenag", "kind": "feed"}
    assert 5 * 3600 <= lag[str(never.pk)][1] < 5 * 3600 + 120  # never fetched: since it was added
    assert len(lag[str(never.pk)][0]["source"]) == 40  # names are cut short
    assert str(off.pk) not in lag
    assert value(samples, "satupintu_ingestion_consecutive_failures", source_id=str(never.pk),
                 source=lag[str(never.pk)][0]["source"], kind="page") == 3


def test_database_gauges_are_cached_between_close_scrapes(client, settings):
    settings.METRICS_CACHE_SECONDS = 60
    _message("pending", 1)
    assert value(scrape(client), "satupintu_outbox_messages", status="pending") == 1
    _message("pending", 2)
    assert value(scrape(client), "satupintu_outbox_messages", status="pending") == 1  # the cached answer
    settings.METRICS_CACHE_SECONDS = 0
    assert value(scrape(client), "satupintu_outbox_messages", status="pending") == 3


def test_overdue_query_uses_an_index_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the plan question is PostgreSQL's")
    from satupintu.services.models import FINAL_STATUSES

    open_statuses = [s for s in Status.values if s not in FINAL_STATUSES]
    qs = Application.objects.filter(status__in=open_statuses, due_at__lt=timezone.now()).values("office__level")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty test table would otherwise be scanned
        plan = qs.explain()
    assert "Index" in plan and "Seq Scan on services_application" not in plan, plan


# --- brokers ---------------------------------------------------------------------------------

@pytest.mark.redis
def test_queue_depth_on_redis_counts_waiting_tasks_including_prioritised_ones(client, redis_db11):
    from satupintu.notifications.tasks import outbox_flush
    from satupintu.services.tasks import sla_sweep

    with broker(REDIS_TEST_URL):
        for _ in range(3):
            outbox_flush.delay()
        sla_sweep.delay()
        sla_sweep.apply_async(priority=6)  # kombu keeps this one in a priority-suffixed list
        samples = scrape(client)
    assert any(k.startswith(b"default\x06\x16") for k in redis_db11.keys()), redis_db11.keys()
    assert value(samples, "satupintu_broker_up") == 1
    assert value(samples, "satupintu_celery_queue_length", queue="notifications") == 3
    assert value(samples, "satupintu_celery_queue_length", queue="default") == 2
    assert value(samples, "satupintu_celery_queue_length", queue="ingestion") == 0
    assert value(samples, "satupintu_celery_queue_length", queue="analysis") == 0


def test_queue_depth_on_the_file_broker(client, tmp_path):
    from satupintu.notifications.tasks import outbox_flush
    from satupintu.situation.tasks import detect_trends

    folders = {k: tmp_path / k for k in ("queue", "processed", "control")}
    for f in folders.values():
        f.mkdir()
    options = {"data_folder_in": str(folders["queue"]), "data_folder_out": str(folders["queue"]),
               "processed_folder": str(folders["processed"]), "control_folder": str(folders["control"])}
    with broker("filesystem://", options):
        outbox_flush.delay()
        outbox_flush.delay()
        detect_trends.delay()
        samples = scrape(client)
    assert len(list(folders["queue"].iterdir())) == 3
    assert value(samples, "satupintu_broker_up") == 1
    assert value(samples, "satupintu_celery_queue_length", queue="notifications") == 2
    assert value(samples, "satupintu_celery_queue_length", queue="analysis") == 1
    assert value(samples, "satupintu_celery_queue_length", queue="default") == 0


def test_unreachable_broker_is_a_gauge_not_an_error(client):
    with broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        started = time.monotonic()
        samples = scrape(client)
    assert time.monotonic() - started < 5
    assert value(samples, "satupintu_broker_up") == 0
    assert "satupintu_celery_queue_length" not in names(samples)
    assert value(samples, "satupintu_db_up") == 1  # the rest is still there


# --- several workers -------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def _live_count(body: str) -> float:
    families = {f.name: f for f in text_string_to_metric_families(body)}
    counts = [s.value for s in families["satupintu_http_request_duration_seconds"].samples
              if s.name.endswith("_count") and s.labels.get("view") == "health_live"]
    assert len(counts) == 1, body
    return counts[0]


@pytest.mark.once
def test_serve_adds_up_request_metrics_of_all_gunicorn_workers(tmp_path):
    data_dir = tmp_path / "data"
    stale = data_dir / "metrics"
    stale.mkdir(parents=True)
    # A counter left by an earlier run must not be added to this one.
    (stale / "histogram_999999.db").write_bytes(b"\0" * 16)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR")}
    env.update(SATUPINTU_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "satupintu.cli", "serve", "--bind", f"127.0.0.1:{port}",
                             "--workers", "3", "--threads", "1"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 90
        while True:
            # Waiting for the start on another route than the one counted: a probe the client gave
            # up on may still be answered later, after any count taken before the requests.
            try:
                _get(f"{base}/metrics", timeout=10)
                break
            except OSError:
                assert time.time() < deadline and proc.poll() is None, "satupintu serve did not start"
                time.sleep(0.3)
        # Requests in parallel until at least two workers have answered some (which worker takes a
        # connection is the kernel's choice: on a busy machine one worker may take a whole batch).
        from concurrent.futures import ThreadPoolExecutor

        sent = 0
        with ThreadPoolExecutor(6) as pool:
            for _ in range(50):
                list(pool.map(lambda _: _get(f"{base}/health/live", timeout=30), range(30)))
                sent += 30
                files = sorted(p.name for p in (data_dir / "metrics").glob("histogram_*.db"))
                if len([f for f in files if f != "histogram_999999.db"]) >= 2:
                    break
        body = _get(f"{base}/metrics", timeout=30)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=40)
    assert "histogram_999999.db" not in files
    assert len(files) >= 2, (files, out[-2000:])  # one histogram file per worker that answered
    # every worker's requests, whichever worker answered the scrape
    assert _live_count(body) == sent, body
    families = {f.name: f for f in text_string_to_metric_families(body)}
    assert [s.value for s in families["satupintu_broker_up"].samples] == [1.0]  # state: once, not per worker
    assert Path(data_dir / "metrics").is_dir()
