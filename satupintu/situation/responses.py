"""Response cases (issue #15): an issue, an alert or a field report followed up by the office
that must act, like a Rakor action but on the working-hour clock.

- Opening: by an officer who may act on the subject (situation/access.py), for their own office
  or one below it (a Pusat or Kanwil officer assigns down); never for an office that was merged
  into another (the message names where its work went); one case at a time per subject (a second
  one points to the open one).
- The deadline: hours, not days, counted in the acting office's working calendar (office hours,
  weekends, holidays: organization/working_calendar.py). The default hours come from the zone of
  the region when the case is opened (settings.SITUATION_RESPONSE_HOURS: merah 4, kuning 16,
  hijau 40); the opener may shorten them, never lengthen.
- Working it: notes and evidence (PDF/JPG/PNG, checked like every upload); the first note or
  evidence from the acting office's own staff is the first response. Closing needs a summary.
- Escalation (`escalate_due`, every 10 minutes): a case past its deadline goes up one level at a
  time (Kankemenag -> Kanwil -> Pusat), telling the heads of the acting office and of every office
  up to the new level through the outbox, with the same hours again on the next office's
  calendar before the level above hears of it. Each level once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from satupintu.core import clock
from satupintu.core.errors import Conflict, DomainError, Forbidden, ValidationErrors, collect_into
from satupintu.core.reading_language import mail_each
from satupintu.organization.access import mailboxes
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.situation.models import (
    ESCALATED_NOTE,
    Alert,
    Issue,
    IssueStatus,
    ResponseCase,
    ResponseEvidence,
    ResponseKind,
    ResponseNote,
    ResponseStatus,
    Zone,
)

HEADS = (Role.HEAD_OF_OFFICE, Role.ADMIN)
TEXT_MAX = 4000
SWEEP_LIMIT = 1000


def zone_for(regency_code: str, province_code: str = "") -> str:
    """The early-warning zone of the place now: "hijau", "kuning" or "merah" (situation/warning.py):
    the regency's, or the province's for a subject with no single regency (a province turning red
    raises its alert without one). A region never computed is green, the longest deadline."""
    from satupintu.situation.models import RegionWarning

    code = regency_code or province_code
    if not code:
        return Zone.HIJAU.value
    zone = RegionWarning.objects.filter(code=code).values_list("zone", flat=True).first()
    return zone if zone in Zone.values else Zone.HIJAU.value


def zone_hours(zone: str) -> int:
    hours: dict[str, int] = settings.SITUATION_RESPONSE_HOURS
    return int(hours.get(zone, hours[Zone.HIJAU.value]))


Subject = Issue | Alert | object  # object: a field.FieldReport (its app may come later in a merge)


def _place(subject: Subject) -> tuple[str, str]:
    return getattr(subject, "province_code", "") or "", getattr(subject, "regency_code", "") or ""


def _subject_filter(subject: Subject) -> Q:
    if isinstance(subject, Issue):
        return Q(issue=subject)
    if isinstance(subject, Alert):
        return Q(alert=subject)
    return Q(field_report=subject)


def open_case_for(subject: Subject) -> ResponseCase | None:
    return ResponseCase.objects.filter(_subject_filter(subject)).exclude(status=ResponseStatus.RESOLVED).first()


def _case_exists(case: ResponseCase) -> Conflict:
    return Conflict("case_exists", "Sudah ada tanggapan yang belum selesai untuk ini (tanggapan #%(pk)s, "
                                   "%(office)s); lanjutkan di sana: /situasi/tanggapan/%(pk)s/",
                    params={"pk": case.pk, "office": case.office.name}, case_id=case.pk)


def is_below(office: Office, above: list[Office]) -> bool:
    """Is ``office`` one of ``above`` or under one of them (at any depth)?"""
    ids = {o.pk for o in above}
    return any(o.pk in ids for o in office.ancestors_and_self())


def _check_subject(subject: Subject) -> None:
    if isinstance(subject, Issue) and subject.status == IssueStatus.MERGED:
        raise Conflict("issue_merged", "Isu ini sudah digabung ke isu lain; buka tanggapan dari isu gabungannya.")
    if getattr(subject, "status", "") == "rejected" and not isinstance(subject, Issue | Alert):
        raise Conflict("report_rejected", "Laporan lapangan ini ditolak saat verifikasi; tidak dapat ditanggapi.")
    if (existing := open_case_for(subject)) is not None:
        raise _case_exists(existing)


def _check_office(office: Office | None, opener_offices: list[Office]) -> Office:
    if office is None:
        raise DomainError("missing_office", "Pilih kantor yang harus bertindak.", field="office")
    if office.merged_into_id is not None:
        raise DomainError("office_merged", "%(office)s sudah digabung ke %(into)s; pilih %(into)s sebagai kantor "
                                           "yang bertindak.",
                          field="office", params={"office": office.name, "into": office.successor().name})
    if not is_below(office, opener_offices):
        raise Forbidden("office_not_below", "Tanggapan hanya dapat ditugaskan ke kantor Anda sendiri atau kantor di "
                                            "bawahnya.", field="office")
    return office


def _check_kind(kind: str) -> str:
    if kind not in ResponseKind.values:
        raise DomainError("unknown_kind", "Pilih jenis tanggapan: klarifikasi/siaran pers, mediasi, koordinasi FKUB, "
                                          "kunjungan lapangan atau laporan ke pimpinan.", field="kind")
    return kind


def _check_hours(hours: int | None, default: int) -> int:
    if hours is None:
        return default
    if not 1 <= hours <= default:
        raise DomainError("invalid_hours", "Tenggat tanggapan 1 sampai %(max)s jam kerja (batas zona ini).",
                          field="hours", params={"max": default})
    return hours


def open_case(subject: Subject, *, user, office: Office | None, kind: str,  # type: ignore[no-untyped-def]
              opener_offices: list[Office], hours: int | None = None, instructions: str = "",
              now: datetime | None = None) -> ResponseCase:
    """Open a case on ``subject`` (an Issue, an Alert or a field.FieldReport) for ``office``.
    ``opener_offices``: the offices the opener acts for (situation/access.py `acting_offices`);
    every problem with the form's values at once in ``ValidationErrors``."""
    now = now or timezone.now()
    _check_subject(subject)
    errors: list[DomainError] = []
    attempt = collect_into(errors)
    office = attempt(_check_office, office, opener_offices)
    attempt(_check_kind, kind)
    province, regency = _place(subject)
    zone = zone_for(regency, province)
    hours = attempt(_check_hours, hours, zone_hours(zone))
    if len(instructions) > TEXT_MAX:
        errors.append(DomainError("text_too_long", "Teks paling panjang %(max)s karakter.", field="instructions",
                                  params={"max": TEXT_MAX}))
    if errors:
        raise ValidationErrors(errors)
    due = WorkingCalendar.for_office(office).add_working_seconds(now, hours * 3600)
    links = {"issue": subject if isinstance(subject, Issue) else None,
             "alert": subject if isinstance(subject, Alert) else None,
             "field_report": None if isinstance(subject, Issue | Alert) else subject}
    try:
        with transaction.atomic():
            case = ResponseCase.objects.create(
                **links, office=office, province_code=province, regency_code=regency, kind=kind, zone=zone,
                instructions=instructions.strip(), opened_by=user, opened_at=now, hours=hours, due_at=due,
                next_escalation_at=due if office.parent_id else None)
            _notify(case, "open", partial(_opened_mail, case), [office], now)
    except IntegrityError:
        # Two officers at once: the database keeps one open case per subject.
        existing = open_case_for(subject)
        if existing is None:
            raise
        raise _case_exists(existing) from None
    return case


