"""An office's own terms, set by its administrator or head: opening hours and days, which
national services it opens, its own completion times and which requirements it asks for.

Each function checks everything first and names every problem at once (``ValidationErrors``),
then saves in one transaction: a wrong value saves nothing. Who may call them is decided by
the settings pages (``organization.access.settings_offices``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.core.numbers import typed_int
from satupintu.organization.models import Office
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services.models import OfficeService, Requirement, Service

WEEKDAYS = "1234567"  # Monday .. Sunday, as stored in Office.working_weekdays
MAX_WORKING_DAYS = 365
REQUIREMENT_RULES = ("mandatory", "optional", "hidden")  # anything else: the national standard
MAX_REQUIREMENT_NAME = 300
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # line breaks and tabs are folded


@dataclass(frozen=True)
class ServiceSetting:
    """One service at the office: open or not, and its own completion time (None: national)."""

    enabled: bool
    working_days: int | None = None


def office_services(office: Office) -> list[Service]:
    """The national services an office of this level may offer (the settings page lists them)."""
    return [s for s in Service.objects.select_related("unit").filter(is_active=True) if office.level in s.levels]


def settings_errors(office: Office, *, opens_at: time | None, closes_at: time | None, weekdays: str,
                    services: dict[int, ServiceSetting]) -> list[DomainError]:
    """Everything wrong with these settings (empty: they can be saved)."""
    errors: list[DomainError] = []
    if opens_at is None:
        errors.append(DomainError("missing_field", "Tulis jam buka (format 08:00).", field="opens_at"))
    if closes_at is None:
        errors.append(DomainError("missing_field", "Tulis jam tutup (format 16:00).", field="closes_at"))
    elif opens_at is not None and closes_at <= opens_at:
        errors.append(DomainError("invalid_hours", "Jam layanan tidak valid: jam tutup harus setelah jam buka "
                                  "(format 08:00).", field="closes_at"))
    days = "".join(sorted(set(weekdays or "")))
    if not days:
        errors.append(DomainError("missing_field", "Pilih minimal satu hari layanan.", field="weekdays"))
    elif not set(days) <= set(WEEKDAYS):
        errors.append(DomainError("invalid_field", "Hari layanan tidak dikenal.", field="weekdays"))
    offered = office_services(office)
    for s in offered:
        n = services.get(s.pk, ServiceSetting(enabled=False)).working_days
        if n is not None and not 1 <= n <= MAX_WORKING_DAYS:
            errors.append(DomainError("invalid_working_days", "Waktu penyelesaian '%(service)s' harus 1-%(max)d hari "
                                      "kerja.", field=f"days-{s.pk}", params={"service": s.name,
                                                                             "max": MAX_WORKING_DAYS}))
    return errors


def office_update_settings(office: Office, *, opens_at: time | None, closes_at: time | None, weekdays: str,
                           services: dict[int, ServiceSetting], now: datetime | None = None) -> Office:
    """Opening hours and days, and each service's switch and completion time. ``services``
    is keyed by service id; services of other levels are ignored."""
    if errors := settings_errors(office, opens_at=opens_at, closes_at=closes_at, weekdays=weekdays,
                                 services=services):
        raise ValidationErrors(errors)
    assert opens_at is not None and closes_at is not None
    days = "".join(sorted(set(weekdays)))
    offered = office_services(office)
    overrides = {o.service_id: o for o in OfficeService.objects.filter(office=office)}
    with transaction.atomic():
        # The hours as they are now, read under the row's lock: two administrators saving at once
        # reschedule in turn, each from the hours the other left (not twice from the same ones).
        locked = Office.objects.select_for_update().get(pk=office.pk)
        before = WorkingCalendar.for_office(locked)
        changed = (locked.opens_at, locked.closes_at, locked.working_weekdays) != (opens_at, closes_at, days)
        office.opens_at, office.closes_at, office.working_weekdays = opens_at, closes_at, days
        office.save(update_fields=["opens_at", "closes_at", "working_weekdays"])
        if changed:
            reschedule_open_work(office, before=before, now=now)
        for s in offered:
            setting = services.get(s.pk, ServiceSetting(enabled=False))
            own_days = setting.working_days if setting.working_days != s.working_days else None
            current = overrides.get(s.pk)
            if setting.enabled and own_days is None and (current is None or not current.requirement_overrides):
                # The national terms exactly: no row, so later national changes reach the office.
                OfficeService.objects.filter(office=office, service=s).delete()
                continue
            OfficeService.objects.update_or_create(office=office, service=s,
                                                   defaults={"enabled": setting.enabled, "working_days": own_days})
    return office


def reschedule_open_work(office: Office, *, before: WorkingCalendar, now: datetime | None = None) -> int:
    """The office's hours or days changed: every open application and report keeps the time it used
    and has the same share of working days left, counted in the new hours (a due date of 16.00 at an
    office now closing at 12.00 was left as it was). Returns how many clocks were moved."""
    from satupintu.feedback.models import Report, ReportStatus
    from satupintu.services import sla
    from satupintu.services.models import FINAL_STATUSES, Application

    now = now or timezone.now()
    after = WorkingCalendar.for_office(office)
    fields = ["sla_budget_seconds", "sla_used_seconds", "sla_running_since", "due_at"]
    moved = 0
    report_final = (ReportStatus.CLOSED, ReportStatus.REJECTED)
    for model, final in ((Application, FINAL_STATUSES), (Report, report_final)):
        for item in model.objects.select_for_update().filter(office=office).exclude(status__in=final):
            sla.sla_reschedule(item, before=before, calendar=after, now=now)
            item.save(update_fields=fields)
            moved += 1
    return moved


def office_set_requirements(office: Office, service: Service, *, rules: dict[str, str], extra_name: str = "",
                            extra_mandatory: bool = False) -> OfficeService:
    """The office's rule for each national requirement of ``service`` (``REQUIREMENT_RULES``;
    missing or "default": the national standard), and optionally one requirement of its own."""
    national = {r.code: r for r in Requirement.objects.filter(service=service, office__isnull=True)}
    errors: list[DomainError] = []
    for code, rule in rules.items():
        if code not in national:
            errors.append(DomainError("unknown_document", "Berkas '%(code)s' bukan persyaratan layanan ini.",
                                      field=code, params={"code": code}))
        elif rule not in (*REQUIREMENT_RULES, "default", ""):
            errors.append(DomainError("invalid_field", "Pilihan untuk '%(name)s' tidak dikenal.", field=code,
                                      params={"name": national[code].name}))
    extra = " ".join((extra_name or "").split())
    if _CONTROL.search(extra_name or ""):
        errors.append(DomainError("invalid_text", "Nama persyaratan berisi karakter yang tidak diizinkan.",
                                  field="extra_name"))
    if len(extra) > MAX_REQUIREMENT_NAME:
        errors.append(DomainError("text_too_long", "Nama persyaratan maksimal %(n)d karakter.", field="extra_name",
                                  params={"n": MAX_REQUIREMENT_NAME}))
    if errors:
        raise ValidationErrors(errors)
    with transaction.atomic():
        override, _ = OfficeService.objects.get_or_create(office=office, service=service)
        override.requirement_overrides = {code: rule for code, rule in rules.items() if rule in REQUIREMENT_RULES}
        override.save(update_fields=["requirement_overrides"])
        if extra:
            _add_extra(override, extra, extra_mandatory)
    return override


def _add_extra(override: OfficeService, name: str, mandatory: bool) -> None:
    """The office's own requirement, once: sent again (a double click, the form resent after
    "back") the same name, spaced or cased differently, adds nothing."""
    OfficeService.objects.select_for_update().get(pk=override.pk)  # one office's saves in turn
    existing = Requirement.objects.filter(service=override.service, office=override.office)
    if any(" ".join(r.name.split()).casefold() == name.casefold() for r in existing):
        return
    numbers = [n for c in existing.values_list("code", flat=True)
               if (n := typed_int(c.removeprefix("tambahan_"))) is not None]
    Requirement.objects.create(service=override.service, office=override.office,
                               code=f"tambahan_{max(numbers, default=0) + 1}", name=name, mandatory=mandatory,
                               order=99)
