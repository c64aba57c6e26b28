from celery import shared_task


@shared_task
def rakor_deadline_sweep() -> dict[str, int]:
    from satupintu.rakor.deadlines import rakor_deadline_sweep as sweep

    return sweep()
