"""Issuing a service's product: prepare (from the template, or an upload), approve, sign,
revoke, reissue. Every step is one function; views, tasks and the demo call these.

The lifecycle of a template document:
  prepare_from_template  -> DRAFT      the officer reads the draft (watermarked "DRAF")
  submit_for_signature   -> AWAITING   the officer vouches for its content
  approve_and_sign       -> SIGNING    the signer's explicit, audited act (second factor)
  sign_now (task)        -> VALID      number taken, final PDF/A drawn, signed, handed over
A signing service that is down leaves the document SIGNING with the next attempt's time: the
sweep tries again with backoff, and nothing is visible to the citizen meanwhile. A refusal
(a certificate problem, a wrong passphrase) sends it back to AWAITING with the reason.

An upload (a product made elsewhere) is sealed at once: the QR code and the token are stamped
on its first page and the office's electronic seal signs it (seal_upload).

In parts: letters.py (the template, who signs and where, the letter drawn; the office's signing
settings), lifecycle.py (a document's token and history, the application its letter follows),
signing.py (sign_now, the sweep, the seals); here, every step a person takes. What views, tasks,
the demo and services import stays importable from here.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from satupintu.core.actors import step_note
from satupintu.core.errors import DomainError
from satupintu.core.texts import fitted
from satupintu.documents import access, passphrases
from satupintu.documents.letters import (
    _letter,
    office_signing_errors,
    office_signing_update,
    signer_for,
    template_for,
    template_save,
)
from satupintu.documents.lifecycle import (
    _CLOSED_REASONS,
    _OPEN,
    _check_application_open,
    _discard_for_closed,
    _event,
    _token,
)
from satupintu.documents.models import IssuedDocument, Kind, Source, State
from satupintu.documents.signing import receipt_document, seal_upload, sign_due, sign_now
from satupintu.services import workflow
from satupintu.services.models import Application, Document, Status

__all__ = [
    "approve_and_sign", "discard", "office_signing_errors", "office_signing_update", "prepare_from_template",
    "receipt_document", "record_approval", "reissue", "revoke", "seal_upload", "send_back", "sign_due", "sign_now",
    "signer_for", "submit_for_signature", "template_for", "template_save", "void_for_closed_application",
]

log = logging.getLogger(__name__)


# --- preparing ----------------------------------------------------------------------------

def _check_can_prepare(app: Application, user) -> None:  # type: ignore[no-untyped-def]
    if not access.may_prepare(user, app):
        raise DomainError("forbidden", "Anda tidak berwenang menyiapkan dokumen permohonan ini.", status=403)
    if app.status not in _OPEN:
        raise DomainError("invalid_transition", "Dokumen hanya bisa disiapkan saat permohonan diproses.", status=409)


def prepare_from_template(app: Application, *, user, replaces: IssuedDocument | None = None,  # type: ignore[no-untyped-def]
                          now: datetime | None = None) -> IssuedDocument:
    """A draft of the service's letter for this application (an earlier unsigned draft is
    discarded: one draft at a time)."""
    now = now or timezone.now()
    with transaction.atomic():
        # Checked under the application's lock: rejected or withdrawn since the page was read, it
        # gets no draft (the void of its letters has run, or waits for this one to be made).
        app = Application.objects.select_for_update().get(pk=app.pk)
        _check_can_prepare(app, user)
        template = template_for(app)
        if template is None:
            raise DomainError("no_template", "Layanan ini belum memiliki templat dokumen.", status=409)
        pending = IssuedDocument.objects.select_for_update().filter(
            application=app, kind=Kind.PRODUCT, state__in=[State.DRAFT, State.AWAITING])
        for old in pending:
            old.state = State.DISCARDED
            old.save(update_fields=["state"])
            _event(old, "discarded", user=user, now=now, **step_note(gettext_noop("Diganti draf baru")))
        if IssuedDocument.objects.filter(application=app, kind=Kind.PRODUCT, state=State.SIGNING).exists():
            raise DomainError("signing_in_progress", "Dokumen permohonan ini sedang ditandatangani.", status=409)
        doc = IssuedDocument(
            token=_token(), kind=Kind.PRODUCT, source=Source.TEMPLATE, state=State.DRAFT, application=app,
            office=app.office, template=template, title=template.title, recipient_name=app.applicant_name,
            prepared_by=user, prepared_at=now, replaces=replaces)
        pdf = _letter(doc, template, at=now, draft=True)
        doc.source_file.save(f"draf-{app.tracking_code}.pdf", ContentFile(pdf), save=False)
        doc.save()
        _event(doc, "prepared", user=user, now=now,
               **step_note(gettext_noop("Draf dari templat: %(title)s"), title=template.title))
    return doc


def submit_for_signature(doc: IssuedDocument, *, user) -> IssuedDocument:  # type: ignore[no-untyped-def]
    """The officer has read the draft and sends it to the signer."""
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update(of=("self",)).select_related("application").get(pk=doc.pk)
        if doc.application is None or not access.may_prepare(user, doc.application):
            raise DomainError("forbidden", "Anda tidak berwenang mengajukan dokumen ini.", status=403)
        if doc.state != State.DRAFT:
            raise DomainError("invalid_state", "Hanya draf yang dapat diajukan untuk ditandatangani.", status=409)
        _check_application_open(doc)
        doc.state = State.AWAITING
        doc.last_error = ""
        doc.save(update_fields=["state", "last_error"])
        _event(doc, "submitted", user=user, **step_note(gettext_noop("Diajukan untuk ditandatangani")))
    return doc


def send_back(doc: IssuedDocument, *, user, note: str) -> IssuedDocument:  # type: ignore[no-untyped-def]
    """The signer returns the draft to the officer with what to change."""
    note = (note or "").strip()
    if not note:
        raise DomainError("note_required", "Tuliskan apa yang perlu diperbaiki.", field="note")
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update().get(pk=doc.pk)
        if not access.may_sign(user, doc.office):
            raise DomainError("forbidden", "Anda bukan penanda tangan dokumen kantor ini.", status=403)
        if doc.state != State.AWAITING:
            raise DomainError("invalid_state", "Dokumen ini tidak sedang menunggu tanda tangan.", status=409)
        doc.state = State.DRAFT
        doc.last_error = note[:300]
        doc.save(update_fields=["state", "last_error"])
        _event(doc, "sent_back", user=user, note=note)
    return doc


# --- approving ----------------------------------------------------------------------------

def _check_second_factor(user, code: str, passkey_confirmed: bool) -> str:  # type: ignore[no-untyped-def]
    """In production signing asks for the signer's second factor again: a session left open on a
    desk must not be enough to sign in the head's name. Either the authenticator code, or a passkey
    the signer just used on the document's page (core/passkeys.py; the view says whether). Returns
    how, for the document's history."""
    if not settings.DOCUMENT_SIGNING_SECOND_FACTOR:
        return ""
    if passkey_confirmed:
        return " (dengan kunci keamanan)"
    from django_otp import match_token

    from satupintu.core import ratelimit, two_factor

    if ratelimit.exhausted(ratelimit.SIGN_CODE_TRIES, user.pk):
        raise ratelimit.RateLimited(ratelimit.SIGN_CODE_TRIES)
    code = (code or "").strip().replace(" ", "")
    if not code:
        if not two_factor.has_totp(user) and two_factor.has_passkey(user):
            raise DomainError("passkey_required", "Konfirmasi dulu dengan kunci keamanan atau passkey Anda untuk "
                              "menandatangani.", field="passkey")
        raise DomainError("code_required", "Masukkan kode dari aplikasi autentikator Anda untuk menandatangani.",
                          field="code")
    if match_token(user, code) is None:
        ratelimit.take(ratelimit.SIGN_CODE_TRIES, user.pk)
        raise DomainError("code_invalid", "Kode autentikator salah atau kedaluwarsa.", field="code")
    return " (dengan kode autentikator)"


