"""Bring text in: fetch the sources that are due (politely, one broken source never stopping
the others) and read uploaded social-media exports, storing what is new through ``store``."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
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
    from satupintu.situation.tasks import run_import

    job = ImportJob.objects.create(source=source, filename=filename[:255], data=data, created_by=user)
    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def run_import_job(job_id: int) -> int:
    """Read the export, store its posts in batches, keep the job's progress current."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    if not claimed:
        return 0
    job = ImportJob.objects.select_related("source").get(pk=job_id)
    try:
        items, errors = read_social_export(bytes(job.data), job.filename)
        ImportJob.objects.filter(pk=job.pk).update(total=len(items), errors=errors)
        added = 0
        for i in range(0, len(items), IMPORT_BATCH):
            batch = items[i:i + IMPORT_BATCH]
            added += len(save_raw_items(job.source, batch))
            ImportJob.objects.filter(pk=job.pk).update(done=i + len(batch), added=added)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, finished_at=timezone.now(),
                                                   data=b"")
        Source.objects.filter(pk=job.source_id).update(last_success_at=timezone.now(), last_error="")
        return added
    except Exception as e:  # noqa: BLE001 - the officer sees why on the job; the data stays for a retry
        log.exception("import %s failed", job_id)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(),
            errors=[*job.errors, f"Impor gagal: {e}"][:101])
        return 0
