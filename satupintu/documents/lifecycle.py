"""What every step of an issued document's life shares (issuing.py, signing.py): a fresh token,
a line of its history, and the application its letter follows. A letter moves only while its
application is in process; once the application is rejected or withdrawn, a letter not yet
signed is discarded with a fixed reason, the one /verifikasi/ shows.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from satupintu.core.errors import DomainError
from satupintu.documents import passphrases
from satupintu.documents.models import DocumentEvent, IssuedDocument, State
from satupintu.documents.tokens import new_token
from satupintu.services.models import Application, Status


def _event(doc: IssuedDocument, action: str, *, user=None, note: str = "", ip: str | None = None,  # type: ignore[no-untyped-def]
           now: datetime | None = None, data: dict | None = None) -> None:
    DocumentEvent.objects.create(document=doc, at=now or timezone.now(), action=action, note=note[:300], ip=ip,
                                 actor=user if getattr(user, "is_authenticated", False) else None, data=data or {})


def _token() -> str:
    while True:
        token = new_token()
        if not IssuedDocument.objects.filter(token=token).exists():
            return token


# --- the application a letter follows -----------------------------------------------------

# The application statuses its letter may be prepared, approved and signed in.
_OPEN = (Status.IN_PROCESS, Status.COMPLETED)


def _check_application_open(doc: IssuedDocument, *, lock: bool = False) -> None:
    """The application may have moved on since its letter was prepared (the citizen withdrew it,
    the officer rejected it or asked for more): no letter is approved or signed for it then.
    ``lock`` holds the application's row until the caller commits, so a rejection is either
    seen here or waits until the letter is issued."""
    if doc.application_id is None:
        return
    apps = Application.objects.select_for_update() if lock else Application.objects
    status = apps.values_list("status", flat=True).get(pk=doc.application_id)
    if status not in _OPEN:
        raise DomainError("application_not_in_process",
                          "Dokumen tidak dapat ditandatangani: permohonannya berstatus '%(status)s'.",
                          status=409, params={"status": Status(status).label})


# Shown on /verifikasi/ to whoever holds the letter: a fixed reason, never the officer's note to the
# applicant (which may name people); stored in Indonesian, shown in the reader's language
# (verification.py and verify_token.html translate a stored reason that is one of these).
_CLOSED_REASONS = {
    Status.REJECTED: gettext_noop("Permohonan ditolak setelah dokumen ini terbit."),
    Status.WITHDRAWN: gettext_noop("Permohonan dicabut oleh pemohon setelah dokumen ini terbit."),
}


def _closed_reason(doc: IssuedDocument) -> str | None:
    """Why the letter's application will never take it (rejected, withdrawn), or None."""
    if doc.application_id is None:
        return None
    status = Application.objects.values_list("status", flat=True).get(pk=doc.application_id)
    return _CLOSED_REASONS.get(Status(status))


def _discard_for_closed(doc: IssuedDocument, reason: str, *, user=None, now: datetime) -> None:  # type: ignore[no-untyped-def]
    doc.state, doc.next_attempt_at = State.DISCARDED, None
    doc.save(update_fields=["state", "next_attempt_at"])
    _event(doc, "discarded", user=user, note=reason, now=now)
    passphrases.drop(doc.pk)