def approve_and_sign(doc: IssuedDocument, *, user, code: str = "", passphrase: str = "",  # type: ignore[no-untyped-def]
                     ip: str | None = None, now: datetime | None = None,
                     passkey_confirmed: bool = False) -> IssuedDocument:
    """The signer's decision. The signature itself is made by the task (sign_now), right after
    this commits, and again later if the signing service is down. With BSrE the signer's own
    passphrase comes along (documents/passphrases.py keeps it for the retries only)."""
    if not access.may_sign(user, doc.office):
        raise DomainError("forbidden", "Anda bukan penanda tangan dokumen kantor ini.", status=403)
    if passphrases.needed() and not passphrase:
        raise DomainError("passphrase_required", "Masukkan passphrase tanda tangan elektronik Anda.",
                          field="passphrase")
    how = _check_second_factor(user, code, passkey_confirmed)
    return record_approval(doc, user=user, ip=ip, now=now, note=f"Disetujui dan ditandatangani{how}",
                           passphrase=passphrase)


def record_approval(doc: IssuedDocument, *, user, note: str, ip: str | None = None,  # type: ignore[no-untyped-def]
                    now: datetime | None = None, passphrase: str = "") -> IssuedDocument:
    """The approval itself, once the signer's identity was checked (approve_and_sign; the demo
    acts as the head without an authenticator)."""
    now = now or timezone.now()
    if not access.may_sign(user, doc.office):
        raise DomainError("forbidden", "Anda bukan penanda tangan dokumen kantor ini.", status=403)
    held = False
    try:
        with transaction.atomic():
            doc = IssuedDocument.objects.select_for_update().get(pk=doc.pk)
            if doc.state != State.AWAITING:
                raise DomainError("invalid_state", "Dokumen ini tidak sedang menunggu tanda tangan.", status=409)
            _check_application_open(doc)
            if passphrase:
                # Held before the signing task can run: it is queued on commit, which without an
                # outer transaction (a worker, CELERY_TASK_ALWAYS_EAGER) is as this block ends.
                passphrases.hold(doc.pk, passphrase)
                held = True
            _, _, title = signer_for(doc.office)
            doc.state = State.SIGNING
            doc.signer = user
            # A full name runs to 301 characters and "Kepala " + the office's name past 200: the columns'.
            doc.signer_name = fitted(IssuedDocument, "signer_name", user.get_full_name() or user.get_username())
            doc.signer_title = fitted(IssuedDocument, "signer_title", title)
            doc.approved_at = now
            doc.next_attempt_at = now
            doc.attempts = 0
            doc.last_error = ""
            doc.save()
            _event(doc, "approved", user=user, ip=ip, now=now, note=note)
            transaction.on_commit(lambda: _enqueue(doc.pk))
    except Exception:
        if held:  # the approval did not happen: nothing may sign with it later
            passphrases.drop(doc.pk)
        raise
    return doc


