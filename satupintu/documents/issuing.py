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
from satupintu.documents import access, numbering, passphrases, pdfa, rendering, signers
from satupintu.documents.models import (
    SEAL_NAME,
    DocumentEvent,
    DocumentTemplate,
    IssuedDocument,
    Kind,
    OfficeSigning,
    Source,
    State,
)
from satupintu.documents.tokens import new_token
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.services import workflow
from satupintu.services.models import Application, Document, DocumentKind, Status

log = logging.getLogger(__name__)

# Backoff while the signing service is down: 1, 2, 4 ... minutes, at most DOCUMENT_SIGNING_RETRY_MAX_MINUTES.
_FIRST_RETRY = timedelta(minutes=1)


def _event(doc: IssuedDocument, action: str, *, user=None, note: str = "", ip: str | None = None,  # type: ignore[no-untyped-def]
           now: datetime | None = None, data: dict | None = None) -> None:
    DocumentEvent.objects.create(document=doc, at=now or timezone.now(), action=action, note=note[:300], ip=ip,
                                 actor=user if getattr(user, "is_authenticated", False) else None, data=data or {})


def _token() -> str:
    while True:
        token = new_token()
        if not IssuedDocument.objects.filter(token=token).exists():
            return token


# --- who signs --------------------------------------------------------------------------

def _office_signing(office: Office) -> OfficeSigning | None:
    """The office's signing settings as they apply now (read only, never saved). The title and
    NIK next to a named signer are theirs: once they have left the office, the head signs
    (access.named_signer_id) under the default title, and without that person's NIK, so BSrE is
    never asked to sign with the certificate of someone who no longer works there."""
    signing = OfficeSigning.objects.select_related("signer").filter(office=office).first()
    if signing is not None and access.named_signer_left(signing):
        signing.signer, signing.signer_title, signing.signer_nik = None, "", ""
    return signing


def signer_for(office: Office) -> tuple[object | None, str, str]:
    """(user, name, title) of the person who signs the office's letters: the named signer, else
    the office's head (an active account: a disabled one is not named on letters); the title
    defaults to the office head's."""
    signing = _office_signing(office)
    user = signing.signer if signing and signing.signer_id else None
    if user is None:
        head = StaffRole.objects.select_related("user").filter(office=office, role=Role.HEAD_OF_OFFICE,
                                                                     user__is_active=True).order_by("pk").first()
        user = head.user if head else None
    name = (user.get_full_name() or user.get_username()) if user else ""  # type: ignore[attr-defined]
    title = (signing.signer_title if signing and signing.signer_title else f"Kepala {office.name}")
    return user, name, title


def _city(office: Office) -> str:
    signing = OfficeSigning.objects.filter(office=office).first()
    if signing and signing.city:
        return signing.city
    name = office.region_name or office.name
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        name = name.removeprefix(prefix)
    return name.title() if name.isupper() else name


# --- templates ----------------------------------------------------------------------------

def template_for(app: Application) -> DocumentTemplate | None:
    """The office's own template of the service, else the national one."""
    return (DocumentTemplate.objects.filter(service=app.service, is_active=True)
            .filter(Q(office=app.office) | Q(office__isnull=True))
            .order_by("office_id").last())  # an office's row sorts after the national (NULL first)


def template_save(template: DocumentTemplate) -> DocumentTemplate:
    """Checks a template's placeholders before keeping it (an unknown one would print "…")."""
    fields = set(template.service.fields.values_list("name", flat=True))
    unknown = rendering.unknown_placeholders(template.body, fields)
    if unknown:
        raise DomainError("unknown_placeholder", "Isian templat tidak dikenal: %(names)s.", field="body",
                          params={"names": ", ".join("{{ %s }}" % n for n in unknown)})
    if not template.body.strip():
        raise DomainError("empty_template", "Isi templat tidak boleh kosong.", field="body")
    template.save()
    return template


def _letter(doc: IssuedDocument, template: DocumentTemplate, *, at: datetime, draft: bool) -> bytes:
    app = doc.application
    assert app is not None
    _, signer_name, signer_title = signer_for(doc.office)
    if doc.signer_name:
        signer_name, signer_title = doc.signer_name, doc.signer_title
    values = rendering.values_for(app, at=at)
    paragraphs = [p.strip() for p in rendering.fill(template.body, values).split("\n\n") if p.strip()]
    letter = rendering.Letter(
        office=doc.office, title=template.title, number="" if draft else doc.letter_number, paragraphs=paragraphs,
        recipient_line=rendering.recipient_line(app), city=_city(doc.office),
        date_text=rendering.tanggal(at, doc.office.timezone), signer_title=signer_title,
        signer_name=signer_name or "(penanda tangan belum ditetapkan)", verify_url=rendering.verify_url(doc.token),
        token=doc.token, draft=draft)
    return rendering.draw_letter(letter)


# --- preparing ----------------------------------------------------------------------------

# The application statuses its letter may be prepared, approved and signed in.
_OPEN = (Status.IN_PROCESS, Status.COMPLETED)


def _check_can_prepare(app: Application, user) -> None:  # type: ignore[no-untyped-def]
    if not access.may_prepare(user, app):
        raise DomainError("forbidden", "Anda tidak berwenang menyiapkan dokumen permohonan ini.", status=403)
    if app.status not in _OPEN:
        raise DomainError("invalid_transition", "Dokumen hanya bisa disiapkan saat permohonan diproses.", status=409)


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
            doc.signer_name = user.get_full_name() or user.get_username()
            doc.signer_title = title
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


