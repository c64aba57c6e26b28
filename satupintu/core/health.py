"""Is this instance alive, and ready to take work? Each check answers (ok, detail) quickly and
never raises, so /health/ready and `satupintu check` can list every problem at once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Check = Callable[[], tuple[bool, str]]


def database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as e:  # noqa: BLE001 - any failure means "not ready", with its reason
        return False, f"{type(e).__name__}: {e}"[:300]


def migrations() -> tuple[bool, str]:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return (not pending), (f"{len(pending)} migrasi belum dijalankan" if pending else "mutakhir")
    except Exception as e:  # noqa: BLE001
        return False, f"{type(e).__name__}: {e}"[:300]


def broker() -> tuple[bool, str]:
    from satupintu.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, settings.CELERY_BROKER_URL.split("://", 1)[0]
    except Exception as e:  # noqa: BLE001
        return False, f"{type(e).__name__}: {e}"[:300]


def storage() -> tuple[bool, str]:
    """Write, read back and delete a small file where uploads go."""
    name = f"health/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        with default_storage.open(saved, "rb") as f:
            ok = f.read() == b"ok"
        default_storage.delete(saved)
        return ok, "dapat ditulis" if ok else "isi berkas uji berbeda"
    except Exception as e:  # noqa: BLE001
        return False, f"{type(e).__name__}: {e}"[:300]


# What a probe may reuse, per process. /health/ready is reached by every load balancer every few
# seconds (and by anyone who finds it): each call wrote, read and deleted a file in storage (three
# paid requests on S3) and read the whole migration graph again. A working storage is believed for
# HEALTH_STORAGE_CHECK_SECONDS; migrations found applied stay applied for this process's code.
_remembered: dict[str, tuple[float, tuple[bool, str]]] = {}
_migrations_applied: tuple[bool, str] | None = None


def _storage_recent() -> tuple[bool, str]:
    key = f"storage:{settings.STORAGES.get('default')!r}"  # another storage configured: looked at anew
    kept = _remembered.get(key)
    if kept is not None and time.monotonic() - kept[0] < settings.HEALTH_STORAGE_CHECK_SECONDS:
        return kept[1]
    result = storage()
    if result[0]:  # a failure is looked at again on the next probe
        _remembered[key] = (time.monotonic(), result)
    else:
        _remembered.pop(key, None)
    return result


def _migrations_once() -> tuple[bool, str]:
    global _migrations_applied
    if _migrations_applied is not None:
        return _migrations_applied
    result = migrations()
    if result[0]:
        _migrations_applied = result
    return result


READY_CHECKS: dict[str, Check] = {"database": database, "migrations": _migrations_once, "broker": broker,
                                  "storage": _storage_recent}
# Checks whose failure leaves the instance serving: without the broker citizens still apply and
# track (the outbox keeps what is to be sent, the scheduler's flush sends it when Redis is back),
# so a Redis outage must not take every web node out of the load balancer, nor stop one starting.
DEGRADED_ONLY = frozenset({"broker"})


def verdict(results: dict[str, dict]) -> str:
    """"ok", "degraded" (only DEGRADED_ONLY checks failed: still take traffic) or "unavailable"."""
    failed = {name for name, result in results.items() if not result["ok"]}
    if not failed:
        return "ok"
    return "degraded" if failed <= DEGRADED_ONLY else "unavailable"


def run_checks(checks: dict[str, Check] | None = None) -> dict[str, dict]:
    results = {}
    for name, check in (checks or READY_CHECKS).items():
        started = time.monotonic()
        ok, detail = check()
        results[name] = {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}
    return results
