"""Survey pages: the applicant's one-time link and the office's kiosk on the front desk."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from satupintu.core.errors import DomainError
from satupintu.feedback import survey
from satupintu.feedback.forms import SurveyForm
from satupintu.feedback.models import Channel, SurveyResponse
from satupintu.organization.models import Office
from satupintu.services.catalog import services_offered_at

KIOSK_LIMIT_PER_MINUTE = 6  # a tablet at the desk: a few people a minute, not a script


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
                      {"message": "Survei untuk permohonan ini sudah diisi. Terima kasih atas penilaian Anda."})
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
    return render(request, "feedback/survey_thanks.html", {"office": app.office})


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise Http404("Kantor tidak ditemukan")
    services = services_offered_at(office)
    if request.method != "POST":
        return _page(request, SurveyForm(services=services), office=office, kiosk=True)
    form = SurveyForm(request.POST, services=services)
    if not form.is_valid():
        return _page(request, form, status=400, office=office, kiosk=True)
    key = f"kiosk:{office.pk}:{request.META.get('REMOTE_ADDR')}"
    if request.POST.get("website"):  # the honeypot: people never see this field
        return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
    if (cache.get_or_set(key, 0, 60) or 0) >= KIOSK_LIMIT_PER_MINUTE:
        form.add_error(None, "Terlalu banyak jawaban dari perangkat ini dalam semenit. Tunggu sebentar.")
        return _page(request, form, status=400, office=office, kiosk=True)
    service = next((s for s in services if s.slug == form.cleaned_data.get("service")), None)
    try:
        survey.survey_submit(office=office, channel=Channel.KIOSK, answers=form.answers(), profile=form.profile(),
                             comment=form.cleaned_data.get("comment", ""), service=service)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _page(request, form, status=400, office=office, kiosk=True)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 60)
    return render(request, "feedback/survey_thanks.html", {"office": office, "kiosk": True})
