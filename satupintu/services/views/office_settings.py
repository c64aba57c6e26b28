"""An office administrator's own settings: contacts, opening hours, which services the office
offers, its own completion times and which requirements it asks for, and its survey kiosks.
Each form parses; the domain function (office_setup, contacts, kiosks) decides and saves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from satupintu.core.errors import DomainError
from satupintu.feedback import kiosks
from satupintu.feedback.models import KioskDevice
from satupintu.organization import access, contacts
from satupintu.organization.models import Office
from satupintu.services import office_setup
from satupintu.services.models import OfficeService, Requirement, Service
from satupintu.services.officer_forms import (
    ContactsForm,
    KioskForm,
    KioskRevokeForm,
    OfficeSettingsForm,
    RequirementsForm,
)


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


def _office_or_deny(request: HttpRequest) -> Office:
    office = _managed_office(request)
    if office is None:
        raise PermissionDenied(gettext("Halaman ini untuk administrator atau kepala kantor."))
    return office


def settings_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    office = _office_or_deny(request)
    if request.method == "POST" and request.POST.get("section") == "contacts":
        return _save_contacts(request, office)
    services = office_setup.office_services(office)
    if request.method != "POST":
        return _settings_page(request, office, services)
    form = OfficeSettingsForm(services, request.POST)
    if not form.is_valid():  # "25:99", "abc" days: said at the field with all else that is wrong, nothing saved
        form.add_other_errors(office_setup.settings_errors(office, **form.settings()))
        return _settings_page(request, office, services, settings_form=form, status=400)
    try:
        office_setup.office_update_settings(office, **form.settings())
    except DomainError as exc:
        form.add_domain_error(exc)
        office.refresh_from_db()
        return _settings_page(request, office, services, settings_form=form, status=exc.status)
    flash.success(request, gettext("Pengaturan kantor tersimpan."))
    return redirect(f"/petugas/kantor/?office={office.code}")


def _save_contacts(request: HttpRequest, office: Office) -> HttpResponse:
    """The contact form of the settings page: saved on its own, every wrong field shown at once."""
    form = ContactsForm(request.POST)
    services = office_setup.office_services(office)
    if not form.is_valid():
        return _settings_page(request, office, services, contacts_form=form, status=400)
    try:
        contacts.office_update_contacts(office, form.contacts())
    except DomainError as exc:
        form.add_domain_error(exc)
        office.refresh_from_db()
        return _settings_page(request, office, services, contacts_form=form, status=exc.status)
    flash.success(request, gettext("Kontak kantor tersimpan; tampil di halaman publik kantor."))
    return redirect(f"/petugas/kantor/?office={office.code}#kontak")


def _settings_page(request: HttpRequest, office: Office, services: list[Service], *,
                   contacts_form: ContactsForm | None = None, settings_form: OfficeSettingsForm | None = None,
                   status: int = 200) -> HttpResponse:
    overrides = {o.service_id: o for o in OfficeService.objects.filter(office=office)}
    settings_form = settings_form or OfficeSettingsForm.for_office(office, services, overrides)
    return render(request, "officer/office_settings.html", {
        "office": office, "contacts_form": contacts_form or ContactsForm.for_office(office),
        "settings_form": settings_form, "failed": contacts_form or (settings_form if settings_form.is_bound else None),
    }, status=status)


def service_requirements(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    office = _office_or_deny(request)
    service = Service.objects.filter(slug=slug).first()
    if service is None:
        raise Http404("Layanan tidak ditemukan")
    requirements = list(Requirement.objects.filter(service=service, office__isnull=True))
    if request.method != "POST":
        override = OfficeService.objects.filter(office=office, service=service).first()
        rules = override.requirement_overrides if override else {}
        form = RequirementsForm(requirements, initial={
            "office": office.code, **{f"req-{code}": rule for code, rule in rules.items()}})
        return _requirements_page(request, office, service, form)
    form = RequirementsForm(requirements, request.POST)
    if not form.is_valid():
        return _requirements_page(request, office, service, form, status=400)
    try:
        office_setup.office_set_requirements(office, service, rules=form.rules(),
                                             extra_name=form.cleaned_data.get("extra_name", ""),
                                             extra_mandatory=bool(form.cleaned_data.get("extra_mandatory")))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _requirements_page(request, office, service, form, status=exc.status)
    flash.success(request, gettext("Persyaratan kantor tersimpan."))
    return redirect(f"/petugas/kantor/layanan/{slug}/?office={office.code}")


def _requirements_page(request: HttpRequest, office: Office, service: Service, form: RequirementsForm,
                       status: int = 200) -> HttpResponse:
    return render(request, "officer/service_requirements.html", {
        "office": office, "service": service, "form": form,
        "extras": Requirement.objects.filter(service=service, office=office),
    }, status=status)


def kiosks_page(request: HttpRequest) -> HttpResponse:
    """Survey kiosks of the office: register one (its install link is shown), or revoke one."""
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    office = _office_or_deny(request)
    if request.method != "POST":
        return _kiosks_page(request, office, KioskForm(initial={"office": office.code}))
    if "revoke" in request.POST:
        revoke = KioskRevokeForm(request.POST)
        if not revoke.is_valid():
            return _kiosks_page(request, office, KioskForm(initial={"office": office.code}), failed=revoke, status=400)
        try:
            kiosks.kiosk_revoke(office, revoke.cleaned_data["revoke"])
        except DomainError as exc:
            revoke.add_domain_error(exc)
            return _kiosks_page(request, office, KioskForm(initial={"office": office.code}), failed=revoke,
                                status=exc.status)
        flash.success(request, gettext("Kios dicabut: jawabannya tidak lagi dihitung dalam IKM."))
        return redirect(f"/petugas/kantor/kios/?office={office.code}")
    form = KioskForm(request.POST)
    if not form.is_valid():
        return _kiosks_page(request, office, form, failed=form, status=400)
    try:
        installed = kiosks.kiosk_register(office, form.cleaned_data.get("name", ""), by=request.user)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _kiosks_page(request, office, form, failed=form, status=exc.status)
    # Shown once here with its install link (not a redirect): the next step is on the tablet.
    return _kiosks_page(request, office, KioskForm(initial={"office": office.code}), installed=installed, status=201)


def _kiosks_page(request: HttpRequest, office: Office, form: KioskForm, *, failed: Any = None,
                 installed: KioskDevice | None = None, status: int = 200) -> HttpResponse:
    devices = [{"device": d, "install_url": kiosks.install_url(d)} if d.revoked_at is None else {"device": d}
               for d in KioskDevice.objects.filter(office=office)]
    return render(request, "officer/office_kiosks.html", {
        "office": office, "devices": devices, "installed": installed, "form": form, "failed": failed,
    }, status=status)
