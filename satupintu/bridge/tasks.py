"""Periodic work: asking the other apps for the cases whose check is due (CELERY_BEAT_SCHEDULE
"bridge-poll"). Each case says when it is due (poll interval, or backoff after a failure)."""

from celery import shared_task

from satupintu.bridge import cases


@shared_task
def poll_external_cases() -> int:
    return cases.poll_due()
