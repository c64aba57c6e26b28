"""Field reports in and decided: ``submit`` (from the phone's outbox, once per client_id),
``verify`` (the report becomes an item of the Situation Room) and ``reject`` (with a reason).

The phone may send the same report more than once (a flaky connection: the answer was lost,
not the request); the ``client_id`` the outbox made when the report was saved makes every
resend the same report, answered the same way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from satupintu.core import ratelimit
from satupintu.core.errors import Conflict, DomainError, Forbidden, ValidationErrors, collect_into
from satupintu.field import access, locations
from satupintu.field.models import Category, FieldPhoto, FieldReport, ReportStatus, Urgency
from satupintu.field.photos import CheckedPhoto, check_photos
from satupintu.field.room import add_to_room
from satupintu.services.uploads import files_in_transaction

MAX_DESCRIPTION = 4000
MAX_PEOPLE = 1_000_000
MAX_REASON = 300
# A phone's clock runs a little ahead now and then: "in the future" means beyond this.
CLOCK_SLACK = timedelta(minutes=10)
EARLIEST_YEAR = 2000  # what a report can be about; earlier dates are typing slips

NOT_A_REPORTER_MESSAGE = ("Akun Anda tidak terdaftar sebagai pelapor lapangan. Minta administrator Kankemenag "
                          "menambahkan peran Pelapor lapangan.")
OTHER_ACCOUNT_MESSAGE = ("Laporan ini disimpan di ponsel saat akun lain masuk. Masuk dengan akun itu untuk "
                         "mengirimnya; laporan tetap menunggu di ponsel.")
ACCOUNT_DISABLED_MESSAGE = ("Akun Anda telah dinonaktifkan, sehingga laporan ini tidak diterima. Hubungi "
                            "administrator Kankemenag Anda.")


@dataclass
class Submission:
    """What the form sends (strings as they came; ``photos`` the uploaded files)."""

    client_id: str
    category: str
    urgency: str
    description: str
    occurred_at: str = ""
    submitted_at: str = ""
    people_involved: str = ""
    latitude: str = ""
    longitude: str = ""
    regency_code: str = ""
    district_code: str = ""
    # The account the outbox saved the report under (its user id): the service worker sends
    # with whatever session the browser has, and a report must never land on another account.
    reporter: str = ""
    photos: list[UploadedFile] = field(default_factory=list)


def _client_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID((value or "").strip())
    except ValueError:
        raise DomainError("client_id_invalid", "Kode laporan dari ponsel tidak valid. Muat ulang aplikasi lalu kirim lagi.",
                          field="client_id") from None


def _choice(value: str, choices: type[Category] | type[Urgency], code: str, message: str, name: str) -> str:
    if value not in choices.values:
        raise DomainError(code, message, field=name)
    return value


def _description(value: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("description_required", "Tuliskan apa yang terjadi.", field="description")
    if len(text) > MAX_DESCRIPTION:
        raise DomainError("description_too_long", "Uraian terlalu panjang (%(n)d karakter); maksimal %(max)d.",
                          field="description", params={"n": len(text), "max": MAX_DESCRIPTION})
    return text


def _people(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    # "²" is a digit to isdigit(); a run of thousands of digits is too long for int() itself.
    if not (value.isascii() and value.isdigit()) or len(value) > 7 or int(value) > MAX_PEOPLE:
        raise DomainError("people_invalid", "Jumlah orang yang terlibat harus bilangan bulat 0 sampai %(max)d.",
                          field="people_involved", params={"max": MAX_PEOPLE})
    return int(value)


def _moment(value: str, now: datetime) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise DomainError("occurred_at_invalid", "Waktu kejadian tidak dapat dibaca.", field="occurred_at")
    if moment.year < EARLIEST_YEAR:  # year 1, typed by hand, would overflow on the way to UTC
        raise DomainError("occurred_at_too_early", "Waktu kejadian paling awal tahun %(year)d.", field="occurred_at",
                          params={"year": EARLIEST_YEAR})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _occurred_at(value: str, now: datetime) -> datetime | None:
    moment = _moment(value, now)
    if moment is not None and moment > now + CLOCK_SLACK:
        raise DomainError("occurred_in_future", "Waktu kejadian tidak boleh di masa depan.", field="occurred_at")
    return moment


def _submitted_at(value: str, now: datetime) -> datetime:
    """When the phone saved the report (hours before it arrived, offline); never later than now."""
    try:
        moment = _moment(value, now)
    except DomainError:
        moment = None
    return min(moment, now) if moment is not None else now


def _existing(client_id: uuid.UUID, user: access.User) -> FieldReport | None:
    report = FieldReport.objects.filter(client_id=client_id).first()
    if report is not None and report.reporter_id != user.pk:
        raise Conflict("client_id_taken", "Kode laporan ini sudah dipakai laporan lain. Muat ulang aplikasi lalu kirim "
                       "lagi.", field="client_id")
    return report


def delivered_before(user_id: int, raw_client_id: str) -> FieldReport | None:
    """The report this (since disabled) account already delivered under ``raw_client_id``: a
    resend whose first answer was lost is told it arrived, not that it was refused."""
    try:
        client_id = _client_id(raw_client_id)
    except DomainError:
        return None
    return FieldReport.objects.filter(client_id=client_id, reporter_id=user_id).first()


def submit(user: access.User, sub: Submission, *, now: datetime | None = None) -> tuple[FieldReport, bool]:
    """Store a report from ``user``: (the report, True) the first time, (the same report, False)
    for a resend of the same ``client_id``. DomainError (ValidationErrors with all problems)
    otherwise: nothing is stored then, so the phone may send the corrected report again under
    the same ``client_id``."""
    now = now or timezone.now()
    if sub.reporter.strip() and sub.reporter.strip() != str(user.pk):
        # Not a refusal of the report: it waits on the phone until its own account signs in.
        raise Conflict("other_account", OTHER_ACCOUNT_MESSAGE)
    if not getattr(user, "is_active", False):
        raise Forbidden("account_disabled", ACCOUNT_DISABLED_MESSAGE)
    if not access.may_report(user):
        raise Forbidden("not_a_reporter", NOT_A_REPORTER_MESSAGE)
    client_id = _client_id(sub.client_id)
    if (report := _existing(client_id, user)) is not None:
        return report, False
    if not ratelimit.take(ratelimit.FIELD_REPORT_POSTS_PER_USER, user.pk):
        raise DomainError("too_many_attempts", ratelimit.FIELD_REPORT_POSTS_PER_USER.message, status=429)
    errors: list[DomainError] = []
    attempt = collect_into(errors)
    category = attempt(_choice, sub.category, Category, "unknown_category", "Pilih kategori laporan.", "category")
    urgency = attempt(_choice, sub.urgency, Urgency, "unknown_urgency", "Pilih tingkat urgensi.", "urgency")
    place = attempt(locations.resolve, latitude=sub.latitude, longitude=sub.longitude,
                    regency_code=sub.regency_code, district_code=sub.district_code)
    people = attempt(_people, sub.people_involved)
    description = attempt(_description, sub.description)
    occurred_at = attempt(_occurred_at, sub.occurred_at, now)
    photos: list[CheckedPhoto] = attempt(check_photos, sub.photos) or []
    if errors:
        raise ValidationErrors(errors)
    office = access.reporting_office(user, place.regency_code)
    if office is None:  # may_report said yes, so there is a role and an office
        raise Forbidden("not_a_reporter", NOT_A_REPORTER_MESSAGE)
    if not ratelimit.take(ratelimit.FIELD_REPORTS_PER_USER, user.pk):
        limit = ratelimit.FIELD_REPORTS_PER_USER
        raise DomainError("too_many_reports", limit.message, status=429)
    submitted_at = _submitted_at(sub.submitted_at, now)
    try:
        with files_in_transaction() as written:
            report = FieldReport.objects.create(  # type: ignore[misc]  # user: a signed-in User here
                client_id=client_id, reporter=user, office=office, province_code=place.province_code,
                regency_code=place.regency_code, district_code=place.district_code, latitude=place.latitude,
                longitude=place.longitude, category=category, urgency=urgency, people_involved=people,
                description=description, occurred_at=occurred_at or submitted_at, submitted_at=submitted_at)
            for photo in photos:
                row = FieldPhoto(report=report, content_type=photo.content_type, size=photo.size, sha256=photo.sha256)
                written.store(row.file, "foto", photo.upload)
                row.save()
    except IntegrityError:
        # The same report arrived twice at once (two retries racing): the first one stands.
        ratelimit.refund(ratelimit.FIELD_REPORTS_PER_USER, user.pk)
        if (report := _existing(client_id, user)) is None:
            raise
        return report, False
    return report, True


def verify(user: access.User, report: FieldReport, *, now: datetime | None = None) -> FieldReport:
    """The Kankemenag confirms what was reported: the report becomes an item of the room."""
    if not access.may_verify(user, report):
        raise Forbidden("not_your_office", "Hanya kepala atau administrator Kankemenag pelapor yang dapat memverifikasi "
                        "laporan ini.")
    if report.reporter_id == user.pk and not getattr(user, "is_superuser", False):
        # Four eyes: a head who reports could otherwise put a "critical" report into the room alone
        # and move the region's early-warning zone.
        raise Forbidden("own_report", "Laporan Anda sendiri diverifikasi oleh kepala atau administrator lain di kantor "
                        "Anda.")
    with transaction.atomic():
        report = FieldReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict("already_decided", "Laporan ini sudah diputuskan (%(status)s).",
                           params={"status": report.get_status_display()})
        report.status = ReportStatus.VERIFIED
        report.verified_by = user  # type: ignore[assignment]
        report.verified_at = now or timezone.now()
        report.item = add_to_room(report)
        report.save(update_fields=["status", "verified_by", "verified_at", "item"])
    return report


def reject(user: access.User, report: FieldReport, reason: str, *, now: datetime | None = None) -> FieldReport:
    if not access.may_verify(user, report):
        raise Forbidden("not_your_office", "Hanya kepala atau administrator Kankemenag pelapor yang dapat memverifikasi "
                        "laporan ini.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("reason_required", "Tuliskan alasan penolakan (pelapor akan membacanya).", field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError("reason_too_long", "Alasan terlalu panjang (%(n)d karakter); maksimal %(max)d.",
                          field="reason", params={"n": len(reason), "max": MAX_REASON})
    with transaction.atomic():
        report = FieldReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict("already_decided", "Laporan ini sudah diputuskan (%(status)s).",
                           params={"status": report.get_status_display()})
        report.status = ReportStatus.REJECTED
        report.verified_by = user  # type: ignore[assignment]
        report.verified_at = now or timezone.now()
        report.rejection_reason = reason
        report.save(update_fields=["status", "verified_by", "verified_at", "rejection_reason"])
        from satupintu.situation.responses import close_for_rejected_report

        close_for_rejected_report(report, user=user, reason=reason, now=report.verified_at)
    return report
