"""Writes a citizen makes: submitting, completing the file, withdrawing, downloading the product."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from satupintu.core import ratelimit
from satupintu.core.errors import Conflict, DomainError
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import catalog, identity, messages, sla, uploads, workflow
from satupintu.services.catalog import Offer
from satupintu.services.models import Application, Document, DocumentKind, FieldType, FormField, Status
from satupintu.services.tracking_codes import new_tracking_code

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DUPLICATE_WINDOW = timedelta(minutes=30)


class ValidationErrors(DomainError):
    """Several problems at once: ``code``/``message`` are the first, ``errors`` all of them."""

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.code, first.message, field=first.field, status=first.status)
        self.errors = errors


@dataclass
class Submission:
    service: str
    office: str
    name: str
    nik: str
    phone: str
    email: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    submission_key: str | None = None
    user: User | AnonymousUser | None = None  # request.user; kept on the application when signed in
    # The public sender's address (core.ratelimit.client_ip) for the rate limits; None for
    # internal callers (demo, imports, tests), which are not limited.
    client: str | None = None


def _clean_field(f: FormField, raw: str | None) -> str:
    value = (raw or "").strip()
    if not value:
        if f.required:
            raise DomainError("missing_field", f"'{f.label}' wajib diisi.", field=f.name)
        return ""
    if f.type == FieldType.NUMBER:
        try:
            float(value.replace(",", "."))
        except ValueError:
            raise DomainError("invalid_field", f"'{f.label}' harus berupa angka.", field=f.name) from None
    elif f.type == FieldType.DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise DomainError("invalid_field", f"'{f.label}' harus tanggal (TTTT-BB-HH).", field=f.name) from None
    elif f.type == FieldType.CHOICE and value not in f.choices:
        raise DomainError(
            "invalid_field", f"Pilihan '{f.label}' tidak dikenal. Pilih salah satu: {', '.join(f.choices)}.", field=f.name
        )
    limit = 5000 if f.type == FieldType.TEXTAREA else 500
    if len(value) > limit:
        raise DomainError("invalid_field", f"'{f.label}' terlalu panjang (maksimal {limit} karakter).", field=f.name)
    return value


@dataclass
class _Checked:
    offer: Offer
    name: str
    nik: str
    phone: str
    email: str
    form_data: dict[str, str]
    files: dict[str, uploads.CheckedFile]
    fingerprint: str


def _check(sub: Submission) -> _Checked:
    service = catalog.service_get(sub.service)
    office = catalog.office_get(sub.office)
    offer = catalog.offer_for(service, office)
    errors: list[DomainError] = []

    def attempt(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            errors.append(exc)
            return ""

    name = attempt(identity.clean_name, sub.name)
    nik = attempt(identity.clean_nik, sub.nik)
    phone = attempt(identity.clean_phone, sub.phone)
    email = attempt(identity.clean_email, sub.email)
    form_data = {f.name: attempt(_clean_field, f, sub.fields.get(f.name)) for f in offer.fields}
    files: dict[str, uploads.CheckedFile] = {}
    known = {r.code for r in offer.requirements}
    for req in offer.requirements:
        upload = sub.files.get(req.code)
        if upload is None:
            if req.mandatory:
                errors.append(DomainError("missing_document", f"Berkas wajib '{req.name}' belum diunggah.", field=req.code))
            continue
        checked = attempt(uploads.check_upload, upload, label=req.name, field=req.code)
        if checked:
            files[req.code] = checked
    for extra in sorted(set(sub.files) - known):
        errors.append(DomainError("unknown_document", f"Berkas '{extra}' bukan persyaratan layanan ini.", field=extra))
    if errors:
        raise ValidationErrors(errors)
    fingerprint = hashlib.sha256(
        json.dumps(
            [service.slug, office.code, nik, form_data, sorted((k, f.sha256) for k, f in files.items())], sort_keys=True
        ).encode()
    ).hexdigest()
    return _Checked(offer, name, nik, phone, email, form_data, files, fingerprint)


def _find_duplicate(checked: _Checked, now: datetime) -> Application | None:
    """The same person sending the same service, fields and files again within minutes."""
    recent = Application.objects.filter(
        nik=checked.nik,
        service=checked.offer.service,
        office=checked.offer.office,
        submitted_at__gte=now - DUPLICATE_WINDOW,
    ).exclude(status=Status.WITHDRAWN)
    for app in recent:
        if app.form_data.get("_fingerprint") == checked.fingerprint:
            return app
    return None


def _sender_limits(client: str | None, email: str) -> list[ratelimit.Use]:
    if client is None:
        return []
    uses: list[ratelimit.Use] = [(ratelimit.APPLICATIONS_PER_CLIENT, (client,))]
    if email:
        uses.append((ratelimit.APPLICATIONS_PER_EMAIL, (email.lower(),)))
    return uses


def application_submit(sub: Submission, *, now: datetime | None = None) -> tuple[Application, bool]:
    """Validate everything, then save the application, its files, first event and receipt
    message in one transaction. Returns (application, created); a repeated submission key
    returns the first application with created=False."""
    now = now or timezone.now()
    if sub.submission_key:
        existing = Application.objects.filter(submission_key=sub.submission_key).first()
        if existing is not None:
            return existing, False
    checked = _check(sub)
    duplicate = _find_duplicate(checked, now)
    if duplicate is not None:
        raise Conflict(
            "duplicate_submission",
            f"Permohonan yang sama sudah terkirim dengan kode lacak {duplicate.tracking_code}.",
            tracking_code=duplicate.tracking_code,
        )
    # Each application e-mails its address from the ministry: limited per sender and per address.
    ratelimit.charge(*_sender_limits(sub.client, checked.email), code="too_many_applications")
    offer = checked.offer
    calendar = WorkingCalendar.for_office(offer.office)
    try:
        # The files are written inside the transaction and removed again if it does not
        # commit (a rollback, a lost database, a full disk halfway through): nothing half saved.
        with uploads.files_in_transaction() as written:
            app = Application(
                tracking_code=new_tracking_code(),
                service=offer.service,
                office=offer.office,
                unit=offer.service.unit,
                applicant_name=checked.name,
                nik=checked.nik,
                phone=checked.phone,
                email=checked.email,
                form_data={**checked.form_data, "_fingerprint": checked.fingerprint},
                user=sub.user if sub.user is not None and sub.user.is_authenticated else None,
                submission_key=sub.submission_key or None,
                submitted_at=now,
                sla_budget_seconds=0,
            )
            sla.sla_start(app, calendar=calendar, now=now, working_days=offer.working_days)
            app.save()
            for code, f in checked.files.items():
                _store(app, f, kind=DocumentKind.REQUIREMENT, requirement_code=code, now=now, written=written)
            event = workflow.record_event(
                app, action="submit", to_status=Status.SUBMITTED, now=now, label="Pemohon",
                note=f"Diajukan ke {offer.office.name}.",
            )
            messages.notify_applicant(app, event)
    except IntegrityError:
        if sub.submission_key:  # two identical submits raced: the first one won
            existing = Application.objects.filter(submission_key=sub.submission_key).first()
            if existing is not None:
                return existing, False
        raise
    return app, True


def _store(app: Application, f: uploads.CheckedFile, *, kind: str, requirement_code: str = "", now: datetime,  # type: ignore[no-untyped-def]
           user=None, written: uploads.WrittenFiles) -> Document:
    doc = Document(
        application=app, kind=kind, requirement_code=requirement_code, original_name=f.original_name,
        content_type=f.content_type, size=f.size, sha256=f.sha256, uploaded_at=now,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    written.store(doc.file, f.original_name, f.upload)  # storage_full / storage_unavailable if it cannot
    doc.save()
    return doc


def application_complete_documents(
    app: Application, *, files: dict[str, UploadedFile], note: str = "", now: datetime | None = None
) -> Application:
    """The citizen sends what the officer asked for; the clock starts again."""
    now = now or timezone.now()
    if app.status != Status.NEEDS_COMPLETION:
        raise DomainError("invalid_transition", "Permohonan ini tidak sedang menunggu kelengkapan berkas.", status=409)
    offer = catalog.offer_for(app.service, app.office) if app.service.is_active else None
    names = {r.code: r.name for r in offer.requirements} if offer else {}
    if not files:
        raise DomainError("missing_document", "Unggah minimal satu berkas untuk melengkapi permohonan.", field="files")
    errors: list[DomainError] = []
    checked: dict[str, uploads.CheckedFile] = {}
    for code, upload in files.items():
        if code not in names:
            errors.append(DomainError("unknown_document", f"Berkas '{code}' bukan persyaratan layanan ini.", field=code))
            continue
        try:
            checked[code] = uploads.check_upload(upload, label=names[code], field=code)
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise ValidationErrors(errors)
    with uploads.files_in_transaction() as written:
        for code, f in checked.items():
            Document.objects.filter(application=app, requirement_code=code, kind=DocumentKind.REQUIREMENT).update(
                superseded=True
            )
            _store(app, f, kind=DocumentKind.REQUIREMENT, requirement_code=code, now=now, written=written)
        labels = ", ".join(names[c] for c in checked)
        app = workflow.application_transition(
            app, "citizen_complete", note=(f"Berkas dilengkapi: {labels}. {note}").strip(), now=now
        )
    return app


def application_upload_product(app: Application, *, user, upload: UploadedFile, note: str = "") -> Document:  # type: ignore[no-untyped-def]
    from satupintu.organization import access

    if not access.can_act(user, app, "upload_product"):
        raise DomainError("forbidden", "Anda tidak berwenang mengunggah produk layanan.", status=403)
    if app.status not in (Status.IN_PROCESS, Status.COMPLETED):
        raise DomainError("invalid_transition", "Produk hanya bisa diunggah saat permohonan diproses.", status=409)
    checked = uploads.check_upload(upload, label="Produk layanan", field="product")
    now = timezone.now()
    with uploads.files_in_transaction() as written:
        Document.objects.filter(application=app, kind=DocumentKind.PRODUCT).update(superseded=True)
        doc = _store(app, checked, kind=DocumentKind.PRODUCT, now=now, user=user, written=written)
        workflow.record_event(app, action="upload_product", user=user, note=note or checked.original_name, now=now)
    return doc


def application_mark_handed_over(app: Application, *, user=None, how: str) -> Application:  # type: ignore[no-untyped-def]
    """The product reached the citizen: downloaded (user None) or given at the desk."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.status != Status.COMPLETED or app.handed_over_at is not None:
            return app
        app.handed_over_at = timezone.now()
        app.save(update_fields=["handed_over_at", "updated_at"])
        workflow.record_event(app, action="handover", user=user, note=how, label=None if user else "Pemohon")
    return app
