"""Writes a citizen makes: submitting, completing the file, withdrawing, downloading the product."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from satupintu.core import actors, ratelimit, reading_language
from satupintu.core.db_locks import take_turn
from satupintu.core.errors import Conflict, DomainError, Forbidden, ValidationErrors, collect_into
from satupintu.organization import access
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import catalog, identity, messages, sla, uploads, workflow
from satupintu.services.catalog import Offer
from satupintu.services.models import (
    Application,
    Document,
    DocumentKind,
    FieldType,
    FormField,
    NumberKind,
    Status,
)
from satupintu.services.tracking_codes import new_tracking_code

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DUPLICATE_WINDOW = timedelta(minutes=30)
YEAR_MIN = 1900
NUMBER_MAX = 10**13  # a number field without a max of its own: no form asks for more (Rp 10 triliun)




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
    whatsapp_updates: bool = False  # "kirim kabar lewat WhatsApp" ticked
    language: str = ""  # the page's or the API request's language; "" (or unknown): Indonesian
    # Assisted mode: the desk officer filling the form for the citizen (then ``user`` is ignored:
    # the application is the citizen's, never the officer's), and the citizen's consent to it.
    assisted_by: User | None = None
    assisted_consent: bool = False


def _clean_field(f: FormField, raw: str | None) -> str:
    value = (raw or "").strip()
    if not value:
        if f.required:
            raise DomainError("missing_field", "'%(label)s' wajib diisi.", field=f.name, params={"label": f.local_label})
        return ""
    if f.type == FieldType.NUMBER:
        value = _clean_number(f, value)
    elif f.type == FieldType.DATE:
        # Only the one spelling, as the date picker sends it: fromisoformat alone also takes
        # "2027-W01-1" and "20260101", which a letter would then print as typed.
        try:
            day = date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        except ValueError:
            day = None
        if day is None:
            raise DomainError("invalid_field", "'%(label)s' harus tanggal (TTTT-BB-HH).", field=f.name,
                              params={"label": f.local_label})
        if not DATE_MIN <= day <= DATE_MAX:
            raise DomainError("invalid_field", "'%(label)s' harus antara tahun %(low)d dan %(high)d.", field=f.name,
                              params={"label": f.local_label, "low": DATE_MIN.year, "high": DATE_MAX.year})
        value = day.isoformat()
    elif f.type == FieldType.CHOICE and value not in f.choices:
        raise DomainError(
            "invalid_field", "Pilihan '%(label)s' tidak dikenal. Pilih salah satu: %(choices)s.", field=f.name,
            params={"label": f.local_label, "choices": ", ".join(shown for _, shown in f.local_choices())},
        )
    limit = 5000 if f.type == FieldType.TEXTAREA else 500
    if len(value) > limit:
        raise DomainError("invalid_field", "'%(label)s' terlalu panjang (maksimal %(n)d karakter).", field=f.name,
                          params={"label": f.local_label, "n": limit})
    return value


DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)
# A period asked as two dates (leave, research, internship): its end is not before its start.
PERIODS = (("tanggal_mulai", "tanggal_selesai"),)


def _check_period(fields: list[FormField], values: dict[str, str | None]) -> None:
    labels = {f.name: f.local_label for f in fields}
    for start, end in PERIODS:
        if values.get(start) and values.get(end) and str(values[end]) < str(values[start]):  # ISO dates sort
            raise DomainError("invalid_field", "'%(end)s' tidak boleh sebelum '%(start)s'.", field=end,
                              params={"end": labels[end], "start": labels[start]})


@dataclass(frozen=True)
class NumberBounds:
    low: int
    high: int
    whole: bool  # counts and years have no decimals


def number_bounds(f: FormField, *, today: date | None = None) -> NumberBounds:
    """The sensible range of a number field: its kind's (a year from 1900 to this year, a count
    from 1, an amount from 0) narrowed by the field's own min/max. Also given to the browser
    (min/max on the input) and to API clients."""
    kind = f.number_kind or NumberKind.AMOUNT
    this_year = (today or timezone.localdate()).year
    ranges: dict[str, tuple[int, int]] = {NumberKind.YEAR: (YEAR_MIN, this_year), NumberKind.COUNT: (1, NUMBER_MAX)}
    low, high = ranges.get(kind, (0, NUMBER_MAX))
    if f.min_value is not None:
        low = max(low, f.min_value)
    if f.max_value is not None:
        high = min(high, f.max_value)
    return NumberBounds(low, high, whole=kind in (NumberKind.YEAR, NumberKind.COUNT))


def _clean_number(f: FormField, value: str) -> str:
    bounds = number_bounds(f)
    text = value.replace(" ", "")
    # 1.500 and 1,5: Indonesians write a dot between thousands and a comma before decimals.
    if bounds.whole and re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        number = Decimal(text.replace(",", "."))
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise DomainError("invalid_field", "'%(label)s' harus berupa angka.", params={"label": f.local_label},
                          field=f.name) from None
    if bounds.whole and number != number.to_integral_value():
        raise DomainError("invalid_field", "'%(label)s' harus bilangan bulat.", params={"label": f.local_label},
                          field=f.name)
    if not bounds.low <= number <= bounds.high:
        raise DomainError(
            "out_of_range",
            "'%(label)s' harus antara %(low)s dan %(high)s.", field=f.name,
            params={"label": f.local_label, "low": format_bound(bounds.low, f), "high": format_bound(bounds.high, f)},
        )
    return str(int(number)) if bounds.whole else value


def format_bound(n: int, f: FormField) -> str:
    """Years as 1900, other bounds with thousands dots (10.000)."""
    return str(n) if f.number_kind == NumberKind.YEAR else f"{n:,}".replace(",", ".")


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
    # Employees' services (leave, promotion) are applied for by signed-in staff only; at the desk
    # the officer applies for a citizen: public services only.
    staff = sub.assisted_by is None and sub.user is not None and access.is_staff_member(sub.user)
    service = catalog.service_get(sub.service, public_only=not staff)
    office = catalog.office_get(sub.office)
    offer = catalog.offer_for(service, office)
    errors: list[DomainError] = []
    attempt = collect_into(errors, default="")
    if sub.assisted_by is not None and not sub.assisted_consent:
        errors.append(DomainError("consent_required", "Petugas hanya boleh mengisi atas nama warga yang menyetujuinya: "
                                  "tanyakan persetujuan warga, lalu centang.", field="consent"))

    name = attempt(identity.clean_name, sub.name)
    nik = attempt(identity.clean_nik, sub.nik)
    phone = attempt(identity.clean_phone, sub.phone)
    email = attempt(identity.clean_email, sub.email)
    form_data = {f.name: attempt(_clean_field, f, sub.fields.get(f.name)) for f in offer.fields}
    attempt(_check_period, offer.fields, form_data)
    files: dict[str, uploads.CheckedFile] = {}
    known = {r.code for r in offer.requirements}
    for req in offer.requirements:
        upload = sub.files.get(req.code)
        if upload is None:
            if req.mandatory:
                errors.append(DomainError("missing_document", "Berkas wajib '%(name)s' belum diunggah.", field=req.code,
                                          params={"name": req.local_name}))
            continue
        checked = attempt(uploads.check_upload, upload, label=req.local_name, field=req.code)
        if checked:
            files[req.code] = checked
    for extra in sorted(set(sub.files) - known):
        errors.append(DomainError("unknown_document", "Berkas '%(code)s' bukan persyaratan layanan ini.", field=extra,
                                  params={"code": extra}))
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


def _duplicate_conflict(duplicate: Application) -> Conflict:
    return Conflict("duplicate_submission", "Permohonan yang sama sudah terkirim dengan kode lacak %(code)s.",
                    params={"code": duplicate.tracking_code}, tracking_code=duplicate.tracking_code)


def submission_digest(sub: Submission) -> str:
    """A hash of everything the client sent (files by content): what a submission key is bound to."""
    files = []
    for name, upload in sorted(sub.files.items()):
        h = hashlib.sha256()
        for chunk in upload.chunks():
            h.update(chunk)
        upload.seek(0)
        files.append([name, upload.name or "", h.hexdigest()])
    payload = [sub.service, sub.office, sub.name, sub.nik, sub.phone, sub.email, sorted(sub.fields.items()), files]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def _replay(existing: Application, digest: str) -> tuple[Application, bool]:
    # A key is bound to the body it first came with: a retry of that body gets the same
    # answer; anything else would let whoever guesses or sees a key read someone's file.
    if existing.form_data.get("_request_digest") != digest:
        raise Conflict(
            "idempotency_key_reused",
            "Kunci pengiriman (Idempotency-Key) ini sudah dipakai untuk permohonan dengan isi yang berbeda. "
            "Gunakan kunci baru untuk permohonan baru.",
        )
    return existing, False


def _sender_limits(client: str | None, email: str, phone: str) -> list[ratelimit.Use]:
    if client is None:
        return []
    uses: list[ratelimit.Use] = [(ratelimit.APPLICATIONS_PER_CLIENT, (client,))]
    if email:
        uses.append((ratelimit.APPLICATIONS_PER_EMAIL, (email.lower(),)))
    if phone:
        uses.append((ratelimit.APPLICATIONS_PER_PHONE, (phone,)))
    return uses


def application_submit(sub: Submission, *, now: datetime | None = None) -> tuple[Application, bool]:
    """Validate everything, then save the application, its files, first event and receipt
    message in one transaction. Returns (application, created). A submission key is bound to
    the body: the same key with the same body returns the first application with
    created=False; with another body it is refused (409 ``idempotency_key_reused``). Callers
    namespace their keys (``api:``, ``web:``) so one client's key never reaches another's."""
    now = now or timezone.now()
    if sub.assisted_by is not None and not access.may_assist(sub.assisted_by, catalog.office_get(sub.office)):
        raise Forbidden("forbidden", "Hanya petugas front office atau kepala kantor ini yang dapat mengajukan "
                        "permohonan atas nama warga.")
    digest = submission_digest(sub) if sub.submission_key else ""
    if sub.submission_key:
        existing = Application.objects.filter(submission_key=sub.submission_key).first()
        if existing is not None:
            return _replay(existing, digest)
    if sub.client is not None:  # counted before the files are checked, whatever the outcome
        ratelimit.charge((ratelimit.APPLICATION_POSTS_PER_CLIENT, (sub.client,)), code="too_many_applications")
    checked = _check(sub)
    if (duplicate := _find_duplicate(checked, now)) is not None:
        raise _duplicate_conflict(duplicate)
    # Each application e-mails its address and texts its phone from the ministry: limited per sender,
    # per address and per phone.
    ratelimit.charge(*_sender_limits(sub.client, checked.email, checked.phone), code="too_many_applications")
    offer = checked.offer
    calendar = WorkingCalendar.for_office(offer.office)
    try:
        # The files are written inside the transaction and removed again if it does not
        # commit (a rollback, a lost database, a full disk halfway through): nothing half saved.
        with uploads.files_in_transaction() as written:
            # Looked for again in turn: two identical sends at once (a double tap, no submission
            # key) both passed the look above; the second now finds the first.
            take_turn(checked.fingerprint)
            if (duplicate := _find_duplicate(checked, now)) is not None:
                raise _duplicate_conflict(duplicate)
            app = Application(
                tracking_code=new_tracking_code(),
                service=offer.service,
                office=offer.office,
                unit=offer.service.unit,
                applicant_name=checked.name,
                nik=checked.nik,
                phone=checked.phone,
                email=checked.email,
                whatsapp_updates=bool(sub.whatsapp_updates),
                # At the desk the officer's page language says nothing of the citizen's.
                language=reading_language.known(sub.language) if sub.assisted_by is None else "id",
                form_data={**checked.form_data, "_fingerprint": checked.fingerprint,
                           **({"_request_digest": digest} if digest else {})},
                user=sub.user if sub.assisted_by is None and sub.user is not None and sub.user.is_authenticated
                else None,
                assisted_by=sub.assisted_by,
                submission_key=sub.submission_key or None,
                submitted_at=now,
                sla_budget_seconds=0,
            )
            sla.sla_start(app, calendar=calendar, now=now, working_days=offer.working_days)
            app.save()
            for code, f in checked.files.items():
                _store(app, f, kind=DocumentKind.REQUIREMENT, requirement_code=code, now=now, written=written)
            if sub.assisted_by is not None:
                event = workflow.record_event(
                    app, action="submit", to_status=Status.SUBMITTED, now=now, user=sub.assisted_by,
                    **actors.step_note(gettext_noop("Diajukan dibantu petugas %(office)s."), data={"assisted": True},
                                       office=offer.office.name),
                )
                messages.notify_assisted(app, event)
            else:
                event = workflow.record_event(
                    app, action="submit", to_status=Status.SUBMITTED, now=now, label="Pemohon",
                    **actors.step_note(gettext_noop("Diajukan ke %(office)s."), office=offer.office.name),
                )
                messages.notify_applicant(app, event)
    except IntegrityError:
        if sub.submission_key:  # two identical submits raced: the first one won
            existing = Application.objects.filter(submission_key=sub.submission_key).first()
            if existing is not None:
                return _replay(existing, digest)
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
    # The documents the application asks for where it is, even if that office switched the service off
    # since (or took it over by disposition without offering it), or the ministry retired the service
    # nationally: the applicant was asked for them (with none, the application waited for ever).
    asked = catalog.requirements_for(app.service, app.office)
    names = {r.code: r.name for r in asked}  # for the history, in Indonesian
    shown = {r.code: r.local_name for r in asked}  # for the applicant
    if not files:
        raise DomainError("missing_document", "Unggah minimal satu berkas untuk melengkapi permohonan.", field="files")
    errors: list[DomainError] = []
    checked: dict[str, uploads.CheckedFile] = {}
    for code, upload in files.items():
        if code not in names:
            errors.append(DomainError("unknown_document", "Berkas '%(code)s' bukan persyaratan layanan ini.", field=code,
                                      params={"code": code}))
            continue
        try:
            checked[code] = uploads.check_upload(upload, label=shown[code], field=code)
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
        step = actors.step_note(gettext_noop("Berkas dilengkapi: %(labels)s."), note,
                                labels=", ".join(names[c] for c in checked))
        app = workflow.application_transition(app, "citizen_complete", note=step["note"], said=step["data"], now=now)
    return app


def application_upload_product(app: Application, *, user, upload: UploadedFile | None,  # type: ignore[no-untyped-def]
                               note: str = "") -> Document:
    if not access.can_act(user, app, "upload_product"):
        raise DomainError("forbidden", "Anda tidak berwenang mengunggah produk layanan.", status=403)
    if app.status not in (Status.IN_PROCESS, Status.COMPLETED):
        raise DomainError("invalid_transition", "Produk hanya bisa diunggah saat permohonan diproses.", status=409)
    if upload is None:
        raise DomainError("missing_document", "Pilih berkas produk layanan.", field="product")
    checked = uploads.check_upload(upload, label="Produk layanan", field="product")
    now = timezone.now()
    # Every product Satu Pintu hands out is verifiable (issue #14): the file made elsewhere gets
    # the QR code, the token and the office's electronic seal before anyone can download it.
    from satupintu.documents.issuing import seal_upload

    checked.upload.seek(0)
    data = checked.upload.read()
    stem = checked.original_name.rsplit(".", 1)[0] if "." in checked.original_name else checked.original_name
    with uploads.files_in_transaction() as written:
        # One product at a time per application (a double click, two officers): each sealed product
        # retires the ones before it, which it sees only once they have committed.
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.status not in (Status.IN_PROCESS, Status.COMPLETED):
            raise DomainError("invalid_transition", "Produk hanya bisa diunggah saat permohonan diproses.", status=409)
        issued, sealed = seal_upload(app, data, checked.content_type, original_name=checked.original_name, user=user,
                                     now=now, written=written)
        Document.objects.filter(application=app, kind=DocumentKind.PRODUCT).update(superseded=True)
        doc = _store(app, uploads.CheckedFile(
            upload=SimpleUploadedFile(f"{stem}.pdf", sealed, content_type="application/pdf"),
            content_type="application/pdf", size=len(sealed), sha256=issued.sha256, original_name=f"{stem}.pdf"),
            kind=DocumentKind.PRODUCT, now=now, user=user, written=written)
        issued.product = doc
        issued.save(update_fields=["product"])
        workflow.record_event(app, action="upload_product", user=user, note=note or checked.original_name, now=now)
    return doc


def application_mark_handed_over(app: Application, *, user=None, how: str,  # type: ignore[no-untyped-def]
                                 said: dict | None = None) -> Application:
    """The product reached the citizen: downloaded (user None) or given at the desk. ``said``:
    ``actors.step_note``'s data when ``how`` is the system's sentence."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        if app.status != Status.COMPLETED or app.handed_over_at is not None:
            return app
        app.handed_over_at = timezone.now()
        app.save(update_fields=["handed_over_at", "updated_at"])
        workflow.record_event(app, action="handover", user=user, note=how, label=None if user else "Pemohon",
                              data=said)
    return app
