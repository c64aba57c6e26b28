"""Survey pages: the applicant's one-time link and the office's kiosk on the front desk."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.feedback import kiosks, survey
from satupintu.feedback.elements import AGE_CHOICES, EDUCATION_CHOICES, ELEMENTS, OCCUPATION_CHOICES, SEX_CHOICES
from satupintu.feedback.models import Channel, SurveyResponse
from satupintu.organization.models import Office
from satupintu.services.catalog import services_offered_at


def _context(**extra: object) -> dict[str, object]:
    return {
        "elements": ELEMENTS, "sex_choices": SEX_CHOICES, "age_choices": AGE_CHOICES,
        "education_choices": EDUCATION_CHOICES, "occupation_choices": OCCUPATION_CHOICES, **extra,
    }


def _profile(request: HttpRequest) -> dict[str, object]:
    return {k: request.POST.get(k, "") for k in ("sex", "age_group", "education", "occupation")}


@require_http_methods(["GET", "POST"])
def survey_for_application(request: HttpRequest, token: str) -> HttpResponse:
    try:
        app = survey.application_for_invitation(token)
    except DomainError as exc:
        return render(request, "feedback/survey_closed.html", {"message": exc.message}, status=exc.status)
    if SurveyResponse.objects.filter(application=app).exists():
        return render(request, "feedback/survey_closed.html",
                      {"message": "Survei untuk permohonan ini sudah diisi. Terima kasih atas penilaian Anda."})
    error = ""
    if request.method == "POST":
        try:
            survey.survey_submit(office=app.office, channel=Channel.ONLINE, answers=request.POST,
                                 profile=_profile(request), comment=request.POST.get("comment", ""), application=app)
        except DomainError as exc:
            error = exc.message
        else:
            return render(request, "feedback/survey_thanks.html", {"office": app.office})
    return render(request, "feedback/survey_form.html",
                  _context(app=app, office=app.office, error=error, values=request.POST),
                  status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise Http404("Kantor tidak ditemukan")
    # Only a tablet the office registered counts in its index (feedback/kiosks.py); the page
    # still takes answers from anywhere else, as feedback outside the index.
    device = kiosks.device_for(request.COOKIES.get(kiosks.COOKIE_NAME), office)
    services = services_offered_at(office)
    error, status = "", 400
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot: people never see this field
            return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
        limit = ((ratelimit.SURVEY_PER_KIOSK, (device.pk,)) if device is not None
                 else (ratelimit.SURVEY_PER_CLIENT, (office.pk, ratelimit.client_ip(request))))
        service = next((s for s in services if s.slug == request.POST.get("service")), None)
        try:
            with ratelimit.spend(limit, code="too_many_answers"):
                survey.survey_submit(office=office, channel=Channel.KIOSK, answers=request.POST,
                                     profile=_profile(request), comment=request.POST.get("comment", ""),
                                     service=service, kiosk=device)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
    return render(request, "feedback/survey_form.html",
                  _context(office=office, kiosk=True, device=device, services=services, error=error,
                           values=request.POST),
                  status=status if error else 200)


@require_GET
def kiosk_install(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The link an office administrator opens once on the tablet: the device token goes into
    a long-lived cookie, and the kiosk page follows."""
    office = Office.objects.filter(code=code).first()
    device = kiosks.device_for(token, office) if office is not None else None
    if office is None or device is None:
        return render(request, "feedback/survey_closed.html",
                      {"message": "Tautan pemasangan kios tidak berlaku (dicabut atau salah). Minta tautan baru "
                                  "kepada administrator kantor."}, status=404)
    response = redirect(f"/survei/kios/{office.code}/")
    response.set_cookie(kiosks.COOKIE_NAME, token, max_age=kiosks.COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, path=f"/survei/kios/{office.code}/")
    return response
