"""Field reports: the reporter's installable app (/lapangan/, its service worker, manifest and
JSON endpoints for the outbox) and the Kankemenag's verification queue (/petugas/lapangan/).

Thin views: who may do what is field/access.py, the rules field/reports.py.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from zoneinfo import ZoneInfo

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from satupintu.core import clock
from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.core.privacy import mask_free_text, mask_name, record_access
from satupintu.core.request_guard import message as guard_message
from satupintu.core.texts import clipped
from satupintu.field import access, locations, reports
from satupintu.field.forms import FieldReportForm, RejectForm
from satupintu.field.models import FieldPhoto, FieldReport, ReportStatus, Urgency
from satupintu.organization.access import staff_required
from satupintu.situation.access import may_act_on_field_report

APP_URL = "/lapangan/"
QUEUE_URL = "/petugas/lapangan/"
URGENCY_ORDER = Case(*(When(urgency=u, then=Value(i)) for i, u in enumerate(
    [Urgency.CRITICAL, Urgency.HIGH, Urgency.MEDIUM, Urgency.LOW])), output_field=IntegerField())


def _reporter_name(user: object) -> str:
    full = (getattr(user, "get_full_name", lambda: "")() or "").strip()
    return full or str(getattr(user, "username", ""))


def _report_json(report: FieldReport) -> dict[str, object]:
    return {
        "id": report.pk, "client_id": str(report.client_id), "status": report.status,
        "status_label": report.get_status_display(), "category": report.get_category_display(),
        "place": locations.regency_names().get(report.regency_code, report.regency_code),
        "occurred_at": report.occurred_at.astimezone(UTC).isoformat(), "rejection_reason": report.rejection_reason,
        # As the page writes them (the place's zone, the reader's language), so a list the phone
        # draws reads like the one the server drew.
        "occurred_shown": _occurred_shown(report), "checked_by": _checked_by(report),
    }


def _occurred_shown(report: FieldReport) -> str:
    local = report.occurred_at.astimezone(ZoneInfo(report.office.timezone))
    return f"{clock.shown(local, 'd-m-Y H.i')} {report.office.timezone_label}"


def _checked_by(report: FieldReport) -> str:
    """Who verifies the report, said as its status stands."""
    office = report.office.name
    if report.status == ReportStatus.VERIFIED:
        return _("diverifikasi oleh %(office)s") % {"office": office}
    if report.status == ReportStatus.REJECTED:
        return _("ditolak oleh %(office)s") % {"office": office}
    return _("akan diverifikasi oleh %(office)s") % {"office": office}


def _status_message(report: FieldReport) -> str:
    office = report.office.short_name
    if report.status == ReportStatus.VERIFIED:
        return _("Laporan diterima dan sudah diverifikasi %(office)s.") % {"office": office}
    if report.status == ReportStatus.REJECTED:
        return _("Laporan diterima, tetapi ditolak %(office)s: %(reason)s") % {"office": office,
                                                                              "reason": report.rejection_reason}
    return _("Laporan diterima dan menunggu verifikasi %(office)s.") % {"office": office}


def _error(exc: DomainError) -> JsonResponse:
    """``field`` names the input at fault and ``photo`` the photo's number (from 1): the phone
    shows each reason next to its field when the report is fixed, and keeps the good photos."""
    body: dict[str, object] = {"code": exc.code, "message": exc.message}
    if exc.field:
        body["field"] = exc.field
    if isinstance(exc, ValidationErrors):
        body["errors"] = [{"code": e.code, "field": e.field, "message": e.message, **e.extra} for e in exc.errors]
    return JsonResponse(body, status=exc.status)


# --- the reporter's app -------------------------------------------------------------------

@ensure_csrf_cookie  # the outbox reads the token from the cookie when it sends, maybe days later
def app(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={APP_URL}")
    if not access.may_report(request.user):
        raise PermissionDenied(_(reports.NOT_A_REPORTER_MESSAGE))
    province = access.reporter_province(request.user)
    mine = list(FieldReport.objects.filter(reporter=request.user).select_related("office").order_by("-submitted_at")[:30])
    for r in mine:
        r.place = locations.regency_names().get(r.regency_code, r.regency_code)  # type: ignore[attr-defined]
        r.occurred_shown, r.checked_by = _occurred_shown(r), _checked_by(r)  # type: ignore[attr-defined]
    return render(request, "field/app.html", {
        "form": FieldReportForm(province_code=province), "mine": mine,
        "districts_json": json.dumps(locations.districts_of_province(province) if province else {}),
    })


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /lapangan/ (not /static/) so that its scope is the app; the page shell and
    the static files it caches are named here with their hashed addresses."""
    outbox = static("satupintu/field/outbox.js")  # imported by the worker too (background sync)
    shell = [APP_URL, static("satupintu/app.css"), outbox, static("satupintu/field/app.js"), static("satupintu/site.js"),
             static("satupintu/select-filter.js"),
             static("satupintu/favicon.svg"), static("satupintu/field/icon-192.png"), "/lapangan/manifest.webmanifest"]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]  # new static files: a new cache
    response = render(request, "field/sw.js", {"shell_json": json.dumps(shell), "version": version,
                                                "outbox_json": json.dumps(outbox)},
                      content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = APP_URL
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("Laporan Lapangan Kemenag"), "short_name": _("Lapor Lapangan"), "lang": translation.get_language(),
        "start_url": APP_URL, "scope": APP_URL, "display": "standalone", "background_color": "#ffffff",
        "theme_color": "#0b6e4f",
        "icons": [{"src": static(f"satupintu/field/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png",
                   "purpose": "any maskable"} for n in (192, 512)],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


def _csrf_refused(request: HttpRequest) -> bool:
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}) is not None  # type: ignore[arg-type]


