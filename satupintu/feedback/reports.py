"""Complaints, aspirations and questions: submitting, following, answering, closing.

Stages follow SP4N-LAPOR!: verified and forwarded, then answered by the unit within the
category's working days (the SLA clock of services/sla.py runs on the report), then closed
when the reporter confirms (or 10 working days after the answer). Integrity reports
(illegal levies, gratuities, staff conduct) are seen and handled by the inspectorate only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypedDict

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from satupintu.core import actors, ratelimit, reading_language
from satupintu.core.bilingual import text_in
from satupintu.core.db_locks import take_turn
from satupintu.core.errors import Conflict, DomainError, Forbidden, ValidationErrors, collect_into
from satupintu.core.texts import fitted
from satupintu.feedback.models import (
    INTEGRITY_CATEGORIES,
    CategoryDeadline,
    Report,
    ReportAttachment,
    ReportCategory,
    ReportEvent,
    ReportKind,
    ReportStatus,
)
from satupintu.integrations import events as integration_events
from satupintu.notifications.outbox import REPORTER_KEY_PREFIX, outbox_enqueue
from satupintu.organization.finder import office_at
from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import identity, sla, uploads
from satupintu.services.catalog import office_get
from satupintu.services.models import Application
from satupintu.services.tracking_codes import new_tracking_code, normalize_tracking_code, unknown_tracking_code

VERIFY_DAYS = 3
DEFAULT_ANSWER_DAYS = 5
MAX_ATTACHMENTS = 3
TEXT_MIN, TEXT_MAX = 20, 5000
DUPLICATE_WINDOW = timedelta(hours=24)

S = ReportStatus


@dataclass
class ReportSubmission:
    kind: str
    category: str
    office: str
    title: str
    text: str
    name: str = ""
    email: str = ""
    phone: str = ""
    anonymous: bool = False
    confidential: bool = False
    application_code: str = ""
    files: list[UploadedFile] = field(default_factory=list)
    ip: str = ""
    honeypot: str = ""
    dialogue_id: int | None = None
    latitude: str = ""
    longitude: str = ""
    language: str = ""  # the page's or the API request's language; "" (or unknown): Indonesian


def _office_from(sub: ReportSubmission) -> Office:
    """The office the reporter picked, or the Kankemenag of the place they are standing."""
    # A merged office's complaints go to the office that does its work now (kept for history only).
    if (sub.office or "").strip():
        return office_get(sub.office).successor()
    if str(sub.latitude).strip() and str(sub.longitude).strip():
        return office_at(sub.latitude, sub.longitude).successor()
    raise DomainError("missing_field", "Pilih kantor yang dilaporkan, atau gunakan lokasi Anda.", field="office")


def answer_days(category: str) -> int:
    row = CategoryDeadline.objects.filter(category=category).first()
    return row.working_days if row else DEFAULT_ANSWER_DAYS


class _Cleaned(TypedDict):
    """A submission checked and normalised by ``_clean``."""

    office: Office
    title: str
    text: str
    application: Application | None
    name: str
    email: str
    phone: str
    files: list[uploads.CheckedFile]


def _clean(sub: ReportSubmission) -> _Cleaned:
    """Check everything and report every problem at once (ValidationErrors), each on its field."""
    errors: list[DomainError] = []
    attempt = collect_into(errors, default=None)

    if sub.kind not in ReportKind.values:
        errors.append(DomainError("invalid_kind", "Pilih jenis laporan: pengaduan, aspirasi, atau pertanyaan.",
                                  field="kind"))
    if sub.category not in ReportCategory.values:
        errors.append(DomainError("invalid_category", "Pilih kategori laporan.", field="category"))
    office = attempt(_office_from, sub)
    title = " ".join((sub.title or "").split())
    text = (sub.text or "").strip()
    if len(title) < 5:
        errors.append(DomainError("missing_field", "Tulis judul singkat laporan (minimal 5 karakter).", field="title"))
    elif len(title) > 200:
        errors.append(DomainError("text_too_long", "Judul maksimal 200 karakter.", field="title"))
    if len(text) < TEXT_MIN:
        errors.append(DomainError("text_too_short", "Ceritakan laporan Anda minimal %(n)d karakter.",
                                  field="text", params={"n": TEXT_MIN}))
    elif len(text) > TEXT_MAX:
        errors.append(DomainError("text_too_long", "Isi laporan maksimal %(n)d karakter.", field="text",
                                  params={"n": TEXT_MAX}))
    application = attempt(_related_application, sub.application_code) if sub.application_code.strip() else None
    name = " ".join((sub.name or "").split())[:150]
    email = attempt(identity.clean_email, sub.email) or ""
    phone = (attempt(identity.clean_phone, sub.phone) or "") if (sub.phone or "").strip() else ""
    if not sub.anonymous and not name:
        errors.append(DomainError("missing_field", "Tulis nama Anda, atau pilih 'rahasiakan identitas saya'.",
                                  field="name"))
    files: list[uploads.CheckedFile] = []
    if len(sub.files) > MAX_ATTACHMENTS:
        errors.append(DomainError("too_many_files", "Maksimal %(n)d lampiran.", field="files",
                                  params={"n": MAX_ATTACHMENTS}))
    else:
        for i, f in enumerate(sub.files):
            if checked := attempt(uploads.check_upload, f, label=f"Lampiran {i + 1}", field="files"):
                files.append(checked)
    if errors:
        raise ValidationErrors(errors)
    assert office is not None  # no error means it was found
    return {"office": office, "title": title, "text": text, "application": application, "name": name,
            "email": email, "phone": phone, "files": files}


def _related_application(raw_code: str) -> Application:
    try:
        code = normalize_tracking_code(raw_code)
    except DomainError as exc:
        raise DomainError(exc.code, exc.text, field="application_code", status=exc.status, params=exc.params) from None
    application = Application.objects.filter(tracking_code=code).first()
    if application is None:
        if Report.objects.filter(tracking_code=code).exists():
            raise DomainError("wrong_code_kind", "Kode ini adalah kode lacak pengaduan, bukan kode permohonan "
                              "layanan.", field="application_code")
        raise DomainError("unknown_tracking_code", "Permohonan dengan kode lacak ini tidak ditemukan.",
                          field="application_code")
    return application


def report_submit(sub: ReportSubmission, *, now: datetime | None = None) -> Report:
    now = now or timezone.now()
    if sub.honeypot:
        raise DomainError("spam", "Laporan tidak dapat diterima.", status=400)
    if sub.ip:  # counted before the files are checked, whatever the outcome
        ratelimit.charge((ratelimit.REPORT_POSTS_PER_CLIENT, (sub.ip,)), code="too_many_reports")
    data = _clean(sub)
    # Limits count reports accepted (a refused one is given back), per client address per hour
    # and per phone and per e-mail address per day: core/ratelimit.py.
    uses: list[ratelimit.Use] = [(ratelimit.REPORTS_PER_CLIENT, (sub.ip,))] if sub.ip else []
    if data["phone"]:
        # A typed number is anyone's to type: counted with the client that typed it, so three
        # reports in someone else's name cannot use up the owner's day. (Over WhatsApp the client
        # is the sending number itself.)
        uses.append((ratelimit.REPORTS_PER_PHONE, (data["phone"], sub.ip) if sub.ip else (data["phone"],)))
    if data["email"] and sub.ip:  # typed on the public form or API, where anyone may type any address
        uses.append((ratelimit.REPORTS_PER_EMAIL, (data["email"].lower(),)))
    with ratelimit.spend(*uses, code="too_many_reports"):
        return _create(sub, data, now)


def _create(sub: ReportSubmission, data: _Cleaned, now: datetime) -> Report:
    office = data["office"]
    fingerprint = hashlib.sha256(
        "|".join([office.code, re.sub(r"\W+", " ", str(data["text"]).lower()).strip()]).encode()
    ).hexdigest()
    calendar = WorkingCalendar.for_office(office)
    # Attachments are written inside the transaction and removed if it does not commit.
    with uploads.files_in_transaction() as written:
        # A double tap sends the same report twice at once: the second waits for the first to commit,
        # then finds it (checked before the lock, both found nothing and both were filed).
        take_turn(fingerprint)
        earlier = Report.objects.filter(fingerprint=fingerprint, submitted_at__gte=now - DUPLICATE_WINDOW).first()
        if earlier is not None:
            # The earlier code is not given back: whoever knows a report's text must not get its code.
            raise Conflict("duplicate_report", "Laporan dengan isi yang sama sudah diterima dalam 24 jam terakhir. "
                           "Lacak dengan kode yang Anda terima saat itu.")
        report = Report(
            tracking_code=new_tracking_code(), kind=sub.kind, category=sub.category, office=office,
            title=data["title"], text=data["text"], application=data["application"],
            reporter_name=data["name"], reporter_email=data["email"], reporter_phone=data["phone"],
            anonymous=sub.anonymous, confidential=sub.confidential,
            integrity=sub.category in INTEGRITY_CATEGORIES, submitted_at=now, fingerprint=fingerprint,
            dialogue_id=sub.dialogue_id, language=reading_language.known(sub.language),
        )
        sla.sla_start(report, calendar=calendar, now=now,
                      working_days=VERIFY_DAYS + answer_days(sub.category))
        report.save()
        for f in data["files"]:
            _attach(report, f, now=now, by_reporter=True, written=written)
        record_event(report, "submit", to_status=S.SUBMITTED, label="Pelapor", now=now)
    return report


def _attach(report: Report, f: uploads.CheckedFile, *, now: datetime, by_reporter: bool,
            written: uploads.WrittenFiles) -> ReportAttachment:
    a = ReportAttachment(report=report, original_name=f.original_name, content_type=f.content_type, size=f.size,
                         sha256=f.sha256, uploaded_at=now, by_reporter=by_reporter)
    written.store(a.file, f"{report.tracking_code}-{f.sha256[:12]}", f.upload)  # storage_full / _unavailable
    a.save()
    return a


SUBJECTS = {
    "submit": gettext_noop("Laporan %(code)s diterima"),
    "verify": gettext_noop("Laporan %(code)s diverifikasi"),
    "forward": gettext_noop("Laporan %(code)s diteruskan"),
    "answer": gettext_noop("Laporan %(code)s telah dijawab"),
    "reject": gettext_noop("Laporan %(code)s tidak dapat diproses"),
    "close": gettext_noop("Laporan %(code)s selesai"),
}


def record_event(report: Report, action: str, *, user=None, note: str = "", to_status: str = "",  # type: ignore[no-untyped-def]
           public: bool = True, label: str | None = None, now: datetime | None = None,
           data: dict | None = None) -> ReportEvent:
    event = ReportEvent.objects.create(
        report=report, at=now or timezone.now(), action=action, to_status=to_status,
        actor=user if user is not None and user.is_authenticated else None,
        # A full name runs to 301 characters (first and last name), the column to 150.
        actor_label=fitted(ReportEvent, "actor_label",
                           label or (user.get_full_name() or user.get_username() if user else "Sistem")),
        note=note, public=public, data=data or {},
    )
    integration_events.report_event(report, event)  # webhooks, in this same transaction
    subject = SUBJECTS.get(action)
    if subject and report.reporter_email and public:
        from django.conf import settings

        with translation.override(report.language or "id"):  # the reporter's, never the officer's
            body = "\n".join([
                gettext("Laporan Anda: %(title)s") % {"title": report.title},
                gettext("Status: %(status)s") % {"status": report.get_status_display()},
                *(["", event.note_shown] if note else []), "",
                gettext("Lacak laporan: %(url)s") % {"url": f"{settings.SITE_URL}/pengaduan/{report.tracking_code}/"},
                gettext("Pesan ini dikirim otomatis oleh Satu Pintu Kementerian Agama."),
            ])
            subject = gettext(subject) % {"code": report.tracking_code}
        outbox_enqueue(channel="email", recipient=report.reporter_email, subject=subject, body=body,
                       dedupe_key=f"{REPORTER_KEY_PREFIX}{event.pk}:email")
    return event


# --- who may see and do what --------------------------------------------------------------

def report_scope(user):  # type: ignore[no-untyped-def]
    """A filter on Report for what the user may see; None means everything (organization.access)."""
    from satupintu.organization.access import report_scope as scope

    return scope(user)


def visible_reports(user):  # type: ignore[no-untyped-def]
    scope = report_scope(user)
    qs = Report.objects.select_related("office", "unit")
    return qs if scope is None else qs.filter(scope)


def _may(user, report: Report, action: str) -> bool:  # type: ignore[no-untyped-def]
    from satupintu.organization.access import may_act_on_report

    return may_act_on_report(user, report, action)


TRANSITIONS = {
    "verify": ({S.SUBMITTED}, S.VERIFIED),
    "forward": ({S.SUBMITTED, S.VERIFIED, S.FORWARDED}, S.FORWARDED),
    "answer": ({S.VERIFIED, S.FORWARDED}, S.ANSWERED),
    "reject": ({S.SUBMITTED, S.VERIFIED}, S.REJECTED),
}


def allowed_report_actions(report: Report, user) -> list[str]:  # type: ignore[no-untyped-def]
    actions = [a for a, (sources, _) in TRANSITIONS.items()
               if report.status in sources and _may(user, report, a) and not (a == "forward" and report.integrity)]
    if not report.is_final and _may(user, report, "recategorize"):
        actions.append("recategorize")
    return actions


def report_recategorize(report: Report, *, user, category: str, note: str,  # type: ignore[no-untyped-def]
                        now: datetime | None = None) -> Report:
    """Correct the category a reporter chose, with the officer's reason.

    A bribery report filed as "Kualitas layanan" becomes an integrity report exactly as if it
    had been filed so: the inspectorate handles it, and it leaves the unit and the complaint
    desk (who may be the ones reported on). The inspectorate can correct it back.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    if category not in ReportCategory.values:
        raise DomainError("invalid_category", "Pilih kategori laporan.", field="category")
    if not note:
        raise DomainError("note_required", "Tuliskan alasan perubahan kategori.", field="note")
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("office").get(pk=report.pk)
        if not _may(user, report, "recategorize"):
            raise Forbidden("forbidden", "Anda tidak berwenang menangani laporan ini.")
        if report.is_final:
            raise DomainError("invalid_transition", "Laporan yang sudah selesai tidak bisa diubah kategorinya.",
                              status=409)
        if category == report.category:
            raise DomainError("same_category", "Kategori yang dipilih sama dengan kategori sekarang.",
                              field="category")
        before = ReportCategory(report.category).label
        report.category = category
        report.integrity = category in INTEGRITY_CATEGORIES
        if report.integrity:
            # Out of the unit's hands: the inspectorate answers integrity reports itself.
            report.unit = None
            if report.status == S.FORWARDED:
                report.status = S.VERIFIED
            # It may already be in the Situation Room, read by staff everywhere: it leaves with the rest.
            from satupintu.situation.internal import withdraw_report

            withdraw_report(report.tracking_code)
        report.save()
        # Stored in Indonesian whatever the officer reads in; the English kept beside it for English pages.
        labels = {"before": before, "after": ReportCategory(category).label}
        said, english = ({k: text_in(language, v) for k, v in labels.items()} for language in ("id", "en"))
        message = (gettext_noop("Kategori: %(before)s → %(after)s. Diteruskan ke Inspektorat (laporan integritas).")
                   if report.integrity else gettext_noop("Kategori: %(before)s → %(after)s."))
        record_event(report, "recategorize", user=user, public=False, now=now,
                     **actors.step_note(message, note, english=english, before=said["before"], after=said["after"]))
    return report


