"""The Situation Room's background jobs: fetch due sources, bring internal reports in, read
uploaded exports, detect rises, send briefs. Each is small; the work is in plain functions."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task
def fetch_due_sources(limit: int = 50) -> dict[str, int]:
    from satupintu.situation.ingestion import fetch_due

    return fetch_due(limit=limit)


@shared_task
def sync_internal_reports() -> int:
    from satupintu.situation.internal import sync_reports

    return sync_reports()


@shared_task
def run_import(job_id: int) -> int:
    from satupintu.situation.ingestion import run_import_job

    return run_import_job(job_id)


@shared_task
def resume_imports() -> int:
    from satupintu.situation.ingestion import resume_imports as resume

    return resume()


@shared_task
def detect_trends() -> int:
    from satupintu.situation.trends import detect

    return len(detect())


@shared_task
def send_briefs(period: str = "daily") -> int:
    from satupintu.situation.briefs import send_due_briefs

    return send_due_briefs(period, timezone.now())


@shared_task
def compute_warning() -> int:
    """Early warning: every region's index and zone; returns how many zones changed."""
    from satupintu.situation.warning import compute

    return len(compute().changes)


@shared_task
def escalate_responses() -> int:
    from satupintu.situation.responses import escalate_due

    return escalate_due()
