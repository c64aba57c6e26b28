"""Prometheus metrics for /metrics: request latency by route, Celery queue depth, the outbox
backlog, overdue applications and Situation Room ingestion lag.

Request latency is a Histogram filled by ``MetricsMiddleware``. Under gunicorn with several
workers ``satupintu serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` before anything imports
prometheus_client, so each worker writes its samples to files there and a scrape adds them up.
Everything else is read at scrape time by ``StateCollector`` (a few indexed queries, cached for
``METRICS_CACHE_SECONDS``), so it is reported once however many workers there are.

Labels are bounded: a route name, never a path; an office level, never an office; a source id.
No metric carries personal data.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Histogram, disable_created_metrics, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from satupintu.core.logs import route_name

log = logging.getLogger(__name__)
# The *_created series double what a scraper stores and tell nothing a restart would not.
disable_created_metrics()

# Web latency: from a cached page (a few ms) to a slow PDF or a timed-out upstream (10 s).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Only this registry holds the histogram in a single process; in multiprocess mode the values
# live in PROMETHEUS_MULTIPROC_DIR and MultiProcessCollector reads them back.
_local_registry = CollectorRegistry(auto_describe=True)
REQUEST_LATENCY = Histogram(
    "satupintu_http_request_duration_seconds",
    "Waktu menjawab permintaan HTTP, per rute, metode dan kelas status.",
    ("view", "method", "status"),
    buckets=LATENCY_BUCKETS,
    registry=_local_registry,
)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class MetricsMiddleware:
    """Times each request; sits right inside RequestIdMiddleware so it sees the final status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(route_name(request), method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started)
        return response


# --- Celery queues -----------------------------------------------------------------------------

def _queue_names() -> tuple[str, ...]:
    return tuple(getattr(settings, "CELERY_QUEUES_ALL", ("default",)))


def _redis_queue_lengths(url: str, options: dict, queues: Iterable[str]) -> dict[str, int]:
    """kombu's Redis transport keeps a queue as a list named after it, plus one list per
    priority step (``<queue>\\x06\\x16<step>``) for prioritised messages."""
    import redis
    from kombu.transport.redis import PRIORITY_STEPS, Channel

    prefix = options.get("global_keyprefix", "")
    sep = options.get("sep", Channel.sep)
    steps = options.get("priority_steps", PRIORITY_STEPS)
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        names = list(queues)
        with client.pipeline(transaction=False) as pipe:
            for queue in names:
                for step in steps:
                    pipe.llen(f"{prefix}{queue}{sep}{step}" if step else f"{prefix}{queue}")
            sizes = pipe.execute()
    finally:
        client.close()
    per_queue = len(steps)
    return {queue: sum(sizes[i * per_queue:(i + 1) * per_queue]) for i, queue in enumerate(names)}