def _enqueue(pk: int) -> None:
    from satupintu.documents.tasks import sign_document

    try:
        sign_document.delay(pk)
    except Exception:  # the broker is down: the sweep (every minute) signs it
        log.warning("document %s: signing not queued; the sweep will sign it", pk)


# --- after issuing ------------------------------------------------------------------------

def revoke(doc: IssuedDocument, *, user, reason: str, ip: str | None = None) -> IssuedDocument:  # type: ignore[no-untyped-def]
    """The document is no longer valid; the verification page says so, with the reason."""
    reason = (reason or "").strip()
    if not access.may_revoke(user, doc):
        raise DomainError("forbidden", "Anda tidak berwenang mencabut dokumen ini.", status=403)
    if not reason:
        raise DomainError("reason_required", "Tuliskan alasan pencabutan; alasan ini tampil di halaman verifikasi.",
                          field="reason")
    now = timezone.now()
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update().get(pk=doc.pk)
        if doc.state not in (State.VALID, State.REPLACED):
            raise DomainError("invalid_state", "Hanya dokumen yang sudah terbit yang dapat dicabut.", status=409)
        _mark_revoked(doc, reason, user=user, ip=ip, now=now)
        if doc.application_id:
            workflow.record_event(doc.application, action="revoke_document", user=user, now=now,  # type: ignore[arg-type]
                                  note=f"{doc.title}: {reason}")
    return doc


