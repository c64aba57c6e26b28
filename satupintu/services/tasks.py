from celery import shared_task

from satupintu.services import deadlines


@shared_task
def sla_sweep() -> dict[str, int]:
    return deadlines.sla_sweep()