def _filesystem_queue_lengths(options: dict, queues: Iterable[str]) -> dict[str, int]:
    """kombu's file transport writes each message as ``<ms>_<uuid>.<queue>.msg`` in the in-folder."""
    folder = Path(options.get("data_folder_in", "data_in"))
    counts = dict.fromkeys(queues, 0)
    for name in os.listdir(folder):
        queue_part = name.partition(".")[2]
        if queue_part.endswith(".msg") and queue_part[:-4] in counts:
            counts[queue_part[:-4]] += 1
    return counts


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting per queue; None if the broker cannot be read (or is of a kind we
    do not know how to read)."""
    from satupintu.celery import app

    url = str(app.conf.broker_url or "").split(";", 1)[0]
    options = dict(app.conf.broker_transport_options or {})
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            return _redis_queue_lengths(url, options, _queue_names())
        if url.startswith("filesystem://"):
            return _filesystem_queue_lengths(options, _queue_names())
    except Exception as exc:  # noqa: BLE001 - a broker problem is a metric, never a failed scrape
        log.warning("metrics: broker not readable: %s", type(exc).__name__)
    return None


# --- database state --------------------------------------------------------------------------

def _outbox() -> list[Metric]:
    from django.db.models import Count, Min
    from django.utils import timezone

    from satupintu.notifications.models import OutboxMessage, OutboxStatus

    backlog = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED)
    counts = dict.fromkeys(backlog, 0)
    # `status` is indexed; the sent messages (nearly all rows) are never read.
    for row in OutboxMessage.objects.filter(status__in=backlog).values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    by_status = GaugeMetricFamily("satupintu_outbox_messages", "Pesan keluar yang belum terkirim, per status.",
                                  labels=["status"])
    for status, n in counts.items():
        by_status.add_metric([str(status)], n)
    oldest = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).aggregate(m=Min("created_at"))["m"]
    age = GaugeMetricFamily("satupintu_outbox_oldest_pending_age_seconds",
                            "Umur pesan menunggu yang paling lama, dalam detik (0 bila tidak ada).")
    age.add_metric([], max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0)
    return [by_status, age]


def _overdue() -> list[Metric]:
    from django.db.models import Count
    from django.utils import timezone

    from satupintu.organization.models import Level
    from satupintu.services.models import FINAL_STATUSES, Application, Status

    # A positive list of the open statuses rather than "not final": both the status index and
    # the due_at index can then narrow the million closed applications away.
    open_statuses = [s for s in Status.values if s not in FINAL_STATUSES]
    rows = (Application.objects.filter(status__in=open_statuses, due_at__lt=timezone.now())
            .values("office__level").annotate(n=Count("id")).order_by())
    by_level = dict.fromkeys(Level.values, 0)
    for row in rows:
        by_level[row["office__level"]] = row["n"]
    total = GaugeMetricFamily("satupintu_applications_overdue",
                              "Permohonan terbuka yang melewati batas waktu layanan.")
    total.add_metric([], sum(by_level.values()))
    levels = GaugeMetricFamily("satupintu_applications_overdue_by_level",
                               "Permohonan terbuka yang melewati batas waktu, per tingkat kantor.", labels=["level"])
    for level, n in by_level.items():
        levels.add_metric([level], n)
    return [total, levels]


MAX_SOURCES = 500


def _ingestion() -> list[Metric]:
    from django.utils import timezone

    from satupintu.situation.models import Source

    now = timezone.now()
    lag = GaugeMetricFamily(
        "satupintu_ingestion_lag_seconds",
        "Detik sejak pengambilan berhasil terakhir tiap sumber aktif (sejak ditambahkan bila belum pernah).",
        labels=["source_id", "source", "kind"])
    failures = GaugeMetricFamily("satupintu_ingestion_consecutive_failures",
                                 "Kegagalan berturut-turut tiap sumber aktif.", labels=["source_id", "source", "kind"])
    rows = (Source.objects.filter(active=True).order_by("id")
            .values_list("id", "name", "kind", "last_success_at", "created_at", "consecutive_failures")[:MAX_SOURCES])
    for pk, name, kind, last_success, created, failed in rows:
        labels = [str(pk), name[:40], kind]
        lag.add_metric(labels, max(0.0, (now - (last_success or created)).total_seconds()))
        failures.add_metric(labels, failed)
    return [lag, failures]


_STATE_PARTS: tuple[Callable[[], list[Metric]], ...] = (_outbox, _overdue, _ingestion)
_cache_lock = threading.Lock()
_cache: tuple[float, list[Metric]] | None = None


def clear_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None


def _database_state() -> list[Metric]:
    """The DB gauges, read at most once per METRICS_CACHE_SECONDS per process."""
    global _cache
    ttl = float(getattr(settings, "METRICS_CACHE_SECONDS", 15))
    with _cache_lock:
        if _cache is not None and time.monotonic() - _cache[0] < ttl:
            return _cache[1]
        up = GaugeMetricFamily("satupintu_db_up", "1 bila basis data terbaca saat pengumpulan metrik.")
        try:
            metrics = [m for part in _STATE_PARTS for m in part()]
        except Exception as exc:  # noqa: BLE001 - a database problem is a metric, never a failed scrape
            log.warning("metrics: database not readable: %s", type(exc).__name__)
            up.add_metric([], 0)
            return [up]  # not cached: the next scrape tries again
        up.add_metric([], 1)
        metrics.append(up)
        _cache = (time.monotonic(), metrics)
        return metrics


class StateCollector(Collector):
    """What the system holds right now: queues, outbox, overdue work, ingestion lag."""

    def collect(self) -> Iterator[Metric]:
        lengths = queue_lengths()
        broker_up = GaugeMetricFamily("satupintu_broker_up", "1 bila broker Celery terbaca saat pengumpulan metrik.")
        broker_up.add_metric([], 0 if lengths is None else 1)
        yield broker_up
        if lengths is not None:
            depth = GaugeMetricFamily("satupintu_celery_queue_length", "Tugas yang menunggu di antrean Celery.",
                                      labels=["queue"])
            for queue, n in lengths.items():
                depth.add_metric([queue], n)
            yield depth
        yield from _database_state()


def render() -> bytes:
    """The text exposition of every metric, for one scrape."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(StateCollector())
    return generate_latest(registry)