NOTE_NEEDED = {
    "answer": gettext_noop("Tuliskan jawabannya."),
    "reject": gettext_noop("Tuliskan alasan laporan tidak dapat diproses."),
    "forward": gettext_noop("Tuliskan catatan untuk unit tujuan."),
}


def report_act(report: Report, action: str, *, user, note: str = "", office: Office | None = None,  # type: ignore[no-untyped-def]
               unit: Unit | None = None, now: datetime | None = None) -> Report:
    now = now or timezone.now()
    if action not in TRANSITIONS:
        raise DomainError("unknown_action", "Aksi tidak dikenal.")
    sources, target = TRANSITIONS[action]
    note = (note or "").strip()
    internal_note, said = "", {}
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("office").get(pk=report.pk)
        if not _may(user, report, action):
            raise Forbidden("forbidden", "Anda tidak berwenang menangani laporan ini.")
        if report.status not in sources:
            raise DomainError("invalid_transition", "Aksi ini tidak bisa dilakukan pada status '%(status)s'.",
                              status=409, params={"status": report.get_status_display()})
        if action == "forward" and report.integrity:
            raise DomainError("integrity_stays_with_inspectorate", "Laporan integritas ditangani Inspektorat, "
                              "tidak diteruskan ke unit.", status=409)
        # Every missing part at once, each in the words of its action (one at a time, and "the
        # answer or the note" for a forwarding note, before).
        missing = []
        if action in NOTE_NEEDED and not note:
            missing.append(DomainError("note_required", NOTE_NEEDED[action], field="note"))
        if action == "forward" and unit is None:
            missing.append(DomainError("invalid_destination", "Pilih unit tujuan.", field="unit"))
        if missing:
            raise ValidationErrors(missing)
        if action == "forward":
            assert unit is not None
            destination = office or report.office
            if report.status == S.FORWARDED and destination.pk == report.office_id and unit.pk == report.unit_id:
                # A resent form (back, then send again): once is enough, and the reporter was told once.
                raise DomainError("same_destination", "Laporan ini sudah diteruskan ke unit itu.", field="unit",
                                  status=409)
            related = {report.office_id, report.office.parent_id,
                       *report.office.children.values_list("pk", flat=True)}
            if destination.pk not in related:
                raise DomainError("invalid_destination", "Teruskan ke kantor sendiri, kantor atasan, atau kantor di "
                                  "bawahnya.", field="office")
            if destination.pk != report.office_id:
                before = WorkingCalendar.for_office(report.office)
                report.office = destination
                sla.sla_reschedule(report, before=before, calendar=WorkingCalendar.for_office(destination), now=now)
                report.warned_at = report.escalated_at = None  # the new office's own warning and escalation
            report.unit = unit
            said = actors.step_note(gettext_noop("Ke %(unit)s, %(office)s."), unit=unit.name, office=destination.name,
                                    english={"unit": unit.name_en})
            internal_note, note = note, said["note"]
        if action == "answer":
            report.answer, report.answered_at = note, now
            sla.sla_stop(report, calendar=WorkingCalendar.for_office(report.office), now=now)
        if action == "reject":
            sla.sla_stop(report, calendar=WorkingCalendar.for_office(report.office), now=now)
            report.closed_at = now
        report.status = target
        report.save()
        record_event(report, action, user=user, note=note, to_status=target, now=now, data=said.get("data"))
        if action == "forward" and internal_note:
            # The disposition note is between officers; the reporter sees where it went.
            record_event(report, "note", user=user, note=internal_note, public=False, now=now)
    return report


