from celery import shared_task

from satupintu.feedback import deadlines


@shared_task
def report_deadline_sweep() -> dict[str, int]:
    return deadlines.report_deadline_sweep()


@shared_task
def refresh_survey_tallies() -> dict[str, int]:
    from satupintu.feedback.tallies import refresh_tallies

    return refresh_tallies()