def subject_title(case: ResponseCase) -> str:
    if case.issue_id:
        return case.issue.title  # type: ignore[union-attr]
    if case.alert_id:
        return case.alert.headline  # type: ignore[union-attr]  # in the reader's language
    report = case.field_report
    return gettext("Laporan lapangan: %(report)s") % {"report": report} if report is not None else "-"


def subject_link(case: ResponseCase) -> str:
    if case.issue_id:
        return f"/situasi/isu/{case.issue_id}/"
    if case.alert_id:
        return f"/situasi/peringatan/{case.alert_id}/"
    return f"/petugas/lapangan/{case.field_report_id}/"


def _local(moment: datetime, office: Office) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(office.timezone))


# --- working a case ----------------------------------------------------------------------------

def _open(case: ResponseCase) -> None:
    if case.is_resolved:
        raise Conflict("case_resolved", "Tanggapan ini sudah selesai.")


def _still_open(case: ResponseCase) -> None:
    """Inside the write's transaction: the case row locked and read again (it may have been closed
    since the page read it), so a note or a file never lands on a closed case."""
    _open(ResponseCase.objects.select_for_update().get(pk=case.pk))


def _acting_staff(user, case: ResponseCase) -> bool:  # type: ignore[no-untyped-def]
    """Does the user work at the acting office? Only their work is the office's response."""
    pk = getattr(user, "pk", None)
    return pk is not None and StaffRole.objects.filter(user_id=pk, office_id=case.office_id).exists()