def _parsed(request: HttpRequest) -> FieldReportForm:
    form = FieldReportForm(request.POST, request.FILES)
    form.is_valid()  # parse only: every field is optional to Django, the domain decides
    return form


@csrf_exempt  # checked below, so that a refusal is JSON the outbox can show
def api_reports(request: HttpRequest) -> HttpResponse:
    """POST a report (multipart); GET the reporter's own reports with their status."""
    if access.disabled_account_in_session(request):
        user_id = access.session_user_id(request)
        if request.method == "POST" and user_id is not None and not _csrf_refused(request) and (
                report := reports.delivered_before(user_id, _parsed(request).submission().client_id)) is not None:
            # Stored before the account was disabled; the phone missed the first answer.
            return JsonResponse(_report_json(report) | {"message": _status_message(report)}, status=200)
        return JsonResponse({"code": "account_disabled", "message": _(reports.ACCOUNT_DISABLED_MESSAGE)}, status=403)
    if not request.user.is_authenticated:
        return JsonResponse({"code": "not_authenticated", "message": _(
            "Sesi Anda berakhir. Masuk lagi; laporan tetap tersimpan di ponsel dan dikirim setelah Anda masuk.")},
            status=401)
    if request.method == "GET":
        mine = FieldReport.objects.filter(reporter=request.user).select_related("office").order_by("-submitted_at")[:30]
        # "user": the service worker sends only this account's reports from the phone's outbox.
        return JsonResponse({"user": request.user.pk, "reports": [_report_json(r) for r in mine]})
    if request.method != "POST":
        return JsonResponse({"code": "method_not_allowed", "message": guard_message("method_not_allowed",
                                                                                      method=request.method)},
                            status=405)
    if _csrf_refused(request):
        return JsonResponse({"code": "csrf_failed", "message": guard_message("csrf_failed")}, status=403)
    form = _parsed(request)
    try:
        report, created = reports.submit(request.user, form.submission())
    except DomainError as exc:
        return _error(exc)
    # A resend gets the same answer as the first delivery (only the status code says which it was).
    return JsonResponse(_report_json(report) | {"message": _status_message(report)}, status=201 if created else 200)