def _mark_revoked(doc: IssuedDocument, reason: str, *, user, now: datetime, ip: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """The row (locked by the caller) reads revoked with its reason; its product file is no longer
    the citizen's product."""
    doc.state = State.REVOKED
    doc.revoked_at, doc.revoked_reason = now, reason[:300]
    doc.revoked_by = user if getattr(user, "is_authenticated", False) else None  # None: the citizen withdrew
    doc.save(update_fields=["state", "revoked_at", "revoked_by", "revoked_reason"])
    if doc.product_id:
        Document.objects.filter(pk=doc.product_id).update(superseded=True)
    _event(doc, "revoked", user=user, ip=ip, note=reason, now=now)


def void_for_closed_application(app: Application, *, user, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """The application was rejected or withdrawn while in process: a letter already signed for it
    is revoked (else it would verify as in force for a service that was refused) and a draft or a
    letter awaiting signature is discarded. A letter being signed fails at sign_now's check.
    Called by ``workflow.application_transition`` inside its transaction."""
    reason = _CLOSED_REASONS[Status(app.status)]
    # skip_locked: a letter a worker is signing right now is left to it; sign_now's second check
    # of the application (under its lock) sees the rejection and discards it.
    docs = IssuedDocument.objects.select_for_update(skip_locked=True).filter(
        application_id=app.pk, kind=Kind.PRODUCT,
        state__in=(State.VALID, State.DRAFT, State.AWAITING, State.SIGNING))
    for doc in docs:
        if doc.state == State.VALID:
            _mark_revoked(doc, reason, user=user, now=now)
        else:
            _discard_for_closed(doc, reason, user=user, now=now)


def reissue(doc: IssuedDocument, *, user) -> IssuedDocument:  # type: ignore[no-untyped-def]
    """A new draft that will replace ``doc`` once signed (a template document); an uploaded
    product is reissued by uploading the corrected file."""
    if doc.application is None or doc.kind != Kind.PRODUCT:
        raise DomainError("not_reissuable", "Dokumen ini tidak dapat diterbitkan ulang.", status=409)
    if doc.state not in (State.VALID, State.REVOKED):
        raise DomainError("invalid_state", "Hanya dokumen yang sudah terbit atau dicabut yang dapat diterbitkan ulang.",
                          status=409)
    if doc.source != Source.TEMPLATE:
        raise DomainError("reissue_by_upload", "Unggah produk yang sudah diperbaiki untuk menggantinya.", status=409)
    new = prepare_from_template(doc.application, user=user, replaces=doc)
    _event(doc, "reissue_started", user=user, **step_note(gettext_noop("Draf pengganti %(token)s"), token=new.token))
    return new


def discard(doc: IssuedDocument, *, user) -> IssuedDocument:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update(of=("self",)).select_related("application").get(pk=doc.pk)
        if doc.application is None or not access.may_prepare(user, doc.application):
            raise DomainError("forbidden", "Anda tidak berwenang membatalkan draf ini.", status=403)
        if doc.state not in (State.DRAFT, State.AWAITING):
            raise DomainError("invalid_state", "Hanya draf yang dapat dibatalkan.", status=409)
        doc.state = State.DISCARDED
        doc.save(update_fields=["state"])
        _event(doc, "discarded", user=user)
    return doc
