"""Survey pages: the applicant's one-time link and the office's kiosk on the front desk."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from satupintu.core.errors import DomainError
from satupintu.feedback import survey
from satupintu.feedback.elements import AGE_CHOICES, EDUCATION_CHOICES, ELEMENTS, OCCUPATION_CHOICES, SEX_CHOICES
from satupintu.feedback.models import Channel, SurveyResponse
from satupintu.organization.models import Office
from satupintu.services.catalog import services_offered_at

KIOSK_LIMIT_PER_MINUTE = 6  # a tablet at the desk: a few people a minute, not a script


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
    services = services_offered_at(office)
    error = ""
    if request.method == "POST":
        key = f"kiosk:{office.pk}:{request.META.get('REMOTE_ADDR')}"
        if request.POST.get("website"):  # the honeypot: people never see this field
            return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
        if (cache.get_or_set(key, 0, 60) or 0) >= KIOSK_LIMIT_PER_MINUTE:
            error = "Terlalu banyak jawaban dari perangkat ini dalam semenit. Tunggu sebentar."
        else:
            service = next((s for s in services if s.slug == request.POST.get("service")), None)
            try:
                survey.survey_submit(office=office, channel=Channel.KIOSK, answers=request.POST,
                                     profile=_profile(request), comment=request.POST.get("comment", ""),
                                     service=service)
            except DomainError as exc:
                error = exc.message
            else:
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, 60)
                return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
    return render(request, "feedback/survey_form.html",
                  _context(office=office, kiosk=True, services=services, error=error, values=request.POST),
                  status=400 if error else 200)
