"""Survey pages: the applicant's one-time link and the office's kiosk on the front desk."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.feedback import kiosks, survey
from satupintu.feedback.forms import SurveyForm
from satupintu.feedback.models import Channel, SurveyResponse
from satupintu.organization.models import Office
from satupintu.services.catalog import services_offered_at


def _page(request: HttpRequest, form: SurveyForm, status: int = 200, **extra: object) -> HttpResponse:
    return render(request, "feedback/survey_form.html", {"form": form, **extra}, status=status)


@require_http_methods(["GET", "POST"])
def survey_for_application(request: HttpRequest, token: str) -> HttpResponse:
    try:
        app = survey.application_for_invitation(token)
    except DomainError as exc:
        return render(request, "feedback/survey_closed.html", {"message": exc.message}, status=exc.status)
    if SurveyResponse.objects.filter(application=app).exists():
        return render(request, "feedback/survey_closed.html",
                      {"message": gettext("Survei untuk permohonan ini sudah diisi. Terima kasih atas penilaian Anda.")})
    if request.method != "POST":
        return _page(request, SurveyForm(), app=app, office=app.office)
    form = SurveyForm(request.POST)
    if not form.is_valid():  # unparseable input (a NUL byte...): the rules are survey_submit's
        return _page(request, form, status=400, app=app, office=app.office)
    try:
        survey.survey_submit(office=app.office, channel=Channel.ONLINE, answers=form.answers(),
                             profile=form.profile(), comment=form.cleaned_data.get("comment", ""), application=app)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _page(request, form, status=400, app=app, office=app.office)
    return render(request, "feedback/survey_thanks.html", {"office": app.office, "app": app})


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise Http404("Kantor tidak ditemukan")
    if office.merged_into_id is not None:
        return _merged_kiosk(request, office)
    # Only a tablet the office registered counts in its index (feedback/kiosks.py); the page
    # still takes answers from anywhere else, as feedback outside the index.
    device = kiosks.device_for(request.COOKIES.get(kiosks.COOKIE_NAME), office)
    services = services_offered_at(office)
    if request.method != "POST":
        form = SurveyForm(services=services, initial={"answer_key": uuid.uuid4().hex})
        return _page(request, form, office=office, kiosk=True, device=device)
    form = SurveyForm(request.POST, services=services)
    if not form.is_valid():
        return _page(request, form, status=400, office=office, kiosk=True, device=device)
    if request.POST.get("website"):  # the honeypot: people never see this field
        return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
    limit = ((ratelimit.SURVEY_PER_KIOSK, (device.pk,)) if device is not None
             else (ratelimit.SURVEY_PER_CLIENT, (office.pk, ratelimit.client_ip(request))))
    service = next((s for s in services if s.slug == form.cleaned_data.get("service")), None)
    # A double tap sends the questionnaire twice: the second is thanked, not counted again.
    key = form.cleaned_data.get("answer_key") or ""
    once = f"kiosk-answer:{office.pk}:{key}"
    if key and not cache.add(once, 1, timeout=24 * 3600):
        return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
    try:
        with ratelimit.spend(limit, code="too_many_answers"):
            survey.survey_submit(office=office, channel=Channel.KIOSK, answers=form.answers(), profile=form.profile(),
                                 comment=form.cleaned_data.get("comment", ""), service=service, kiosk=device)
    except DomainError as exc:
        if key:
            cache.delete(once)  # not counted: the corrected questionnaire may be sent with it
        form.add_domain_error(exc)
        return _page(request, form, status=exc.status, office=office, kiosk=True, device=device)
    return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})


def _merged_kiosk(request: HttpRequest, office: Office) -> HttpResponse:
    """A merged office's kiosk takes no answers (they would count in an index nobody reads, not
    the office that serves its people now), before the questionnaire is filled in, not after."""
    return render(request, "feedback/survey_closed.html", {"message": gettext(
        "%(office)s sudah digabung ke %(into)s. Kios ini tidak lagi menerima jawaban; minta administrator "
        "%(into)s mendaftarkan kios untuk kantornya.") % {"office": office.name, "into": office.successor().name}},
        status=410)


@require_GET
def kiosk_install(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The link an office administrator opens once on the tablet: the device token goes into
    a long-lived cookie, and the kiosk page follows."""
    office = Office.objects.filter(code=code).first()
    if office is not None and office.merged_into_id is not None:
        return _merged_kiosk(request, office)
    device = kiosks.device_for(token, office) if office is not None else None
    if office is None or device is None:
        return render(request, "feedback/survey_closed.html",
                      {"message": gettext("Tautan pemasangan kios tidak berlaku (dicabut atau salah). Minta tautan "
                                          "baru kepada administrator kantor.")}, status=404)
    response = redirect(f"/survei/kios/{office.code}/")
    response.set_cookie(kiosks.COOKIE_NAME, token, max_age=kiosks.COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, path=f"/survei/kios/{office.code}/")
    return response
