"""Bring text in: fetch the sources that are due (politely, one broken source never stopping
the others) and read uploaded social-media exports, storing what is new through ``store``."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from satupintu.situation.ingest.fetch import due_sources, fetch_source
from satupintu.situation.ingest.http import PoliteFetcher
from satupintu.situation.ingest.social import read_social_export
from satupintu.situation.models import FetchLog, ImportJob, ImportStatus, Source
from satupintu.situation.store import save_raw_items

log = logging.getLogger(__name__)
CLAIM = timedelta(minutes=10)
IMPORT_BATCH = 200


def _claim(source: Source) -> bool:
    """Only one worker fetches a source at a time: move its next time ahead, if nobody did."""
    return bool(Source.objects.filter(pk=source.pk, next_fetch_at=source.next_fetch_at)
                .update(next_fetch_at=timezone.now() + CLAIM))


def fetch_one(source: Source, fetcher: PoliteFetcher) -> FetchLog:
    outcome = fetch_source(source, fetcher)
    if outcome.items:
        try:
            added = save_raw_items(source, outcome.items)
        except Exception as e:  # noqa: BLE001 - a bad batch is this source's failure, not the run's
            log.exception("storing items of source %s failed", source.pk)
            FetchLog.objects.filter(pk=outcome.log.pk).update(ok=False, error=f"Gagal menyimpan butir: {e}"[:2000])
            Source.objects.filter(pk=source.pk).update(last_error=f"Gagal menyimpan butir: {e}"[:2000])
            return outcome.log
        outcome.log.new_items = len(added)
        FetchLog.objects.filter(pk=outcome.log.pk).update(new_items=len(added))
    return outcome.log


def fetch_due(limit: int = 50) -> dict[str, int]:
    """Fetch up to ``limit`` due sources; returns counts of sources ok/failed and items added."""
    result = {"ok": 0, "failed": 0, "items": 0}
    with PoliteFetcher() as fetcher:
        for source in list(due_sources()[:limit]):
            if not _claim(source):
                continue
            source.refresh_from_db()
            entry = fetch_one(source, fetcher)
            result["ok" if entry.ok else "failed"] += 1
            result["items"] += entry.new_items
    return result


def queue_import(source: Source, filename: str, data: bytes, user) -> ImportJob:  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(source=source, filename=filename[:255], data=data, created_by=user)
    transaction.on_commit(lambda: _start(job.pk))
    return job


def _start(job_id: int) -> None:
    from satupintu.situation.tasks import run_import

    try:
        run_import.delay(job_id)
    except Exception:  # the broker is down: the upload is kept, the sweep starts it when it is back
        log.warning("broker unavailable; import %s waits for the sweep", job_id)


# A running job stores a batch in well under a minute; ten without a heartbeat: its worker is gone.
IMPORT_STALE = timedelta(minutes=10)
# Queued this long and not started: its task was lost (the broker was down, or restarted empty).
IMPORT_QUEUED_LATE = timedelta(minutes=2)
IMPORT_ATTEMPTS = 3


def _lost_worker(now: datetime) -> Q:
    # No heartbeat at all: taken by a version that kept none, before this one was installed.
    return Q(status=ImportStatus.RUNNING) & (Q(heartbeat_at__lt=now - IMPORT_STALE) | Q(heartbeat_at__isnull=True))


def _claim_import(job_id: int, now: datetime) -> bool:
    """Take a queued job, or a running one whose worker stopped beating; one taker wins."""
    takeable = Q(status=ImportStatus.QUEUED) | _lost_worker(now)
    return bool(ImportJob.objects.filter(takeable, pk=job_id).update(
        status=ImportStatus.RUNNING, heartbeat_at=now, attempts=F("attempts") + 1))


def run_import_job(job_id: int) -> int:
    """Read the export, store its posts in batches, keep the job's progress current. Run again after
    a lost worker it starts over: posts stored already are known by their id and not stored twice."""
    if not _claim_import(job_id, timezone.now()):
        return 0
    job = ImportJob.objects.select_related("source").get(pk=job_id)
    if job.attempts > IMPORT_ATTEMPTS:  # it stopped its worker each time (too big for its memory?)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), data=b"",
            errors=[*job.errors, f"Impor terhenti {IMPORT_ATTEMPTS} kali di tengah jalan; bagi berkas menjadi "
                                 "beberapa bagian lalu unggah lagi."][:101])
        return 0
    # Only this attempt writes the job: a worker thought dead (slow, not gone) whose job was taken up
    # again stops at its next batch instead of both counting.
    mine = ImportJob.objects.filter(pk=job.pk, attempts=job.attempts)
    try:
        items, errors = read_social_export(bytes(job.data), job.filename)
        if not mine.update(total=len(items), errors=errors, done=0, heartbeat_at=timezone.now()):
            return 0
        added = job.added  # an earlier attempt's posts are stored already and not counted again
        for i in range(0, len(items), IMPORT_BATCH):
            batch = items[i:i + IMPORT_BATCH]
            added += len(save_raw_items(job.source, batch))
            if not mine.update(done=i + len(batch), added=added, heartbeat_at=timezone.now()):
                return 0
        if mine.update(status=ImportStatus.DONE, finished_at=timezone.now(), data=b""):
            Source.objects.filter(pk=job.source_id).update(last_success_at=timezone.now(), last_error="")
        return added
    except Exception as e:  # noqa: BLE001 - the officer sees why on the job; the data stays for a retry
        log.exception("import %s failed", job_id)
        mine.update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                    errors=[*job.errors, f"Impor gagal: {e}"][:101])
        return 0


def resume_imports(now: datetime | None = None) -> int:
    """Start again the imports whose task was lost (queued, never started) or whose worker stopped
    (running, no heartbeat); returns how many were handed to the workers."""
    now = now or timezone.now()
    lost = ImportJob.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lt=now - IMPORT_QUEUED_LATE) | _lost_worker(now)).values_list("pk", flat=True)
    ids = list(lost[:100])
    for pk in ids:
        _start(pk)
    return len(ids)
