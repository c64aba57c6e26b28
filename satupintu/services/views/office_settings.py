"""An office administrator's own settings: opening hours, which services the office offers,
its own completion times and which requirements it asks for."""

from __future__ import annotations

from datetime import time

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from satupintu.core.errors import DomainError
from satupintu.feedback import kiosks
from satupintu.feedback.models import KioskDevice
from satupintu.organization import access, contacts
from satupintu.organization.models import Office
from satupintu.services.models import OfficeService, Requirement, Service


def _managed_office(request: HttpRequest) -> Office | None:
    if not request.user.is_authenticated:
        return None
    code = request.GET.get("office") or request.POST.get("office")
    offices = access.settings_offices(request.user)
    if request.user.is_superuser and code:
        return Office.objects.filter(code=code).first()
    if code:
        return next((o for o in offices if o.code == code), None)
    return offices[0] if offices else None


def _parse_time(raw: str) -> time | None:
    try:
        hours, minutes = raw.strip().replace(".", ":").split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        return None


def settings_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    office = _managed_office(request)
    if office is None:
        raise PermissionDenied("Halaman ini untuk administrator atau kepala kantor.")
    if request.method == "POST" and request.POST.get("section") == "contacts":
        return _save_contacts(request, office)
    services = [s for s in Service.objects.select_related("unit").filter(is_active=True) if office.level in s.levels]
    overrides = {o.service_id: o for o in OfficeService.objects.filter(office=office)}
    if request.method == "POST":
        opens, closes = _parse_time(request.POST.get("opens_at", "")), _parse_time(request.POST.get("closes_at", ""))
        weekdays = "".join(sorted(d for d in request.POST.getlist("weekday") if d in "1234567"))
        errors = []
        if opens is None or closes is None or closes <= opens:
            errors.append("Jam layanan tidak valid: jam tutup harus setelah jam buka (format 08:00).")
        if not weekdays:
            errors.append("Pilih minimal satu hari layanan.")
        days: dict[int, int | None] = {}
        for s in services:
            raw = request.POST.get(f"days-{s.pk}", "").strip()
            if raw and (not raw.isdigit() or not 1 <= int(raw) <= 365):
                errors.append(f"Waktu penyelesaian '{s.name}' harus 1-365 hari kerja.")
            days[s.pk] = int(raw) if raw.isdigit() else None
        if errors or opens is None or closes is None:
            for e in errors:
                flash.error(request, e)
        else:
            with transaction.atomic():
                office.opens_at, office.closes_at, office.working_weekdays = opens, closes, weekdays
                office.save(update_fields=["opens_at", "closes_at", "working_weekdays"])
                enabled = set(request.POST.getlist("enabled"))
                for s in services:
                    on = str(s.pk) in enabled
                    current = overrides.get(s.pk)
                    if on and days[s.pk] in (None, s.working_days) and (current is None or not current.requirement_overrides):
                        OfficeService.objects.filter(office=office, service=s).delete()
                        continue
                    OfficeService.objects.update_or_create(
                        office=office, service=s,
                        defaults={"enabled": on, "working_days": days[s.pk] if days[s.pk] != s.working_days else None},
                    )
            flash.success(request, "Pengaturan kantor tersimpan.")
            return redirect(f"/petugas/kantor/?office={office.code}")
    rows = [{"service": s, "override": overrides.get(s.pk)} for s in services]
    return render(request, "officer/office_settings.html", {"office": office, "rows": rows, "contacts": office,
                                                             "contact_errors": {},
                                                             "weekdays": [(str(i), n) for i, n in enumerate(
                                                                 ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"], 1)]})


def _save_contacts(request: HttpRequest, office: Office) -> HttpResponse:
    """The contact form of the settings page: saved on its own, every wrong field shown at once."""
    fields = ("address", "phone", "whatsapp", "email", "opening_hours_text", "latitude", "longitude")
    entered = contacts.OfficeContacts(**{f: request.POST.get(f, "")[:400] for f in fields})
    try:
        contacts.office_update_contacts(office, entered)
    except contacts.ContactErrors as exc:
        office.refresh_from_db()
        return render(request, "officer/office_settings.html", {
            "office": office, "contacts": entered, "contact_errors": {e.field: e.message for e in exc.errors},
            "rows": [], "contacts_only": True,
        }, status=400)
    flash.success(request, "Kontak kantor tersimpan; tampil di halaman publik kantor.")
    return redirect(f"/petugas/kantor/?office={office.code}#kontak")


def service_requirements(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    office = _managed_office(request)
    if office is None:
        raise PermissionDenied("Halaman ini untuk administrator atau kepala kantor.")
    service = Service.objects.filter(slug=slug).first()
    if service is None:
        raise Http404("Layanan tidak ditemukan")
    requirements = list(Requirement.objects.filter(service=service, office__isnull=True))
    override, _ = OfficeService.objects.get_or_create(office=office, service=service)
    if request.method == "POST":
        rules = {}
        for r in requirements:
            choice = request.POST.get(f"req-{r.code}", "default")
            if choice in ("optional", "mandatory", "hidden"):
                rules[r.code] = choice
        override.requirement_overrides = rules
        override.save(update_fields=["requirement_overrides"])
        extra = request.POST.get("extra_name", "").strip()
        if extra:
            code = "tambahan_" + str(Requirement.objects.filter(service=service, office=office).count() + 1)
            Requirement.objects.create(service=service, office=office, code=code, name=extra[:300],
                                       mandatory=request.POST.get("extra_mandatory") == "1", order=99)
        flash.success(request, "Persyaratan kantor tersimpan.")
        return redirect(f"/petugas/kantor/layanan/{slug}/?office={office.code}")
    return render(request, "officer/service_requirements.html", {
        "office": office, "service": service, "requirements": requirements,
        "rules": override.requirement_overrides,
        "extras": Requirement.objects.filter(service=service, office=office),
    })


def kiosks_page(request: HttpRequest) -> HttpResponse:
    """Survey kiosks of the office: register one (its install link is shown), or revoke one."""
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    office = _managed_office(request)
    if office is None:
        raise PermissionDenied("Halaman ini untuk administrator atau kepala kantor.")
    installed = None
    if request.method == "POST":
        try:
            if request.POST.get("revoke", "").isdigit():
                kiosks.kiosk_revoke(office, int(request.POST["revoke"]))
                flash.success(request, "Kios dicabut: jawabannya tidak lagi dihitung dalam IKM.")
                return redirect(f"/petugas/kantor/kios/?office={office.code}")
            installed = kiosks.kiosk_register(office, request.POST.get("name", ""), by=request.user)
        except DomainError as exc:
            flash.error(request, exc.message)
    devices = [{"device": d, "install_url": kiosks.install_url(d)} if d.revoked_at is None else {"device": d}
               for d in KioskDevice.objects.filter(office=office)]
    return render(request, "officer/office_kiosks.html",
                  {"office": office, "devices": devices, "installed": installed}, status=201 if installed else 200)
