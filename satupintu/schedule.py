"""The periodic jobs (Celery beat), declared in code; django-celery-beat mirrors them into the
database. Beat runs in UTC: a job meant for a local hour says so in its comment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery.schedules import crontab

from satupintu.core.env import env_int


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "outbox-flush": {"task": "satupintu.notifications.tasks.outbox_flush", "schedule": timedelta(seconds=30)},
        "sla-sweep": {"task": "satupintu.services.tasks.sla_sweep", "schedule": timedelta(minutes=5)},
        # WhatsApp webhook events the broker never carried (Redis down) are handled here.
        "whatsapp-sweep": {"task": "satupintu.whatsapp.tasks.sweep_events", "schedule": timedelta(minutes=1)},
        "upload-stash-purge": {"task": "satupintu.services.tasks.upload_stash_purge", "schedule": timedelta(minutes=15)},
        # Expired sessions (Django keeps them until `clearsessions`); 19:00 UTC is 02:00 WIB, a quiet hour.
        "session-purge": {"task": "satupintu.core.tasks.purge_expired_sessions", "schedule": crontab(hour=19, minute=0)},
        "report-deadline-sweep": {"task": "satupintu.feedback.tasks.report_deadline_sweep",
                                  "schedule": timedelta(minutes=10)},
        "rakor-deadline-sweep": {"task": "satupintu.rakor.tasks.rakor_deadline_sweep", "schedule": timedelta(hours=1)},
        # SKM dashboards read monthly tallies; answers newer than the last rebuild are added live.
        "skm-tallies": {"task": "satupintu.feedback.tasks.refresh_survey_tallies", "schedule": timedelta(hours=1)},
        # Humas scorecards read monthly figures (this month and the last), rebuilt here.
        "humas-figures": {"task": "satupintu.humas.tasks.refresh_humas_figures", "schedule": timedelta(hours=1)},
        # Situation Room: sources say when they are due (interval, backoff); this only looks.
        "situation-fetch": {"task": "satupintu.situation.tasks.fetch_due_sources",
                            "schedule": timedelta(minutes=env_int("SITUATION_FETCH_EVERY_MINUTES", 2))},
        # The other apps' cases: each says when it is due (poll interval, or backoff); this only looks.
        "bridge-poll": {"task": "satupintu.bridge.tasks.poll_external_cases", "schedule": timedelta(minutes=5)},
        "api-key-expiry": {"task": "satupintu.integrations.tasks.warn_ending_keys", "schedule": crontab(hour=1, minute=0)},
        # Approved documents the signing service could not sign yet (it was down), with backoff.
        "documents-sign-due": {"task": "satupintu.documents.tasks.sign_due", "schedule": timedelta(minutes=1)},
        # Uploaded exports whose task was lost (broker down) or whose worker died, taken up again.
        "situation-import-resume": {"task": "satupintu.situation.tasks.resume_imports", "schedule": timedelta(minutes=5)},
        "situation-internal": {"task": "satupintu.situation.tasks.sync_internal_reports", "schedule": timedelta(minutes=10)},
        "situation-trends": {"task": "satupintu.situation.tasks.detect_trends", "schedule": timedelta(minutes=15)},
        # Early warning (kewaspadaan dini): every region's conflict-potential index and zone.
        "situation-warning": {"task": "satupintu.situation.tasks.compute_warning",
                              "schedule": timedelta(minutes=env_int("SITUATION_WARNING_EVERY_MINUTES", 30))},
        # Response cases past their deadline go up one level (Kankemenag -> Kanwil -> Pusat).
        "situation-response-escalation": {"task": "satupintu.situation.tasks.escalate_responses",
                                          "schedule": timedelta(minutes=10)},
        # Beat runs in UTC: 23:00 UTC is 06:00 WIB, so leaders find the brief in the morning.
        "situation-brief-daily": {"task": "satupintu.situation.tasks.send_briefs", "args": ("daily",),
                                  "schedule": crontab(hour=23, minute=0)},
        "situation-brief-weekly": {"task": "satupintu.situation.tasks.send_briefs", "args": ("weekly",),
                                   "schedule": crontab(hour=23, minute=15, day_of_week=0)},
    }
