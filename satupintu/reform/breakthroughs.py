"""Registering breakthroughs, their evidence, and Rakor calls for them (the writes).

Every rule is here; forms only parse. Each function checks everything it is given and raises
all the problems at once (``ValidationErrors``), so the form shows them in one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from satupintu.core.errors import Conflict, DomainError, Forbidden, ValidationErrors, collect_into
from satupintu.core.links import is_web_link
from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import office_today
from satupintu.reform import access
from satupintu.reform.models import (
    Breakthrough,
    BreakthroughCall,
    BreakthroughEvidence,
    BreakthroughIndicator,
    IndicatorKind,
)
from satupintu.reform.selectors import open_calls_for
from satupintu.services import uploads
from satupintu.services.models import Service

TEXT_MAX = 5000
LINK_MAX = 500  # BreakthroughEvidence.link
MAX_FILES = 5
EARLIEST = date(2000, 1, 1)


@dataclass
class BreakthroughDraft:
    office: Office
    unit: Unit | None
    title: str
    problem: str
    change: str
    started_on: date | None
    people: str = ""
    kinds: list[str] = field(default_factory=list)
    service: Service | None = None
    call: BreakthroughCall | None = None
    files: list[UploadedFile] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    seen: str = ""  # an edit: the version (updated_at, ISO) the form was opened on


def _check(draft: BreakthroughDraft, *, user, errors: list[DomainError],  # type: ignore[no-untyped-def]
           answered: int | None = None) -> list[uploads.CheckedFile]:
    """``answered``: the call the breakthrough already answers (on an edit), kept even once closed."""
    if not access.may_write(user, draft.office, draft.unit):
        if draft.unit is None:
            errors.append(DomainError("unit_required", "Pilih unit Anda: Anda hanya dapat mendaftarkan terobosan "
                                      "unit Anda sendiri.", field="unit"))
        else:
            errors.append(DomainError("unit_not_yours", "Anda hanya dapat mendaftarkan terobosan unit Anda sendiri.",
                                      field="unit"))
    if not draft.title.strip():
        errors.append(DomainError("missing_title", "Tulis nama terobosan.", field="title"))
    if not draft.problem.strip():
        errors.append(DomainError("missing_problem", "Tulis masalah yang diatasi.", field="problem"))
    elif len(draft.problem) > TEXT_MAX:
        errors.append(DomainError("too_long", "Paling panjang %(n)s karakter.", field="problem",
                                  params={"n": TEXT_MAX}))
    if not draft.change.strip():
        errors.append(DomainError("missing_change", "Tulis perubahan yang dibuat.", field="change"))
    elif len(draft.change) > TEXT_MAX:
        errors.append(DomainError("too_long", "Paling panjang %(n)s karakter.", field="change",
                                  params={"n": TEXT_MAX}))
    today = office_today(draft.office)
    if draft.started_on is None:
        errors.append(DomainError("missing_start", "Isi tanggal mulai berlaku.", field="started_on"))
    elif draft.started_on > today:
        # Before/after needs a start that has happened; a plan is registered once it starts.
        errors.append(DomainError("start_in_future", "Tanggal mulai tidak boleh setelah hari ini (%(today)s): "
                                  "daftarkan terobosan setelah mulai berjalan.", field="started_on",
                                  params={"today": today.isoformat()}))
    elif draft.started_on < EARLIEST:
        errors.append(DomainError("start_too_early", "Tanggal mulai harus setelah tahun 2000.", field="started_on"))
    kinds = set(draft.kinds)
    if not kinds:
        errors.append(DomainError("missing_indicator", "Pilih paling sedikit satu indikator yang diharapkan berubah.",
                                  field="kinds"))
    elif not kinds <= set(IndicatorKind.values):
        errors.append(DomainError("unknown_indicator", "Indikator tidak dikenal.", field="kinds"))
    if draft.service is not None and draft.unit is not None and draft.service.unit_id != draft.unit.pk:
        errors.append(DomainError("service_not_of_unit", "Layanan '%(service)s' bukan layanan %(unit)s.",
                                  field="service", params={"service": draft.service.name, "unit": draft.unit.name}))
    if draft.call is not None:
        # Only a new answer must be to an open call: keeping the call it answered is always fine.
        if draft.call.pk != answered and draft.call.pk not in {c.pk for c in open_calls_for(draft.office)}:
            errors.append(DomainError("call_not_for_office", "Permintaan rakor ini tidak ditujukan ke kantor Anda.",
                                      field="call"))
        elif draft.call.per_unit and draft.unit is None:
            errors.append(DomainError("call_needs_unit", "Permintaan ini meminta terobosan setiap unit: pilih unitnya.",
                                      field="unit"))
    for link in draft.links:
        if not is_web_link(link, LINK_MAX):
            errors.append(DomainError("invalid_link", "Tautan bukti harus alamat http(s), paling panjang 500 "
                                      "karakter.", field="links"))
            break
    if len(draft.files) > MAX_FILES:
        errors.append(DomainError("too_many_files", "Paling banyak %(n)s berkas bukti sekaligus.", field="files",
                                  params={"n": MAX_FILES}))
        return []
    attempt = collect_into(errors)
    checked = [attempt(uploads.check_upload, f, label=f.name or "bukti", field="files") for f in draft.files]
    return [c for c in checked if c is not None]


def _save_indicators(b: Breakthrough, kinds: list[str], service: Service | None) -> None:
    wanted = set(kinds)
    b.indicators.exclude(kind__in=wanted).delete()
    b.indicators.filter(kind__in=wanted).exclude(service=service).delete()
    have = set(b.indicators.values_list("kind", flat=True))
    BreakthroughIndicator.objects.bulk_create(
        BreakthroughIndicator(breakthrough=b, kind=k, service=service) for k in IndicatorKind.values
        if k in wanted and k not in have)


def _add_evidence(b: Breakthrough, checked: list[uploads.CheckedFile], links: list[str], *, user,  # type: ignore[no-untyped-def]
                  written: uploads.WrittenFiles) -> None:
    for c in checked:
        evidence = BreakthroughEvidence(breakthrough=b, title=c.original_name[:200], uploaded_by=user)
        written.store(evidence.file, c.original_name, c.upload)
        evidence.save()
    for link in links:
        BreakthroughEvidence.objects.create(breakthrough=b, title=link[:200], link=link, uploaded_by=user)


def breakthrough_register(draft: BreakthroughDraft, *, user) -> Breakthrough:  # type: ignore[no-untyped-def]
    """A unit's (or the office's) breakthrough with its indicators and evidence, or nothing at all."""
    errors: list[DomainError] = []
    checked = _check(draft, user=user, errors=errors)
    if errors:
        raise ValidationErrors(errors)
    assert draft.started_on is not None  # _check refuses a missing date
    with uploads.files_in_transaction() as written:
        b = Breakthrough.objects.create(
            office=draft.office, unit=draft.unit, title=" ".join(draft.title.split())[:200], problem=draft.problem.strip(),
            change=draft.change.strip(), started_on=draft.started_on, people=draft.people.strip(),
            call=draft.call, answered_at=timezone.now() if draft.call else None, created_by=user)
        _save_indicators(b, draft.kinds, draft.service)
        _add_evidence(b, checked, draft.links, user=user, written=written)
    return b


def breakthrough_update(b: Breakthrough, draft: BreakthroughDraft, *, user) -> Breakthrough:  # type: ignore[no-untyped-def]
    """Change what was typed; the office stays, new evidence is added (evidence is removed in /admin/)."""
    if not access.may_edit(user, b):
        raise Forbidden("forbidden", "Anda tidak berwenang mengubah terobosan ini.")
    draft.office = b.office
    errors: list[DomainError] = []
    checked = _check(draft, user=user, errors=errors, answered=b.call_id)
    if errors:
        raise ValidationErrors(errors)
    assert draft.started_on is not None  # _check refuses a missing date
    with uploads.files_in_transaction() as written:
        current = Breakthrough.objects.select_for_update().get(pk=b.pk)
        if draft.seen and draft.seen != current.updated_at.isoformat():
            raise Conflict("breakthrough_changed", "Terobosan ini baru saja diubah orang lain. Muat ulang halaman "
                           "untuk melihat perubahannya, lalu ubah lagi.")
        if draft.call != current.call:
            # When the Rakor's call was answered (the call board's on time or late), not when the
            # breakthrough was first registered.
            b.answered_at = timezone.now() if draft.call else None
        b.unit, b.title, b.problem, b.change = draft.unit, " ".join(draft.title.split())[:200], draft.problem.strip(), \
            draft.change.strip()
        b.started_on, b.people, b.call = draft.started_on, draft.people.strip(), draft.call
        b.save()
        _save_indicators(b, draft.kinds, draft.service)
        _add_evidence(b, checked, draft.links, user=user, written=written)
    return b


def evidence_add(b: Breakthrough, *, user, title: str, file: UploadedFile | None = None,  # type: ignore[no-untyped-def]
                 link: str = "") -> BreakthroughEvidence:
    if not access.may_edit(user, b):
        raise Forbidden("forbidden", "Anda tidak berwenang menambah bukti terobosan ini.")
    errors: list[DomainError] = []
    if not title.strip():
        errors.append(DomainError("missing_title", "Tulis judul bukti.", field="title"))
    if file is None and not link:
        errors.append(DomainError("missing_evidence", "Unggah berkas atau tulis tautan bukti.", field="file"))
    if link and not is_web_link(link, LINK_MAX):
        errors.append(DomainError("invalid_link", "Tautan bukti harus alamat http(s), paling panjang 500 karakter.",
                                  field="link"))
    checked = collect_into(errors)(uploads.check_upload, file, label="bukti", field="file") if file else None
    if errors:
        raise ValidationErrors(errors)
    with uploads.files_in_transaction() as written:
        evidence = BreakthroughEvidence(breakthrough=b, title=title.strip()[:200], link=link, uploaded_by=user)
        if checked is not None:
            written.store(evidence.file, checked.original_name, checked.upload)
        evidence.save()
    return evidence


def call_create(decision, *, user, due_date: date | None, offices: list[Office],  # type: ignore[no-untyped-def]
                per_unit: bool) -> BreakthroughCall:
    """The meeting's organiser (its head or administrator) asks ``offices`` (each unit, with ``per_unit``) for breakthroughs by ``due_date``."""
    meeting = decision.meeting
    if not access.may_call_for_breakthroughs(user, meeting):
        raise Forbidden("forbidden", "Hanya kepala kantor atau administrator kantor penyelenggara rapat yang dapat "
                        "meminta terobosan.")
    if BreakthroughCall.objects.filter(decision=decision).exists():
        raise Conflict("call_exists", "Keputusan ini sudah meminta terobosan.")
    errors: list[DomainError] = []
    if due_date is None:
        errors.append(DomainError("missing_due_date", "Isi tenggat terobosan.", field="due_date"))
    elif due_date < office_today(meeting.office):
        errors.append(DomainError("due_in_past", "Tenggat tidak boleh di masa lalu.", field="due_date"))
    if not offices:
        errors.append(DomainError("missing_offices", "Pilih paling sedikit satu kantor yang diminta.",
                                  field="offices"))
    if errors or due_date is None:
        raise ValidationErrors(errors)
    try:
        with transaction.atomic():
            call = BreakthroughCall.objects.create(decision=decision, due_date=due_date, per_unit=per_unit,
                                                   created_by=user)
            call.offices.set(offices)
    except IntegrityError:  # the same form sent twice at once: the first call stands
        raise Conflict("call_exists", "Keputusan ini sudah meminta terobosan.") from None
    return call