@require_GET
def api_districts(request: HttpRequest, regency: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"code": "not_authenticated", "message": guard_message("not_authenticated")}, status=401)
    if regency not in locations.regency_names():
        return JsonResponse({"code": "unknown_regency", "message": _("Kabupaten/kota tidak dikenal.")}, status=404)
    return JsonResponse({"regency": regency, "districts": locations.districts_of(regency)})


# --- the Kankemenag's queue ------------------------------------------------------------------

def queue(request: HttpRequest) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    if not access.works_on_verification(request.user):
        raise PermissionDenied(_("Antrean laporan lapangan hanya untuk kepala dan administrator kantor."))
    status = request.GET.get("status", ReportStatus.SUBMITTED)
    qs = access.visible(request.user).select_related("office", "reporter")
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    ordered = qs.order_by(URGENCY_ORDER, "submitted_at") if status == ReportStatus.SUBMITTED else qs.order_by(
        "-received_at")
    rows = list(ordered[:200])
    for r in rows:
        r.masked_reporter = mask_name(_reporter_name(r.reporter))  # type: ignore[attr-defined]
        # Masked whole, then cut: cut first, a number cut in two is no longer recognised, and the
        # digits after the cut move into view as the masks before them are shorter.
        r.masked_text = clipped(mask_free_text(r.description), 200)  # type: ignore[attr-defined]
        r.place = locations.regency_names().get(r.regency_code, r.regency_code)  # type: ignore[attr-defined]
    return render(request, "field/queue.html", {"rows": rows, "status": status, "statuses": ReportStatus.choices})


def _visible_report(request: HttpRequest, pk: int) -> FieldReport:
    report = access.visible(request.user).select_related("office", "reporter", "verified_by", "item").filter(
        pk=pk).first()
    if report is None:
        raise Http404("Laporan tidak ditemukan")
    return report


def detail(request: HttpRequest, pk: int, form: RejectForm | None = None) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    report = _visible_report(request, pk)
    if report.reporter_id != request.user.pk:
        # The reporter's name and the unmasked account of what happened (it may name people).
        record_access(request, subject_type="field_report", subject_ref=str(report.pk), what="laporan lapangan")
    return render(request, "field/detail.html", {
        "report": report, "photos": list(report.photos.all()), "reporter_name": _reporter_name(report.reporter),
        "place": locations.regency_names().get(report.regency_code, report.regency_code),
        "district": locations.district_name(report.district_code) if report.district_code else "",
        "gps_elsewhere": locations.gps_elsewhere(report.latitude, report.longitude, report.regency_code),
        "may_decide": report.status == ReportStatus.SUBMITTED and access.may_verify(request.user, report),
        "reject_form": form or RejectForm(),
        # Situation Room responses (issue #15): the cases on this report, and "Buka tanggapan".
        "cases": report.responses.select_related("office").order_by("-opened_at"),
        "case_query": f"laporan={report.pk}",
        "may_open_case": report.status != ReportStatus.REJECTED and may_act_on_field_report(request.user, report),
    }, status=400 if form is not None else 200)


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    report = _visible_report(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "verify":
            reports.verify(request.user, report)
            flash.success(request, _("Laporan diverifikasi dan masuk Situation Room."))
        elif action == "reject":
            form = RejectForm(request.POST)
            form.is_valid()
            try:
                reports.reject(request.user, report, form.cleaned_data.get("reason") or "")
            except DomainError as exc:
                if exc.status != 400:
                    raise
                form.add_domain_error(exc)
                return detail(request, pk, form=form)
            flash.success(request, _("Laporan ditolak; pelapor dapat membaca alasannya."))
        else:
            raise Http404("Aksi tidak dikenal")
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        flash.error(request, exc.message)
    return redirect(f"{QUEUE_URL}{report.pk}/")


def photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponseBase:
    if (denied := staff_required(request)) is not None:
        return denied
    report = _visible_report(request, pk)
    item = FieldPhoto.objects.filter(report=report, pk=photo_id).first()
    if item is None:
        raise Http404("Foto tidak ditemukan")
    if report.reporter_id != request.user.pk:
        record_access(request, subject_type="field_report", subject_ref=str(report.pk), what=f"foto {item.pk}")
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
