"""Citizen pages: catalog, office tree, applying, tracking. Thin: parse, call, render."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.feedback.models import SurveyResponse
from satupintu.feedback.survey import invitation_token as survey_invitation_token
from satupintu.organization.models import Level, Office, Unit
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import applications, catalog, sla, tracking, unlock
from satupintu.services.models import DocumentKind, Service, Status
from satupintu.services.receipts import receipt_pdf
from satupintu.services.tracking_codes import normalize_tracking_code


def home(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.all()
    popular = Service.objects.select_related("unit").filter(is_active=True).order_by("name")[:8]
    return render(request, "services/home.html", {"units": units, "popular": popular})


def service_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    unit = request.GET.get("unit", "").strip()[:30]
    office_code = request.GET.get("office", "").strip()[:10]
    office = Office.objects.filter(code=office_code).first() if office_code else None
    # The result list is the expensive part (search, 90+ rows): cached per catalog version.
    key = "catalog:list:" + hashlib.sha256(
        f"{catalog.catalog_version()}|{get_language()}|{q}|{unit}|{office_code}".encode()
    ).hexdigest()
    results_html = cache.get(key)
    if results_html is None:
        results = catalog.service_search(q=q, unit=unit, office=office)
        results_html = render_to_string("services/_service_results.html", {"results": results, "office": office})
        cache.set(key, results_html, 3600)
    return render(
        request,
        "services/service_list.html",
        {
            "results_html": mark_safe(results_html),  # our own rendered template
            "q": q, "unit": unit, "office": office, "units": Unit.objects.all(),
            "office_code": office_code, "unknown_office": bool(office_code and office is None),
        },
    )


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = catalog.service_get(slug)
    except DomainError:
        raise Http404("Layanan tidak ditemukan") from None
    office_code = request.GET.get("office", "")
    offer = None
    office = Office.objects.filter(code=office_code).first() if office_code else None
    unavailable = ""
    if office is not None:
        try:
            offer = catalog.offer_for(service, office)
        except DomainError as exc:
            unavailable = exc.message
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service, "offer": offer, "office": office, "unavailable": unavailable,
            "requirements": offer.requirements if offer else list(service.requirements.all()),
            "working_days": offer.working_days if offer else service.working_days,
            "kanwils": Office.objects.filter(level=Level.KANWIL).order_by("name"),
        },
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = catalog.service_get(slug)
        office = catalog.office_get(request.GET.get("office") or request.POST.get("office", ""))
        offer = catalog.offer_for(service, office)
    except DomainError as exc:
        flash.error(request, exc.message)
        return redirect(f"/layanan/{slug}/")
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    error_status = 400
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        submission = applications.Submission(
            service=slug, office=office.code, name=values.get("name", ""), nik=values.get("nik", ""),
            phone=values.get("phone", ""), email=values.get("email", ""),
            fields={f.name: values.get(f.name, "") for f in offer.fields},
            files={k: v for k in request.FILES if (v := request.FILES.get(k)) is not None},
            submission_key=(values.get("submission_key") or "")[:80] or None, user=request.user,
            client=ratelimit.client_ip(request),
        )
        try:
            app, created = applications.application_submit(submission)
        except applications.ValidationErrors as exc:
            errors = {e.field or "_": e.message for e in exc.errors}
        except DomainError as exc:
            # storage_full (507) / storage_unavailable (503): the form again, with what was entered.
            errors, error_status = {exc.field or "_": exc.message}, exc.status
        else:
            tracking.unlock(request, app.tracking_code)
            if not created:
                flash.info(request, "Permohonan ini sudah terkirim sebelumnya; berikut statusnya.")
            return redirect(f"/lacak/{app.tracking_code}/?baru=1")
    return render(
        request,
        "services/apply.html",
        {
            "offer": offer, "service": service, "office": office, "errors": errors, "values": values,
            "submission_key": values.get("submission_key") or uuid.uuid4().hex,
            "max_mb": settings.UPLOAD_MAX_BYTES // 1048576,
        },
        status=error_status if errors else 200,
    )


def office_tree(request: HttpRequest) -> HttpResponse:
    kanwils = Office.objects.filter(level=Level.KANWIL).order_by("code")
    selected = request.GET.get("provinsi", "")
    children = Office.objects.filter(parent__code=selected).order_by("name") if selected else []
    return render(request, "services/office_tree.html", {"kanwils": kanwils, "selected": selected, "children": children,
                                                          "pusat": Office.objects.filter(code="pusat").first()})


def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    office = Office.objects.select_related("parent").filter(code=code).first()
    if office is None:
        raise Http404("Kantor tidak ditemukan")
    services = catalog.services_offered_at(office)
    return render(request, "services/office_detail.html", {
        "office": office, "services": services, "children": office.children.order_by("name"),
    })


# --- tracking -------------------------------------------------------------------------

def track_form(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("kode", "")
    error = ""
    if raw:
        try:
            code = normalize_tracking_code(raw)
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(f"/lacak/{code}/")
    return render(request, "services/track_form.html", {"error": error, "kode": raw}, status=400 if error else 200)


def _load(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    try:
        return tracking.application_for_tracking(code)
    except DomainError as exc:
        return render(request, "services/track_form.html", {"error": exc.message, "kode": code}, status=404)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if app.tracking_code != code:
        return redirect(f"/lacak/{app.tracking_code}/")
    unlock_error = ""
    unlock_status = 400
    if request.method == "POST" and ("phone_last4" in request.POST or "phone" in request.POST):
        try:
            unlock.check_proof(app, last4=request.POST.get("phone_last4", ""), phone=request.POST.get("phone", ""),
                               client=ratelimit.client_ip(request))
        except DomainError as exc:
            unlock_error, unlock_status = exc.message, 429 if exc.status == 429 else 400
        else:
            tracking.unlock(request, app.tracking_code)
            return redirect(f"/lacak/{app.tracking_code}/")
    unlocked = tracking.is_unlocked(request, app.tracking_code)
    calendar = WorkingCalendar.for_office(app.office)
    now = timezone.now()
    context = {
        "app": app,
        "unlocked": unlocked,
        "unlock_error": unlock_error,
        "full_phone_required": not unlocked and unlock.needs_full_phone(app),
        "events": [e for e in app.events.all() if e.public],
        "sla_state": sla.sla_state(app, calendar=calendar, now=now),
        "time_left": sla.format_office_time(sla.sla_remaining_seconds(app, calendar=calendar, now=now), calendar),
        "new": request.GET.get("baru") == "1",
        "Status": Status,
    }
    if unlocked:
        docs = list(app.documents.filter(superseded=False))
        context["documents"] = [d for d in docs if d.kind == DocumentKind.REQUIREMENT]
        context["products"] = [d for d in docs if d.kind == DocumentKind.PRODUCT]
        if app.status == Status.COMPLETED and not SurveyResponse.objects.filter(application=app).exists():
            context["survey_url"] = f"/survei/{survey_invitation_token(app)}/"
        if app.status == Status.NEEDS_COMPLETION:
            try:
                context["requirements"] = catalog.offer_for(app.service, app.office).requirements
            except DomainError:
                context["requirements"] = []
    return render(request, "services/track.html", context, status=unlock_status if unlock_error else 200)


@require_POST
def track_complete(request: HttpRequest, code: str) -> HttpResponse:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if not tracking.is_unlocked(request, app.tracking_code):
        return redirect(f"/lacak/{app.tracking_code}/")
    files = {k: v for k in request.FILES if (v := request.FILES.get(k))}
    try:
        applications.application_complete_documents(app, files=files, note=request.POST.get("note", "")[:1000])
    except applications.ValidationErrors as exc:
        for e in exc.errors:
            flash.error(request, e.message)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Terima kasih, berkas telah dikirim. Permohonan kembali diproses.")
    return redirect(f"/lacak/{app.tracking_code}/")


@require_POST
def track_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if not tracking.is_unlocked(request, app.tracking_code):
        return redirect(f"/lacak/{app.tracking_code}/")
    if request.POST.get("confirm") != "ya":
        flash.error(request, "Centang konfirmasi untuk membatalkan permohonan.")
        return redirect(f"/lacak/{app.tracking_code}/")
    try:
        from satupintu.services.workflow import application_transition

        application_transition(app, "withdraw", note=request.POST.get("reason", "")[:500])
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Permohonan telah dibatalkan.")
    return redirect(f"/lacak/{app.tracking_code}/")


def receipt(request: HttpRequest, code: str) -> HttpResponse:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if not (tracking.is_unlocked(request, app.tracking_code) or tracking.receipt_token_valid(app, request.GET.get("t", ""))):
        return redirect(f"/lacak/{app.tracking_code}/")
    response = HttpResponse(receipt_pdf(app), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bukti-{app.tracking_code}.pdf"'
    return response


def product_download(request: HttpRequest, code: str, doc_id: int) -> HttpResponseBase:
    app = _load(request, code)
    if isinstance(app, HttpResponse):
        return app
    if not tracking.is_unlocked(request, app.tracking_code):
        return redirect(f"/lacak/{app.tracking_code}/")
    doc = app.documents.filter(pk=doc_id, kind=DocumentKind.PRODUCT, superseded=False).first()
    if doc is None or app.status != Status.COMPLETED:
        raise Http404("Produk tidak ditemukan")
    applications.application_mark_handed_over(app, how="Produk diunduh pemohon melalui halaman lacak.")
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name, content_type=doc.content_type)
