"""Public pages for complaints, aspirations and questions: file one, follow it, and the
board of answered aspirations and questions that anyone may read."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.feedback import reports
from satupintu.feedback.models import Report, ReportCategory, ReportKind, ReportStatus
from satupintu.organization.models import Level, Office


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.GET.get("kode"):
        return redirect(f"/pengaduan/{request.GET['kode'].strip()}/")
    errors: dict[str, str] = {}
    error_status = 400
    values = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        sub = reports.ReportSubmission(
            kind=values.get("kind", ""), category=values.get("category", ""), office=values.get("office", ""),
            title=values.get("title", ""), text=values.get("text", ""), name=values.get("name", ""),
            email=values.get("email", ""), phone=values.get("phone", ""),
            anonymous=values.get("anonymous") == "1", confidential=values.get("confidential") == "1",
            application_code=values.get("application_code", ""), files=request.FILES.getlist("files"),
            ip=ratelimit.client_ip(request), honeypot=values.get("website", ""),
            latitude=values.get("latitude", ""), longitude=values.get("longitude", ""),
        )
        try:
            report = reports.report_submit(sub)
        except DomainError as exc:  # storage_full / storage_unavailable keep their 507 / 503
            errors, error_status = {exc.field or "_": exc.message}, exc.status
        else:
            flash.success(request, "Laporan terkirim. Simpan kode lacak ini untuk mengikuti tindak lanjutnya.")
            return redirect(f"/pengaduan/{report.tracking_code}/")
    return render(request, "feedback/report_form.html", {
        "errors": errors, "values": values, "kinds": ReportKind.choices, "categories": ReportCategory.choices,
        "kanwils": Office.objects.filter(level=Level.KANWIL).prefetch_related("children").order_by("name"),
    }, status=error_status if errors else 200)


def _load(request: HttpRequest, code: str) -> Report | HttpResponse:
    try:
        return reports.report_for_tracking(code)
    except DomainError as exc:
        return render(request, "feedback/report_lookup.html", {"error": exc.message, "kode": code}, status=404)


def track(request: HttpRequest, code: str) -> HttpResponse:
    report = _load(request, code)
    if isinstance(report, HttpResponse):
        return report
    if report.tracking_code != code:
        return redirect(f"/pengaduan/{report.tracking_code}/")
    return render(request, "feedback/report_track.html", {
        "report": report, "events": [e for e in report.events.all() if e.public], "Status": ReportStatus,
    })


@require_POST
def add_information(request: HttpRequest, code: str) -> HttpResponse:
    report = _load(request, code)
    if isinstance(report, HttpResponse):
        return report
    try:
        reports.report_add_information(report, text=request.POST.get("text", ""),
                                       files=request.FILES.getlist("files"))
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Tambahan informasi terkirim.")
    return redirect(f"/pengaduan/{report.tracking_code}/")


@require_POST
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    report = _load(request, code)
    if isinstance(report, HttpResponse):
        return report
    raw_rating = request.POST.get("rating", "")
    try:
        rating = int(raw_rating) if raw_rating else None
        resolved = {"ya": True, "tidak": False}.get(request.POST.get("resolved", ""))
        if resolved is None:
            raise DomainError("missing_field", "Pilih apakah jawaban menyelesaikan masalah Anda.", field="resolved")
        reports.report_confirm(report, resolved=resolved, rating=rating, comment=request.POST.get("comment", ""))
    except ValueError:
        flash.error(request, "Nilai 1 sampai 5.")
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, "Terima kasih atas konfirmasi Anda.")
    return redirect(f"/pengaduan/{report.tracking_code}/")


def board(request: HttpRequest) -> HttpResponse:
    """Answered, non-confidential aspirations and questions: the office listens."""
    qs = Report.objects.select_related("office").filter(
        confidential=False, integrity=False, kind__in=[ReportKind.ASPIRATION, ReportKind.QUESTION],
        status__in=[ReportStatus.ANSWERED, ReportStatus.CLOSED],
    ).order_by("-answered_at")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(answer__icontains=q))
    office = request.GET.get("office", "").strip()
    if office:
        qs = qs.filter(Q(office__code=office) | Q(office__parent__code=office))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "feedback/board.html", {"page": page, "q": q, "office": office})
