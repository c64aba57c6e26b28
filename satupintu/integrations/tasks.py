"""Integrations background jobs: warning before API keys end (CELERY_BEAT_SCHEDULE "api-key-expiry")."""

from __future__ import annotations

from celery import shared_task


@shared_task
def warn_ending_keys() -> int:
    from satupintu.integrations.keys import warn_ending_keys as warn

    return warn()
