"""Humas background jobs: the monthly figures (CELERY_BEAT_SCHEDULE "humas-figures")."""

from __future__ import annotations

from celery import shared_task


@shared_task
def refresh_humas_figures() -> int:
    """This month's and last month's figures, for every office (late fetches and imports land
    in the last month too)."""
    from satupintu.humas.figures import refresh_recent

    return refresh_recent()