def _responded(case: ResponseCase, user, now: datetime) -> None:  # type: ignore[no-untyped-def]
    if case.first_response_at is None and _acting_staff(user, case):
        ResponseCase.objects.filter(pk=case.pk, first_response_at__isnull=True).update(
            first_response_at=now, status=ResponseStatus.IN_PROGRESS)
        case.first_response_at, case.status = now, ResponseStatus.IN_PROGRESS


def add_note(case: ResponseCase, *, user, text: str, now: datetime | None = None) -> ResponseNote:  # type: ignore[no-untyped-def]
    _open(case)
    text = (text or "").strip()
    if not text:
        raise DomainError("missing_note", "Tulis catatan tindak lanjut.", field="text")
    if len(text) > TEXT_MAX:
        raise DomainError("text_too_long", "Teks paling panjang %(max)s karakter.", field="text",
                          params={"max": TEXT_MAX})
    now = now or timezone.now()
    with transaction.atomic():
        _still_open(case)
        note = ResponseNote.objects.create(case=case, author=user, text=text, at=now)
        _responded(case, user, now)
    return note


def add_evidence(case: ResponseCase, *, user, upload, now: datetime | None = None) -> ResponseEvidence:  # type: ignore[no-untyped-def]
    """A file kept with the case: PDF, JPG or PNG within the upload limit, its bytes matching its
    name (services/uploads.py); the file and its row together, or neither."""
    from satupintu.services import uploads

    _open(case)
    if upload is None:
        raise DomainError("missing_file", "Pilih berkas bukti (PDF, JPG atau PNG).", field="file")
    checked = uploads.check_upload(upload, label="bukti", field="file")
    now = now or timezone.now()
    with uploads.files_in_transaction() as written:
        _still_open(case)
        evidence = ResponseEvidence(case=case, author=user, original_name=checked.original_name,
                                    content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                                    at=now)
        written.store(evidence.file, checked.original_name, upload)
        evidence.save()
        _responded(case, user, now)
    return evidence


def resolve(case: ResponseCase, *, user, summary: str, now: datetime | None = None) -> ResponseCase:  # type: ignore[no-untyped-def]
    _open(case)
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("missing_summary", "Tulis ringkasan penutup: apa yang dilakukan dan hasilnya.",
                          field="summary")
    if len(summary) > TEXT_MAX:
        raise DomainError("text_too_long", "Teks paling panjang %(max)s karakter.", field="summary",
                          params={"max": TEXT_MAX})
    now = now or timezone.now()
    with transaction.atomic():
        if not ResponseCase.objects.filter(pk=case.pk).exclude(status=ResponseStatus.RESOLVED).update(
                status=ResponseStatus.RESOLVED, resolved_at=now, resolved_by=user, summary=summary,
                next_escalation_at=None):
            raise Conflict("case_resolved", "Tanggapan ini sudah selesai.")
        # Closed counts as responded: the first response is at the latest the close.
        ResponseCase.objects.filter(pk=case.pk, first_response_at__isnull=True).update(first_response_at=now)
        ResponseNote.objects.create(case=case, author=user, text=summary, at=now, event="resolved")
    case.refresh_from_db()
    return case


def close_for_rejected_report(report, *, user, reason: str, now: datetime) -> int:  # type: ignore[no-untyped-def]
    """A field report judged untrue at verification: the open cases on it end here, saying why
    (left open, they would run out and escalate over an event that did not happen). Called in the
    rejection's transaction. Returns how many were closed."""
    from satupintu.situation.models import REPORT_REJECTED_NOTE

    closed = 0
    for case in ResponseCase.objects.select_for_update().filter(field_report=report).exclude(
            status=ResponseStatus.RESOLVED):
        summary = REPORT_REJECTED_NOTE % {"reason": reason}
        ResponseCase.objects.filter(pk=case.pk).update(status=ResponseStatus.RESOLVED, resolved_at=now,
                                                      resolved_by=user, summary=summary, next_escalation_at=None,
                                                      first_response_at=case.first_response_at or now)
        ResponseNote.objects.create(case=case, author=user, text=summary, at=now, event="resolved",
                                    details={"rejected_reason": reason})
        closed += 1
    return closed