def report_for_tracking(raw: str) -> Report:
    code = normalize_tracking_code(raw)
    report = Report.objects.select_related("office", "unit").filter(tracking_code=code).first()
    if report is None:
        if Application.objects.filter(tracking_code=code).exists():
            raise DomainError("wrong_code_kind", "Kode ini adalah kode permohonan layanan; lacak di halaman "
                              "Lacak Permohonan.", field="tracking_code", status=404)
        raise unknown_tracking_code()
    return report


def report_add_information(report: Report, *, text: str, files: list[UploadedFile]) -> Report:
    """The reporter adds information while the report is open; every problem named at once."""
    if report.is_final:
        raise DomainError("invalid_transition", "Laporan sudah selesai.", status=409)
    text = (text or "").strip()
    errors: list[DomainError] = []
    attempt = collect_into(errors, default=None)
    if not text and not files:
        errors.append(DomainError("missing_field", "Tulis tambahan informasi atau lampirkan berkas.", field="text"))
    elif len(text) > TEXT_MAX:
        errors.append(DomainError("text_too_long", "Maksimal %(n)d karakter.", field="text", params={"n": TEXT_MAX}))
    checked: list[uploads.CheckedFile] = []
    if report.attachments.count() + len(files) > MAX_ATTACHMENTS * 2:
        errors.append(DomainError("too_many_files", "Lampiran sudah terlalu banyak.", field="files"))
    else:
        for i, f in enumerate(files):
            if ok := attempt(uploads.check_upload, f, label=f"Lampiran {i + 1}", field="files"):
                checked.append(ok)
    if errors:
        raise ValidationErrors(errors)
    now = timezone.now()
    with uploads.files_in_transaction() as written:
        Report.objects.select_for_update().filter(pk=report.pk).first()  # two sends of one form in turn
        if _resent(report, text, checked, now):
            return report  # the same addition again (a double tap, "send" after "back"): once is enough
        for c in checked:
            _attach(report, c, now=now, by_reporter=True, written=written)
        record_event(report, "add_info", label="Pelapor", note=text, now=now)
    return report


