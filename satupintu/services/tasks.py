from celery import shared_task

from satupintu.services import deadlines, upload_stash


@shared_task
def sla_sweep() -> dict[str, int]:
    return deadlines.sla_sweep()


@shared_task
def upload_stash_purge() -> int:
    """Remove the files kept for forms that were never sent again."""
    return upload_stash.stash_purge_expired()
