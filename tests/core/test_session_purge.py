"""Expired sessions are deleted every night (beat job "session-purge"): each cookieless visit to a
form stores one, and nothing deleted them before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from satupintu.celery import app
from satupintu.schedule import beat_schedule

pytestmark = pytest.mark.django_db


def test_the_nightly_job_deletes_expired_sessions_and_keeps_live_ones():
    old, live = SessionStore(), SessionStore()
    old["x"], live["x"] = 1, 1
    old.save()
    live.save()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - timedelta(minutes=1))
    job = beat_schedule()["session-purge"]
    app.loader.import_default_modules()  # the worker's task discovery
    app.tasks[job["task"]].delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