RESEND_WINDOW = timedelta(minutes=10)


def _resent(report: Report, text: str, checked: list[uploads.CheckedFile], now: datetime) -> bool:
    """Whether the reporter added exactly this (the same words, files already attached) a moment ago."""
    since = now - RESEND_WINDOW
    if not report.events.filter(action="add_info", at__gte=since, note=text).exists():
        return False
    attached = set(report.attachments.filter(by_reporter=True, uploaded_at__gte=since).values_list("sha256", flat=True))
    return all(c.sha256 in attached for c in checked)


def report_confirm(report: Report, *, resolved: bool | None, rating: int | None, comment: str = "") -> Report:
    """The reporter says whether the answer solved it; not solved sends it back for a new answer."""
    if report.status != S.ANSWERED:
        raise DomainError("invalid_transition", "Konfirmasi hanya setelah laporan dijawab.", status=409)
    errors: list[DomainError] = []
    if resolved is None:
        errors.append(DomainError("missing_field", "Pilih apakah jawaban menyelesaikan masalah Anda.",
                                  field="resolved"))
    if rating is not None and not 1 <= rating <= 5:
        errors.append(DomainError("invalid_rating", "Nilai 1 sampai 5.", field="rating"))
    if errors:
        raise ValidationErrors(errors)
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != S.ANSWERED:  # a "ya" and a "tidak" at once, or the auto-close sweep, came first
            raise DomainError("invalid_transition", "Konfirmasi hanya setelah laporan dijawab.", status=409)
        report.resolved, report.rating = resolved, rating
        if resolved:
            report.status, report.closed_at = S.CLOSED, now
            record_event(report, "close", label="Pelapor", to_status=S.CLOSED, now=now,
                   **({"note": comment.strip()} if (comment or "").strip() else
                      actors.step_note(gettext_noop("Pelapor menyatakan selesai."))))
        else:
            report.status = S.FORWARDED
            sla.sla_resume(report, calendar=WorkingCalendar.for_office(report.office), now=now)
            # A new clock, so warnings and escalation start over (the sweep skips a report escalated
            # once: reopened after a late answer, it sat overdue with nobody told).
            report.warned_at = report.escalated_at = None
            record_event(report, "reopen", label="Pelapor", to_status=S.FORWARDED, now=now,
                   **({"note": comment.strip()} if (comment or "").strip() else
                      actors.step_note(gettext_noop("Jawaban belum menyelesaikan masalah."))))
        report.save()
    return report