# --- escalation ----------------------------------------------------------------------------------

def _heads(offices: list[Office]) -> list[tuple[int, str]]:
    return mailboxes(offices, HEADS)


def _notify(case: ResponseCase, kind: str, compose: Callable[[], tuple[str, str]], offices: list[Office],
            now: datetime) -> int:
    """E-mail the heads of ``offices``; ``compose`` gives (subject, body), called in each one's language."""
    link = f"{settings.SITE_URL.rstrip('/')}/situasi/tanggapan/{case.pk}/"
    # The key names the case, the step and the person: a rerun of the sweep sends nothing twice.
    return mail_each(_heads(offices), compose, link, f"response-{kind}:{case.pk}:{case.escalation_level}")


def _opened_mail(case: ResponseCase) -> tuple[str, str]:
    params = {"office": case.office.name, "kind": case.get_kind_display(), "subject": subject_title(case),
              "due": clock.shown(_local(case.due_at, case.office), "d/m/Y H.i"), "hours": case.hours, "zone": case.get_zone_display()}
    return (gettext("[Situation Room] Tanggapan baru untuk %(office)s") % params,
            gettext("%(kind)s atas “%(subject)s”, tenggat %(due)s (%(hours)s jam kerja, zona %(zone)s).")
            % params)


def _escalated_mail(case: ResponseCase, target: Office, level: int) -> tuple[str, str]:
    params = {"office": case.office.name, "kind": case.get_kind_display(), "subject": subject_title(case),
              "due": clock.shown(_local(case.due_at, case.office), "d/m/Y H.i"), "target": target.name,
              "level": level}
    return (gettext("[Situation Room] Tanggapan terlambat: %(office)s") % params,
            gettext("%(kind)s atas “%(subject)s” oleh %(office)s melewati tenggat %(due)s. "
                    "Kasus ini kini dipantau %(target)s (tingkat %(level)s).") % params)


def escalate_due(now: datetime | None = None) -> int:
    """Every unresolved case whose deadline at its level has passed goes up one level, once:
    the level is claimed by a conditional update, so two sweeps at once escalate it once."""
    now = now or timezone.now()
    escalated = 0
    # Read first, then write: SQLite does not isolate a cursor from the updates made while it is
    # open. A bound per sweep; the rest are found ten minutes later.
    due = list(ResponseCase.objects.filter(next_escalation_at__lte=now).exclude(status=ResponseStatus.RESOLVED)
               .select_related("office__parent__parent", "issue", "alert", "field_report")
               .order_by("next_escalation_at", "pk")[:SWEEP_LIMIT])
    for case in due:
        chain = case.office.ancestors_and_self()
        level = case.escalation_level + 1
        if level >= len(chain):  # nobody above: stays at the top, no more sweeps look at it
            ResponseCase.objects.filter(pk=case.pk).update(next_escalation_at=None)
            continue
        target = chain[level]
        following = (WorkingCalendar.for_office(target).add_working_seconds(now, case.hours * 3600)
                     if level + 1 < len(chain) else None)
        with transaction.atomic():
            if not (ResponseCase.objects.filter(pk=case.pk, escalation_level=case.escalation_level)
                    .exclude(status=ResponseStatus.RESOLVED)
                    .update(escalation_level=level, escalated_at=now, escalated_to=target,
                            next_escalation_at=following)):
                continue  # another sweep took this level, or the case was just closed
            case.escalation_level, case.escalated_to = level, target
            late = _local(case.due_at, case.office)
            details = {"due": f"{late:%d/%m/%Y %H.%M}", "office": target.name}
            ResponseNote.objects.create(case=case, author=None, at=now, event="escalated", details=details,
                                        text=ESCALATED_NOTE % details)
            _notify(case, "escalation", partial(_escalated_mail, case, target, level), chain[:level + 1], now)
        escalated += 1
    return escalated
