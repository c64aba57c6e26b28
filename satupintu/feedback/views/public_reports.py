"""Public pages for complaints, aspirations and questions: file one, follow it, and the
board of answered aspirations and questions that anyone may read."""

from __future__ import annotations

import uuid

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.core.forms import redirect_after_upload, session_key
from satupintu.core.privacy import mask_free_text
from satupintu.feedback import reports
from satupintu.feedback.forms import AddInformationForm, BoardFilterForm, ConfirmForm, ReportForm
from satupintu.feedback.models import Report, ReportKind, ReportStatus
from satupintu.services import upload_stash
from satupintu.services.upload_stash import StashOwner


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.GET.get("kode"):
        return redirect(f"/pengaduan/{request.GET['kode'].strip()}/")
    if request.method != "POST":
        # a link may pre-fill the form (?kind=aspiration&office=73.22)
        initial = {k: v for k, v in request.GET.items() if k in ReportForm.base_fields and k != "form_key"}
        return _form_page(request, ReportForm(initial={**initial, "form_key": uuid.uuid4().hex}), StashOwner("", ""))
    form = ReportForm(request.POST, request.FILES)
    owner = StashOwner((request.POST.get("form_key") or "")[:80], session_key(request),
                       client=ratelimit.client_ip(request))
    if not form.is_valid():  # unparseable input (a NUL byte...): the rules are report_submit's
        return _form_page(request, form, owner, status=400)
    kept = upload_stash.stash_files(owner)
    try:
        report = reports.report_submit(form.submission(ip=ratelimit.client_ip(request), kept=kept))
    except DomainError as exc:  # all problems at once; storage_full / storage_unavailable keep 507 / 503
        form.add_domain_error(exc)
        if isinstance(exc, ValidationErrors):  # attachments that passed are kept for the next try
            form.keep_uploads(owner)
        return _form_page(request, form, owner, status=exc.status)
    finally:
        for upload in kept.values():
            upload.close()
    upload_stash.stash_discard(owner)
    flash.success(request, _("Laporan terkirim. Simpan kode lacak ini untuk mengikuti tindak lanjutnya."))
    return redirect_after_upload(request, f"/pengaduan/{report.tracking_code}/")


def _form_page(request: HttpRequest, form: ReportForm, owner: StashOwner, status: int = 200) -> HttpResponse:
    form.show_kept(upload_stash.stash_list(owner))
    return render(request, "feedback/report_form.html", {"form": form}, status=status)


def _load(request: HttpRequest, code: str) -> Report | HttpResponse:
    try:
        return reports.report_for_tracking(code)
    except DomainError as exc:
        return render(request, "feedback/report_lookup.html", {"error": exc.message, "kode": code}, status=404)


@never_cache  # a report's answer and timeline (integrity reports too): not for a shared desk's cache
def track(request: HttpRequest, code: str) -> HttpResponse:
    report = _load(request, code)
    if isinstance(report, HttpResponse):
        return report
    if report.tracking_code != code:
        return redirect(f"/pengaduan/{report.tracking_code}/")
    return _track_page(request, report)


def _track_page(request: HttpRequest, report: Report, *, info: AddInformationForm | None = None,
                owner: StashOwner | None = None, confirmation: ConfirmForm | None = None,
                status: int = 200) -> HttpResponse:
    """The report as its reporter follows it, with the forms its status allows; a form sent
    back with errors is shown as it was filled (and its accepted attachments kept)."""
    if info is None:
        info = AddInformationForm(initial={"form_key": uuid.uuid4().hex})
    info.show_kept(upload_stash.stash_list(owner) if owner is not None else {})
    return render(request, "feedback/report_track.html", {
        "report": report, "events": [e for e in report.events.all() if e.public], "Status": ReportStatus,
        "info_form": info, "confirm_form": confirmation or ConfirmForm(),
        "posted": next((f for f in (info, confirmation) if f is not None and f.errors), None),
    }, status=status)


@never_cache
@require_POST
def add_information(request: HttpRequest, code: str) -> HttpResponse:
    report = _load(request, code)
    if isinstance(report, HttpResponse):
        return report
    form = AddInformationForm(request.POST, request.FILES)
    owner = StashOwner((request.POST.get("form_key") or "")[:80], session_key(request),
                       client=ratelimit.client_ip(request))
    if not form.is_valid():
        return _track_page(request, report, info=form, owner=owner, status=400)
    kept = upload_stash.stash_files(owner)
    try:
        reports.report_add_information(report, text=form.cleaned_data.get("text", ""), files=form.attachments(kept))
    except DomainError as exc:
        form.add_domain_error(exc)
        if isinstance(exc, ValidationErrors):  # attachments that passed are kept for the next try
            form.keep_uploads(owner)
        return _track_page(request, report, info=form, owner=owner, status=exc.status)
    finally:
        for upload in kept.values():
            upload.close()
    upload_stash.stash_discard(owner)
    flash.success(request, _("Tambahan informasi terkirim."))
    return redirect_after_upload(request, f"/pengaduan/{report.tracking_code}/")


@never_cache
@require_POST
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    report = _load(request, code)
    if isinstance(report, HttpResponse):
        return report
    form = ConfirmForm(request.POST)
    if not form.is_valid():  # a rating that is no number
        return _track_page(request, report, confirmation=form, status=400)
    d = form.cleaned_data
    try:
        reports.report_confirm(report, resolved=d.get("resolved"), rating=d.get("rating"), comment=d.get("comment", ""))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _track_page(request, report, confirmation=form, status=exc.status)
    flash.success(request, _("Terima kasih atas konfirmasi Anda."))
    return redirect(f"/pengaduan/{report.tracking_code}/")


BOARD_NUMBER_SEARCH_ROWS = 1000


def board(request: HttpRequest) -> HttpResponse:
    """Answered, non-confidential aspirations and questions: the office listens."""
    qs = Report.objects.select_related("office").filter(
        confidential=False, integrity=False, kind__in=[ReportKind.ASPIRATION, ReportKind.QUESTION],
        status__in=[ReportStatus.ANSWERED, ReportStatus.CLOSED],
    ).order_by("-answered_at")
    form = BoardFilterForm(request.GET)
    form.is_valid()  # an office not in the list is said next to the box; the words still search
    q, office = form.cleaned_data.get("q", ""), form.cleaned_data.get("office", "")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(answer__icontains=q))
    if office:
        qs = qs.filter(Q(office__code=office) | Q(office__parent__code=office))
    rows: QuerySet[Report] | list[Report] = qs
    if any(c.isdigit() for c in q):
        # A number finds only what the board shows: NIKs and phone numbers are masked on it, and a
        # search of the stored text would tell anyone whether someone's number is in a report.
        # Among the newest BOARD_NUMBER_SEARCH_ROWS matches only: each is masked here, in Python, and an
        # anonymous "?q=1" masked every answered aspiration in the country on each request.
        needle = q.casefold()
        rows = [r for r in qs[:BOARD_NUMBER_SEARCH_ROWS]
                if any(needle in mask_free_text(t).casefold() for t in (r.title, r.text, r.answer))]
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "feedback/board.html", {"page": page, "form": form},
                  status=400 if form.errors else 200)
