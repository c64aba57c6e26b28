"""Housekeeping jobs of the whole site (Celery beat, satupintu/schedule.py)."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task
def purge_expired_sessions() -> None:
    """Delete sessions past their expiry, as Django's `clearsessions` does. Every visit without a
    cookie that opens a form stores a session (the form's upload stash, the anti-double-send key):
    without this job the table only grew, expired rows included."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
