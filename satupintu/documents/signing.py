"""Making the signature. sign_now (the task) takes the letter's number, draws the final PDF/A,
has it signed and hands it over as the application's product; the sweep (sign_due) tries again
with backoff while the signing service is down. Uploads and receipts are sealed at once with the
office's electronic seal and handed over the same way. The signer's approval that comes before
is in issuing.py.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from satupintu.core.actors import step_note
from satupintu.core.errors import DomainError
from satupintu.core.texts import fitted
from satupintu.documents import numbering, passphrases, pdfa, rendering, signers
from satupintu.documents.letters import _city, _letter, _office_signing
from satupintu.documents.lifecycle import _check_application_open, _closed_reason, _discard_for_closed, _event, _token
from satupintu.documents.models import SEAL_NAME, IssuedDocument, Kind, Source, State
from satupintu.organization.models import Office
from satupintu.services import workflow
from satupintu.services.models import Application, Document, DocumentKind

# The logger's name from before issuing.py was split in parts: searches and alerts look for it.
log = logging.getLogger("satupintu.documents.issuing")


# Backoff while the signing service is down: 1, 2, 4 ... minutes, at most DOCUMENT_SIGNING_RETRY_MAX_MINUTES.
_FIRST_RETRY = timedelta(minutes=1)


# --- signing: the task and the sweep ------------------------------------------------------

def _signature_request(doc: IssuedDocument) -> signers.SignatureRequest:
    signing = _office_signing(doc.office)
    return signers.SignatureRequest(
        key_id=f"user-{doc.signer_id}", signer_name=doc.signer_name, signer_title=doc.signer_title,
        organization=doc.office.name, reason=f"Penerbitan {doc.title}", location=_city(doc.office),
        nik=getattr(signing, "signer_nik", "") or "")


def sign_now(pk: int, *, now: datetime | None = None) -> IssuedDocument | None:
    """Sign one approved document: take its number, draw the final PDF/A, sign it, hand it to the
    application. Holds the row lock throughout, so two workers never sign it twice."""
    now = now or timezone.now()
    with transaction.atomic():
        doc = (IssuedDocument.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("application", "office", "template").filter(pk=pk, state=State.SIGNING).first())
        if doc is None:
            return None
        if doc.template is None:
            _fail(doc, "template_missing", "Templat dokumen sudah dihapus; siapkan ulang dokumennya.", now=now,
                  permanent=True)
            return doc
        try:
            _check_application_open(doc)  # before the signing service is asked (and a number taken)
        except DomainError as exc:
            _refuse_for_application(doc, exc, now=now)
            return doc
        if not doc.letter_number:
            # The letter's date (its approval), not the moment a retry after an outage got through.
            doc.letter_number = numbering.next_number(doc.office, classification=doc.template.classification,
                                                      at=doc.approved_at or now)
            doc.save(update_fields=["letter_number"])
        passphrase = passphrases.peek(doc.pk)
        if passphrases.needed() and passphrase is None:
            _fail(doc, "passphrase_expired", "Persetujuan kedaluwarsa sebelum layanan tanda tangan pulih; setujui "
                                             "dan masukkan passphrase lagi.", now=now, permanent=True)
            return doc
        try:
            unsigned = _letter(doc, doc.template, at=doc.approved_at or now, draft=False)
            signed = signers.signer_from_settings().sign(unsigned, _signature_request(doc), passphrase=passphrase)
        except signers.SigningUnavailable as exc:
            _fail(doc, "unavailable", str(exc) or "Layanan tanda tangan tidak tersedia.", now=now, permanent=False)
            return doc
        except signers.SigningRefused as exc:
            passphrases.drop(doc.pk)
            _fail(doc, getattr(exc, "code", "refused"), str(exc), now=now, permanent=True)
            return doc
        try:
            _check_application_open(doc, lock=True)  # again: it may have been rejected while signing
        except DomainError as exc:
            _refuse_for_application(doc, exc, now=now)
            return doc
        _issue(doc, signed, now=now)
    passphrases.drop(doc.pk)
    return doc


def _refuse_for_application(doc: IssuedDocument, exc: DomainError, *, now: datetime) -> None:
    """The application moved on while the letter waited: rejected or withdrawn, the letter is
    discarded (back in the signer's queue it would wait for ever); asked for more documents, it
    goes back to the signer, to approve again once the application is back in process."""
    reason = _closed_reason(doc)
    if reason is not None:
        _discard_for_closed(doc, reason, now=now)
        return
    passphrases.drop(doc.pk)
    _fail(doc, exc.code, str(exc), now=now, permanent=True)


def _fail(doc: IssuedDocument, code: str, message: str, *, now: datetime, permanent: bool) -> None:
    doc.attempts += 1
    doc.last_error = message[:300]
    if permanent:  # the signer must look at it again
        doc.state = State.AWAITING
        doc.next_attempt_at = None
        _event(doc, "signing_refused", note=f"{code}: {message}", now=now)
    else:
        delay = min(_FIRST_RETRY * (2 ** min(doc.attempts - 1, 10)),
                    timedelta(minutes=settings.DOCUMENT_SIGNING_RETRY_MAX_MINUTES))
        doc.next_attempt_at = now + delay
        _event(doc, "signing_failed", note=f"Percobaan {doc.attempts}: {message}", now=now)
    doc.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])


def _store_signed(doc: IssuedDocument, signed: bytes, name: str) -> None:
    doc.file.save(name, ContentFile(signed), save=False)
    doc.sha256 = hashlib.sha256(signed).hexdigest()
    doc.size = len(signed)


def _product_name(doc: IssuedDocument) -> str:
    """``surat-keterangan-pengganti-ijazah-HXC3S-CF8KL.pdf``: what it is and whose."""
    whose = doc.application.tracking_code if doc.application is not None else doc.token
    return f"{slugify(doc.title)[:60] or 'dokumen'}-{whose}.pdf"


def _issue(doc: IssuedDocument, signed: bytes, *, now: datetime) -> None:
    """The signed file becomes the application's product (the older one is superseded)."""
    app = doc.application
    _store_signed(doc, signed, _product_name(doc))
    doc.state = State.VALID
    doc.signed_at = now
    doc.next_attempt_at = None
    doc.last_error = ""
    doc.signature_backend = settings.DOCUMENT_SIGNING_BACKEND
    if app is not None:
        Document.objects.filter(application=app, kind=DocumentKind.PRODUCT).update(superseded=True)
        doc.product = Document.objects.create(
            application=app, kind=DocumentKind.PRODUCT, original_name=_product_name(doc),
            content_type="application/pdf", size=doc.size, sha256=doc.sha256, uploaded_at=now,
            uploaded_by=doc.signer, file=doc.file.name)
        workflow.record_event(app, action="issue_document", user=doc.signer, now=now,
                              note=f"{doc.title} Nomor {doc.letter_number}".strip())
    doc.save()
    _event(doc, "signed", user=doc.signer, now=now,
           **step_note(gettext_noop("Ditandatangani (%(backend)s); SHA-256 %(digest)s…"),
                       backend=settings.DOCUMENT_SIGNING_BACKEND, digest=doc.sha256[:16]))
    _retire_others(doc, user=doc.signer, now=now)


def _retire_others(doc: IssuedDocument, *, user, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """One valid product per application: the one it replaces, and any other still valid (a letter
    prepared again instead of reissued, an upload made while a letter was being signed), now read
    "replaced" on /verifikasi/. Left valid, two letters of one application verified as in force."""
    older = Q(pk=doc.replaces_id) if doc.replaces_id else Q(pk__in=[])
    if doc.application_id is not None and doc.kind == Kind.PRODUCT:
        older |= Q(application_id=doc.application_id, kind=Kind.PRODUCT)
    for old in IssuedDocument.objects.select_for_update().filter(older, state=State.VALID).exclude(pk=doc.pk):
        old.state = State.REPLACED
        old.save(update_fields=["state"])
        _event(old, "replaced", user=user, now=now, **step_note(gettext_noop("Diganti dokumen %(token)s"), token=doc.token))


def sign_due(*, now: datetime | None = None) -> int:
    """The sweep: every approved document whose attempt is due (the service was down, or the
    broker lost the task)."""
    now = now or timezone.now()
    due = list(IssuedDocument.objects.filter(state=State.SIGNING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:50])
    done = 0
    for pk in due:
        try:
            doc = sign_now(pk, now=now)
        except Exception:
            # One document that fails in a way nobody foresaw (a damaged key file, a bug) must not
            # stop the sweep for every other one, every minute: it waits with the usual backoff.
            log.exception("document %s: signing failed unexpectedly; retried later", pk)
            _record_unexpected_failure(pk, now=now)
            continue
        done += int(doc is not None and doc.state == State.VALID)
    return done


def _record_unexpected_failure(pk: int, *, now: datetime) -> None:
    with transaction.atomic():
        doc = (IssuedDocument.objects.select_for_update(skip_locked=True)
               .filter(pk=pk, state=State.SIGNING).first())
        if doc is not None:
            _fail(doc, "error", "Terjadi kesalahan sistem saat menandatangani; dicoba lagi otomatis.", now=now,
                  permanent=False)


# --- seals: uploads and receipts ------------------------------------------------------------

def _seal_request(office: Office, what: str) -> signers.SignatureRequest:
    return signers.SignatureRequest(
        key_id=f"seal-{office.code}", signer_name=SEAL_NAME % {"office": office.name}, signer_title="Satu Pintu",
        organization=office.name, reason=what, location=_city(office), nik=settings.DOCUMENT_SIGNING_SEAL_NIK)


def _seal_name(office: Office) -> str:
    """Who signed a sealed document, as stored: an office's name runs to 200 characters, the column
    to 150 (the certificate, _seal_request, keeps the whole name)."""
    return fitted(IssuedDocument, "signer_name", SEAL_NAME % {"office": office.name})


def seal_upload(app: Application, data: bytes, content_type: str, *, original_name: str, user,  # type: ignore[no-untyped-def]
                now: datetime, written=None) -> tuple[IssuedDocument, bytes]:
    """A product made elsewhere, stamped with the QR code and token, and signed with the
    office's electronic seal. Called inside the upload's transaction: if sealing fails nothing
    of the upload is kept."""
    if content_type != "application/pdf":
        data = pdfa.image_to_pdf(data, content_type)
    token = _token()
    try:
        stamped = pdfa.stamp_seal(data, verify_url=rendering.verify_url(token), token=token,
                                  label=f"{app.office.name}")
        signed = signers.signer_from_settings().sign(stamped, _seal_request(app.office, f"Produk layanan {app.tracking_code}"))
    except (signers.SigningUnavailable, signers.SigningRefused) as exc:
        raise DomainError("signing_unavailable",
                          "Segel elektronik tidak dapat dibubuhkan saat ini (%(reason)s). Produk belum disimpan; coba "
                          "lagi beberapa saat lagi.", status=503, params={"reason": str(exc)}) from exc
    except DomainError:
        raise
    except Exception as exc:  # a PDF we cannot write into (encrypted, broken)
        raise DomainError("product_unreadable", "Berkas PDF tidak dapat dibubuhi segel (terenkripsi atau rusak). "
                                                "Simpan ulang sebagai PDF biasa lalu unggah lagi.",
                          field="product") from exc
    replaces = IssuedDocument.objects.filter(application=app, kind=Kind.PRODUCT, state=State.VALID).order_by(
        "-signed_at").first()
    doc = IssuedDocument(
        token=token, kind=Kind.PRODUCT, source=Source.UPLOAD, state=State.VALID, application=app, office=app.office,
        title=fitted(IssuedDocument, "title", app.service.product or app.service.name),  # a product runs to 300
        recipient_name=app.applicant_name, prepared_by=user,
        prepared_at=now, signer_name=_seal_name(app.office), signer_title="Satu Pintu",
        approved_at=now, signed_at=now, signature_backend=settings.DOCUMENT_SIGNING_BACKEND, replaces=replaces)
    _store_signed(doc, signed, _product_name(doc))
    if written is not None:  # removed again if the upload's transaction does not commit
        written.add(doc.file)
    doc.save()
    _event(doc, "sealed", user=user, now=now,
           **step_note(gettext_noop("Produk diunggah (%(name)s) dan disegel"), name=original_name[:100]))
    _retire_others(doc, user=user, now=now)
    return doc, signed


def receipt_document(app: Application) -> IssuedDocument | None:
    """The application's sealed receipt, made once on first request; None (an unsealed receipt
    is served) when the seal cannot be made now: it is tried again next time."""
    from satupintu.services.receipts import receipt_pdf

    existing = IssuedDocument.objects.filter(application=app, kind=Kind.RECEIPT, state=State.VALID).first()
    if existing is not None:
        return existing
    now = timezone.now()
    token = _token()
    try:
        signed = signers.signer_from_settings().sign(
            receipt_pdf(app, token=token), _seal_request(app.office, f"Bukti permohonan {app.tracking_code}"))
    except (signers.SigningUnavailable, signers.SigningRefused) as exc:
        log.warning("receipt %s not sealed: %s", app.tracking_code, exc)
        return None
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=app.pk)  # one receipt even when two ask at once
        existing = IssuedDocument.objects.filter(application=app, kind=Kind.RECEIPT, state=State.VALID).first()
        if existing is not None:
            return existing
        doc = IssuedDocument(
            token=token, kind=Kind.RECEIPT, source=Source.SYSTEM, state=State.VALID, application=app,
            office=app.office, title=f"Bukti Permohonan {app.tracking_code}", recipient_name=app.applicant_name,
            prepared_at=now, signer_name=_seal_name(app.office), signer_title="Satu Pintu",
            approved_at=now, signed_at=now, signature_backend=settings.DOCUMENT_SIGNING_BACKEND)
        _store_signed(doc, signed, f"bukti-{app.tracking_code}.pdf")
        doc.save()
        _event(doc, "sealed", now=now, **step_note(gettext_noop("Bukti permohonan disegel")))
    return doc
