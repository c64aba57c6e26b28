"""Signing in the background: right after the signer approves (sign_document), and the sweep
(CELERY_BEAT_SCHEDULE "documents-sign-due") for what the signing service could not sign yet."""

from celery import shared_task

from satupintu.documents import issuing


@shared_task
def sign_document(pk: int) -> str:
    doc = issuing.sign_now(pk)
    return doc.state if doc is not None else "skipped"


@shared_task
def sign_due() -> int:
    return issuing.sign_due()
