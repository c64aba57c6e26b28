"""Citizen pages: one other app (what it does, the link-out) and following a case in it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from satupintu.bridge import cases
from satupintu.bridge import catalog as bridge_catalog
from satupintu.bridge.forms import FollowForm
from satupintu.bridge.models import ExternalApp, ExternalCase
from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.services.models import Application, Status

_SESSION_KEY = "external_cases"
# The cases this browser opened with the whole phone number (not only its last four digits).
_SESSION_FULL_PHONE = "external_cases_phone"


def _known_values(request: HttpRequest) -> dict[str, str]:
    """What the signed-in citizen already told us (their latest application), for a link-out
    that carries only what the app is marked to accept."""
    user = request.user
    if not user.is_authenticated:
        return {}
    latest = Application.objects.filter(user=user).order_by("-submitted_at").first()
    values = {"name": user.get_full_name()}
    if latest is not None:
        values.update(name=latest.applicant_name or values["name"], phone=latest.phone, nik=latest.nik)
    return values


def app_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        app = bridge_catalog.external_app_get(code)
    except DomainError:
        raise Http404("Aplikasi tidak ditemukan") from None
    link = bridge_catalog.link_out(app, _known_values(request))
    return bridge_catalog.allow_posts(render(request, "bridge/app_detail.html", {
        "app": app, "link": link,
        "followable": ExternalApp.objects.filter(pk=app.pk, connector__is_active=True).exists(),
    }), [link])


def _followable_apps() -> list[ExternalApp]:
    return list(bridge_catalog.external_apps().filter(connector__is_active=True).order_by("short_name"))


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    apps = _followable_apps()
    if request.method != "POST":
        form = FollowForm(apps, initial={"app": request.GET.get("app", "")[:40]})
        return render(request, "bridge/follow.html", {"form": form, "apps": apps})
    form = FollowForm(apps, request.POST)
    if not form.is_valid():
        return render(request, "bridge/follow.html", {"form": form, "apps": apps}, status=400)
    data = form.cleaned_data
    try:
        case = cases.case_follow(form.chosen_app(), data.get("reference", ""), last4=data.get("phone_last4", ""),
                                 phone=data.get("phone", ""), client=ratelimit.client_ip(request))
    except DomainError as exc:
        form.add_domain_error(exc)
        status = exc.status if exc.status in (404, 429) else 400
        return render(request, "bridge/follow.html", {"form": form, "apps": apps}, status=status)
    request.session.cycle_key()  # a proof of the phone: a new session key (services.tracking.unlock says why)
    followed = [pk for pk in request.session.get(_SESSION_KEY, []) if pk != case.pk]
    request.session[_SESSION_KEY] = [*followed, case.pk][-20:]
    if (data.get("phone") or "").strip():
        proven = [pk for pk in request.session.get(_SESSION_FULL_PHONE, []) if pk != case.pk]
        request.session[_SESSION_FULL_PHONE] = [*proven, case.pk][-20:]
    return redirect(f"/lacak/aplikasi-lain/{case.pk}/")


@never_cache  # one person's case: never kept by a shared browser's or proxy's cache
def external_case(request: HttpRequest, pk: int) -> HttpResponse:
    if pk not in request.session.get(_SESSION_KEY, []):
        return redirect("/lacak/aplikasi-lain/")
    case = ExternalCase.objects.select_related("app").filter(pk=pk).first()
    if case is None:
        raise Http404("Tidak ditemukan")
    # The link to the app carries the phone number only to whoever typed all of it: four digits
    # open the status, never the whole number (it would be in the page, and in the app's logs).
    typed_it = pk in request.session.get(_SESSION_FULL_PHONE, [])
    link = bridge_catalog.link_out(case.app, {"phone": case.phone} if typed_it else {})
    return bridge_catalog.allow_posts(render(request, "bridge/case.html", {
        "case": case, "status_label": Status(case.last_status).label if case.last_status else "", "link": link,
    }), [link])
