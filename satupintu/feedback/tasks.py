from celery import shared_task

from satupintu.feedback import deadlines


@shared_task
def report_deadline_sweep() -> dict[str, int]:
    return deadlines.report_deadline_sweep()