def _signature_request(doc: IssuedDocument) -> signers.SignatureRequest:
    signing = _office_signing(doc.office)
    return signers.SignatureRequest(
        key_id=f"user-{doc.signer_id}", signer_name=doc.signer_name, signer_title=doc.signer_title,
        organization=doc.office.name, reason=f"Penerbitan {doc.title}", location=_city(doc.office),
        nik=getattr(signing, "signer_nik", "") or "")


def _seal_request(office: Office, what: str) -> signers.SignatureRequest:
    return signers.SignatureRequest(
        key_id=f"seal-{office.code}", signer_name=SEAL_NAME % {"office": office.name}, signer_title="Satu Pintu",
        organization=office.name, reason=what, location=_city(office), nik=settings.DOCUMENT_SIGNING_SEAL_NIK)


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


# Shown on /verifikasi/ to whoever holds the letter: a fixed reason, never the officer's note to the
# applicant (which may name people); stored in Indonesian, shown in the reader's language
# (verification.py and verify_token.html translate a stored reason that is one of these).
_CLOSED_REASONS = {
    Status.REJECTED: gettext_noop("Permohonan ditolak setelah dokumen ini terbit."),
    Status.WITHDRAWN: gettext_noop("Permohonan dicabut oleh pemohon setelah dokumen ini terbit."),
}


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


def _discard_for_closed(doc: IssuedDocument, reason: str, *, user=None, now: datetime) -> None:  # type: ignore[no-untyped-def]
    doc.state, doc.next_attempt_at = State.DISCARDED, None
    doc.save(update_fields=["state", "next_attempt_at"])
    _event(doc, "discarded", user=user, note=reason, now=now)
    passphrases.drop(doc.pk)


def _closed_reason(doc: IssuedDocument) -> str | None:
    """Why the letter's application will never take it (rejected, withdrawn), or None."""
    if doc.application_id is None:
        return None
    status = Application.objects.values_list("status", flat=True).get(pk=doc.application_id)
    return _CLOSED_REASONS.get(Status(status))


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


# --- seals: uploads and receipts ------------------------------------------------------------

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
        title=app.service.product or app.service.name, recipient_name=app.applicant_name, prepared_by=user,
        prepared_at=now, signer_name=SEAL_NAME % {"office": app.office.name}, signer_title="Satu Pintu",
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
            prepared_at=now, signer_name=SEAL_NAME % {"office": app.office.name}, signer_title="Satu Pintu",
            approved_at=now, signed_at=now, signature_backend=settings.DOCUMENT_SIGNING_BACKEND)
        _store_signed(doc, signed, f"bukti-{app.tracking_code}.pdf")
        doc.save()
        _event(doc, "sealed", now=now, **step_note(gettext_noop("Bukti permohonan disegel")))
    return doc



# --- the office's signing settings ----------------------------------------------------------

def office_signing_errors(office: Office, *, letter_code: str, city: str, signer, signer_title: str,  # type: ignore[no-untyped-def]
                          signer_nik: str) -> list[DomainError]:
    """Everything wrong with the office's signing settings, at once."""
    import re

    errors: list[DomainError] = []
    if letter_code and not re.fullmatch(r"[A-Za-z0-9.\-]{1,30}", letter_code):
        errors.append(DomainError("letter_code_invalid", "Kode kantor hanya huruf, angka, titik dan tanda hubung "
                                                         "(mis. Kk.21.14).", field="letter_code"))
    if signer is not None and not StaffRole.objects.filter(user=signer, office=office).exists():
        errors.append(DomainError("signer_not_staff", "Penanda tangan harus pegawai kantor ini.", field="signer"))
    if signer_nik and not re.fullmatch(r"[0-9]{16}", signer_nik):  # \d takes other scripts' digits too
        errors.append(DomainError("nik_invalid", "NIK terdiri dari 16 angka.", field="signer_nik"))
    if len(city) > 80:
        errors.append(DomainError("too_long", "Isian terlalu panjang.", field="city"))
    if len(signer_title) > 200:
        errors.append(DomainError("too_long", "Isian terlalu panjang.", field="signer_title"))
    return errors


def office_signing_update(office: Office, *, user, letter_code: str, city: str, signer,  # type: ignore[no-untyped-def]
                          signer_title: str, signer_nik: str) -> OfficeSigning:
    """The head names who signs (a deputy, "Plh."), the office's letter code and city."""
    from satupintu.core.errors import ValidationErrors

    is_head = any(r.office_id == office.pk and r.role == Role.HEAD_OF_OFFICE
                  for r in StaffRole.objects.filter(user=user)) or getattr(user, "is_superuser", False)
    if not is_head:
        raise DomainError("forbidden", "Hanya kepala kantor yang dapat menetapkan penanda tangan.", status=403)
    values = {"letter_code": (letter_code or "").strip(), "city": (city or "").strip(), "signer": signer,
              "signer_title": (signer_title or "").strip(), "signer_nik": (signer_nik or "").strip()}
    if errors := office_signing_errors(office, **values):
        raise ValidationErrors(errors)
    signing, _ = OfficeSigning.objects.get_or_create(office=office, defaults={"letter_code": ""})
    for name, value in values.items():
        setattr(signing, name, value)
    signing.save()
    log.info("office %s signing settings changed by %s (signer %s)", office.code, user.pk,
             getattr(signer, "pk", None))
    return signing
