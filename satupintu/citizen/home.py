"""Beranda saya: everything of one person in one list, each with its status, its due date and
the next thing they must do (or nothing, when the office holds it).

The person's things: applications linked to the account, and everything filed with a phone the
account proved (citizen/claims.py): applications not held by another account, reports
(complaints, aspirations, questions; NGOPAS aspirations named as such), the survey answers of
their applications, and the cases they follow in the ministry's other apps (bridge), whose
status is already in our vocabulary (services.models.Status).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.bridge import catalog as bridge_catalog
from satupintu.bridge.catalog import LinkOut
from satupintu.bridge.models import ExternalCase
from satupintu.citizen.claims import phones_of
from satupintu.feedback.models import Report, ReportStatus, SurveyResponse
from satupintu.services.models import Application, DocumentKind, Status


@dataclass(frozen=True)
class Step:
    label: Any  # a lazy translation
    url: str = ""
    link_out: LinkOut | None = None  # to another app: what it carries goes by POST (bridge/_link_out.html)


@dataclass(frozen=True)
class Item:
    kind: Any  # "Permohonan", "Pengaduan", "Aspirasi NGOPAS", "Survei", "Aplikasi lain"
    code: str
    title: str
    status: str  # the status value (the badge's class)
    status_label: Any
    when: datetime | None  # filed (or answered), office-local
    due: datetime | None  # office-local
    step: Step | None
    url: str = ""
    # The application's issued products: (name, download link, verification link).
    documents: tuple[tuple[str, str, str], ...] = ()


WAIT = Step(_("Menunggu petugas"))


def _local(value: datetime | None, tz: str) -> datetime | None:
    return value.astimezone(ZoneInfo(tz)) if value else None


def applications_of(user: Any, phones: list[str]) -> Any:
    return (Application.objects.select_related("service", "office")
            .filter(Q(user=user) | Q(phone__in=phones, user__isnull=True))
            .order_by("-submitted_at"))


def reports_of(phones: list[str]) -> Any:
    return Report.objects.select_related("dialogue", "office").filter(reporter_phone__in=phones).order_by("-submitted_at") \
        if phones else Report.objects.none()


def application_step(app: Application) -> Step | None:
    """What the applicant must do now; None when nothing is left."""
    track = f"/lacak/{app.tracking_code}/"
    if app.status == Status.NEEDS_COMPLETION:
        return Step(_("Lengkapi berkas"), track + "#lengkapi")  # straight to the upload section
    if app.status == Status.COMPLETED:
        if app.handed_over_at is None:
            if any(d.kind == DocumentKind.PRODUCT and not d.superseded for d in app.documents.all()):
                return Step(_("Unduh produk"), track)
            if app.pickup_instructions:
                return Step(_("Ambil produk di loket"), track)
        if not SurveyResponse.objects.filter(application=app).exists():
            from satupintu.feedback.survey import invitation_token

            return Step(_("Isi survei"), f"/survei/{invitation_token(app)}/")
        return None
    if app.status in (Status.REJECTED, Status.WITHDRAWN):
        return None
    return WAIT


def report_step(report: Report) -> Step | None:
    if report.status == ReportStatus.ANSWERED:
        return Step(_("Baca jawaban dan beri tanggapan"), f"/pengaduan/{report.tracking_code}/")
    if report.is_final:
        return None
    return WAIT


def _products(app: Application) -> tuple[tuple[str, str, str], ...]:
    """The products the citizen can download now, each with where anyone can check it."""
    if app.status != Status.COMPLETED:
        return ()
    found = []
    for d in app.documents.all():
        if d.kind != DocumentKind.PRODUCT or d.superseded:
            continue
        issued = getattr(d, "issued", None) if hasattr(d, "issued") else None
        found.append((d.original_name, f"/lacak/{app.tracking_code}/produk/{d.pk}/",
                      f"/verifikasi/{issued.token}" if issued is not None else ""))
    return tuple(found)


def items_for(user: Any) -> list[Item]:
    phones = phones_of(user)
    items: list[Item] = []
    apps = list(applications_of(user, phones).prefetch_related("documents", "documents__issued"))
    for app in apps:
        items.append(Item(_("Permohonan"), app.tracking_code, str(app.service.local_name), app.status,
                          app.get_status_display(), _local(app.submitted_at, app.office.timezone),
                          _local(app.due_at, app.office.timezone),
                          application_step(app), f"/lacak/{app.tracking_code}/", _products(app)))
    for answer in SurveyResponse.objects.select_related("application").filter(application__in=apps):
        assert answer.application is not None
        items.append(Item(_("Survei"), answer.application.tracking_code, str(_("Survei kepuasan")), "completed",
                          _("Terisi"), None, None, None))
    for report in reports_of(phones):
        kind = _("Aspirasi NGOPAS") if report.dialogue_id else report.get_kind_display()
        title = report.title + (f" ({report.dialogue.title})" if report.dialogue else "")
        items.append(Item(kind, report.tracking_code, title, report.status, report.get_status_display(),
                          _local(report.submitted_at, report.office.timezone), _local(report.due_at, report.office.timezone),
                          report_step(report), f"/pengaduan/{report.tracking_code}/"))
    for case in ExternalCase.objects.select_related("app").filter(phone__in=phones):
        label = Status(case.last_status).label if case.last_status else _("Belum diketahui")
        step = Step(_("Lengkapi di %(app)s") % {"app": case.app.short_name},
                    link_out=bridge_catalog.link_out(case.app, {"phone": case.phone})) \
            if case.last_status == Status.NEEDS_COMPLETION else None
        items.append(Item(case.app.short_name, case.reference, case.last_label or str(case.app.name),
                          case.last_status or "submitted", label, _local(case.created_at, settings.TIME_ZONE), None,
                          step))
    return items
