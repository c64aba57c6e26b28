"""The worker's side of WhatsApp: handle stored webhook events; sweep the ones left behind."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task

from satupintu.whatsapp import inbound

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def drain_events() -> int:
    """Every stored event not handled yet, oldest first (queued by the webhook, once for many)."""
    from django.core.cache import cache

    from satupintu.whatsapp.webhook import DRAIN_QUEUED

    try:
        cache.delete(DRAIN_QUEUED)  # first: an event stored from now on queues another drain
    except Exception:  # the flag expires by itself
        pass
    done = 0
    while ids := inbound.unprocessed_ids(older_than=timedelta(0)):
        before = done
        for event_id in ids:
            try:
                done += inbound.process_event(event_id)
            except Exception:  # logged by the task machinery; the sweep tries again later
                log.exception("whatsapp event %s failed", event_id)
        if done == before:
            break
    return done


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
