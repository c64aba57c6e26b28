"""The worker's side of WhatsApp: handle stored webhook events; sweep the ones left behind."""

from __future__ import annotations

from celery import shared_task

from satupintu.whatsapp import inbound


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=5)
def handle_event(event_id: int) -> bool:
    return inbound.process_event(event_id)


@shared_task
def sweep_events() -> int:
    """Events the broker never carried (Redis down) or that failed: handled now, in order."""
    done = 0
    for event_id in inbound.unprocessed_ids():
        try:
            done += inbound.process_event(event_id)
        except Exception:  # one bad event must not stop the rest; it is tried again next sweep
            continue
    return done
