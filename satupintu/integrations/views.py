"""/petugas/integrasi/: API keys and webhooks of a Pusat or Kanwil office (its administrators
and heads). A new key or signing secret is shown once, on the page after it was made."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError, NotFound
from satupintu.integrations import access, keys, webhooks
from satupintu.integrations.forms import ApiKeyForm, ItemForm, WebhookForm
from satupintu.integrations.models import ApiKey, WebhookDelivery
from satupintu.organization.access import staff_required
from satupintu.organization.models import Office

PAGE = "/petugas/integrasi/"
SHOWN_ONCE = "integrations_shown_once"


def _act(request: HttpRequest, office: Office, action: str, form: Any) -> str:
    """Run one action; return what to show once (a new key or secret), else ""."""
    data = form.cleaned_data
    user = request.user
    if action == "key":
        issued = keys.api_key_issue(office=office, user=user, name=data["name"] or "", scopes=data["scopes"] or [],
                                    rate_limit_per_minute=data["rate_limit_per_minute"], valid_days=data["valid_days"] or keys.DEFAULT_VALIDITY_DAYS)
        return issued.secret
    if action == "webhook":
        created = webhooks.endpoint_add_by_staff(office, user=user, url=data["url"] or "", events=data["events"] or [],
                                                 description=data["description"] or "",
                                                 personal_data=bool(data["personal_data"]))
        return created.secret
    item = data.get("item")
    if item is None:
        raise DomainError("invalid_choice", "Pilihan tidak valid.")
    if action == "revoke":
        key = ApiKey.objects.filter(pk=item, office=office).first()
        if key is None:
            raise NotFound("not_found", "Kunci API tidak ditemukan.")
        keys.api_key_revoke(key, user=user)
    elif action == "remove":
        webhooks.endpoint_remove(webhooks.endpoint_of_staff(user, item))
    elif action == "enable":
        webhooks.endpoint_enable(webhooks.endpoint_of_staff(user, item))
    elif action == "redeliver":
        delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=item).first()
        if delivery is None:
            raise NotFound("not_found", "Pengiriman tidak ditemukan.")
        webhooks.redeliver(webhooks.delivery_of(webhooks.endpoint_of_staff(user, delivery.endpoint_id), item))
    return ""


def page(request: HttpRequest) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    offices = access.integration_offices(request.user)
    if not offices:
        raise PermissionDenied(_("Integrasi diatur administrator atau kepala Kemenag Pusat dan Kanwil."))
    code = request.POST.get("office") or request.GET.get("office")
    office = next((o for o in offices if o.code == code), offices[0])
    forms: dict[str, Any] = {"key": ApiKeyForm(initial={"rate_limit_per_minute": 60}), "webhook": WebhookForm()}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        form: Any = {"key": ApiKeyForm, "webhook": WebhookForm}.get(action, ItemForm)(request.POST)
        if form.is_valid():
            try:
                shown = _act(request, office, action, form)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                if shown:
                    request.session[SHOWN_ONCE] = shown
                flash.success(request, _("Tersimpan."))
                return redirect(f"{PAGE}?office={office.code}")
        if action in forms:
            forms[action] = form
        else:
            for message in form.non_field_errors() or [e for errs in form.errors.values() for e in errs]:
                flash.error(request, message)
            return redirect(f"{PAGE}?office={office.code}")
        status = 400
    endpoints = list(webhooks.endpoints_of_office(office))
    return render(request, "integrations/page.html", {
        "office": office, "offices": offices, "forms": forms, "keys": keys.keys_of(office),
        "ending_soon_days": keys.ENDING_SOON_DAYS,
        "endpoints": [(e, webhooks.deliveries_of(e, 10)) for e in endpoints],
        "shown_once": request.session.pop(SHOWN_ONCE, "") if request.method == "GET" else "",
    }, status=status)
