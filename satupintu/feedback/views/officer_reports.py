"""The back office for complaints, aspirations and questions: the queue with deadlines,
one report's file with its actions, and attachment downloads.

Thin views: what a user may see and do is decided in feedback/reports.py. An anonymous
reporter's identity never reaches these pages, not even for a superuser.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satupintu.core.errors import DomainError
from satupintu.core.privacy import mask_email, mask_free_text, mask_phone, record_access
from satupintu.feedback import reports
from satupintu.feedback.models import Report, ReportCategory, ReportKind, ReportStatus
from satupintu.feedback.officer_forms import ReportActionForm, RevealForm
from satupintu.organization import access
from satupintu.organization.models import Office
from satupintu.organization.working_calendar import CalendarCache, WorkingCalendar
from satupintu.services import sla

QUEUE_URL = "/petugas/pengaduan/"
FINAL_STATUSES = [ReportStatus.CLOSED, ReportStatus.REJECTED]

# Report statuses drawn with the badge colours the application back office already has.
BADGE_CLASS: dict[str, str] = {
    ReportStatus.SUBMITTED: "submitted",
    ReportStatus.VERIFIED: "verified",
    ReportStatus.FORWARDED: "in_process",
    ReportStatus.ANSWERED: "needs_completion",  # waiting for the reporter's confirmation
    ReportStatus.CLOSED: "completed",
    ReportStatus.REJECTED: "rejected",
}

EVENT_LABELS = {
    "submit": gettext_lazy("Laporan diterima"),
    "verify": gettext_lazy("Diverifikasi"),
    "forward": gettext_lazy("Diteruskan"),
    "answer": gettext_lazy("Dijawab"),
    "reject": gettext_lazy("Tidak dapat diproses"),
    "close": gettext_lazy("Selesai"),
    "reopen": gettext_lazy("Dibuka kembali oleh pelapor"),
    "add_info": gettext_lazy("Tambahan informasi dari pelapor"),
    "recategorize": gettext_lazy("Kategori diubah"),
    "note": gettext_lazy("Catatan"),
}

ACTION_DONE = {
    "verify": gettext_lazy("Laporan diverifikasi."),
    "forward": gettext_lazy("Laporan diteruskan."),
    "answer": gettext_lazy("Jawaban tersimpan dan dikirim ke pelapor."),
    "reject": gettext_lazy("Laporan dinyatakan tidak dapat diproses."),
    "recategorize": gettext_lazy("Kategori laporan diubah."),
}


def _export_csv(qs) -> tuple[HttpResponse, int]:  # type: ignore[no-untyped-def]
    """The filtered queue as CSV. Reporters' contacts never leave the system; the name only
    when the reporter did not ask to stay anonymous."""
    import io

    from satupintu.core.spreadsheets import csv_writer

    buf = io.StringIO()
    writer = csv_writer(buf)  # a title "=HYPERLINK(...)" stays text
    # Times in each report's office's own time (what Excel shows as it is), the zone in the last column.
    writer.writerow(["kode", "jenis", "kategori", "kantor", "unit", "status", "diterima", "batas", "judul", "pelapor",
                     "dijawab", "terselesaikan", "nilai", "zona waktu"])
    rows = 0
    for r in qs.iterator(chunk_size=1000):
        rows += 1
        zone = ZoneInfo(r.office.timezone)

        def local(moment, zone=zone):  # type: ignore[no-untyped-def]
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

        writer.writerow([
            r.tracking_code, r.kind, r.category, r.office.code, r.unit.code if r.unit_id else "", r.status,
            local(r.submitted_at), local(r.due_at), mask_free_text(r.title),
            "(dirahasiakan)" if r.anonymous else r.reporter_name, local(r.answered_at),
            "" if r.resolved is None else ("ya" if r.resolved else "tidak"), r.rating or "",
            r.office.timezone_label,
        ])
    response = HttpResponse(("\ufeff" + buf.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="laporan-publik.csv"'
    return response, rows


def queue(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    visible = reports.visible_reports(request.user)
    now = timezone.now()
    summary = visible.exclude(status__in=FINAL_STATUSES).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now, sla_running_since__isnull=False)),
    )
    qs = visible
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.exclude(status__in=FINAL_STATUSES)
    elif status in ReportStatus.values:
        qs = qs.filter(status=status)
    if (kind := request.GET.get("kind", "")) in ReportKind.values:
        qs = qs.filter(kind=kind)
    if (category := request.GET.get("category", "")) in ReportCategory.values:
        qs = qs.filter(category=category)
    if office := request.GET.get("office", ""):
        qs = qs.filter(office__code=office)
    if request.GET.get("sla") == "overdue":
        qs = qs.exclude(status__in=FINAL_STATUSES).filter(due_at__lt=now, sla_running_since__isnull=False)
    if q := request.GET.get("q", "").strip():
        code = q.upper().replace(" ", "")
        qs = qs.filter(Q(tracking_code__icontains=code) | Q(title__icontains=q))
    qs = qs.order_by(F("due_at").asc(nulls_last=True), "submitted_at")
    if request.GET.get("format") == "csv":
        response, exported = _export_csv(qs)
        # Reporters' names leave the system in it: every download is on record, as the survey's.
        # The office filter names the record only when it is an office's code (its column holds 40).
        known = bool(office) and Office.objects.filter(code=office).exists()
        record_access(request, subject_type="report_queue", subject_ref=office if known else "antrean",
                      what=f"ekspor CSV antrean pengaduan ({exported} laporan)")
        return response
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    calendars = CalendarCache()
    rows = [{"report": r, "badge": BADGE_CLASS.get(r.status, ""), **sla.sla_summary(r, calendar=calendars.for_office_of(r), now=now)}
            for r in page]
    # Supervisors (and the inspectorate) see several offices; offer those that have reports.
    offices = list(Office.objects.filter(pk__in=visible.values("office_id")).order_by("code")[:600])
    return render(request, "feedback/officer_queue.html", {
        "page": page, "rows": rows, "status": status, "summary": summary, "filters": request.GET,
        "filtered": status != "open" or any(request.GET.get(k) for k in ("q", "kind", "category", "office", "sla")),
        "statuses": ReportStatus.choices, "kinds": ReportKind.choices, "categories": ReportCategory.choices,
        "offices": offices, "show_offices": len(offices) > 1 or bool(office),
        "roles": access.staff_roles(request.user),
    })


def _get_visible(request: HttpRequest, code: str) -> Report:
    report = reports.visible_reports(request.user).filter(tracking_code=code.upper()).first()
    if report is None:
        raise Http404("Laporan tidak ditemukan")
    return report


def detail(request: HttpRequest, code: str) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    report = _get_visible(request, code)
    # A POST here asks to see the contact in clear: answered on this page, never by a link.
    if request.method != "POST" or report.anonymous:
        # An anonymous reporter's identity is never shown, so there is nothing to reveal (or audit).
        return _detail_page(request, report)
    form = RevealForm(request.POST)
    if form.record(request, subject_type="report", subject_ref=report.tracking_code, what="identitas pelapor"):
        return _detail_page(request, report, reveal=True)
    return _detail_page(request, report, reveal_form=form, status=400)


def _detail_page(request: HttpRequest, report: Report, *, reveal: bool = False, posted: ReportActionForm | None = None,
                 reveal_form: RevealForm | None = None, status: int = 200) -> HttpResponse:
    """The report's file with a form per action it allows; ``posted`` is an action form sent
    back with its errors (and what was typed in it)."""
    cal = WorkingCalendar.for_office(report.office)
    now = timezone.now()
    reveal = reveal and not report.anonymous
    if report.anonymous:
        reporter = None
    else:
        reporter = {
            "name": report.reporter_name,
            "phone": report.reporter_phone if reveal else mask_phone(report.reporter_phone),
            "email": report.reporter_email if reveal else mask_email(report.reporter_email),
            "has_contact": bool(report.reporter_phone or report.reporter_email),
        }
    # An anonymous reporter was promised that officers never learn who they are: the application
    # they named would tell (its applicant), so the page says only that one was named.
    application = None if report.anonymous else report.application
    # What the reporter wrote often carries their NIK or number ("NIK saya 7322..."): masked like the
    # contact, whole only with it after an audited reveal; never for an anonymous reporter.
    title, text = report.title, report.text
    if not reveal:
        title, text = mask_free_text(title), mask_free_text(text)
    # The history repeats what people wrote (the reporter's additions, the answer): masked alike.
    history = list(report.events.all())
    notes = [e.note_shown if reveal else mask_free_text(e.note_shown) for e in history]
    # The officer's wording where it has one; else the step's own name (the SLA warning, escalation).
    events = [{"event": e, "label": EVENT_LABELS.get(e.action, e.label), "note": note}
              for e, note in zip(history, notes, strict=True)]
    text_masked = (title, text) != (report.title, report.text) or any(
        note != e.note_shown for e, note in zip(history, notes, strict=True))
    if reporter is not None:
        reporter["has_contact"] = reporter["has_contact"] or text_masked
    actions = reports.allowed_report_actions(report, request.user)
    action_forms = [(a, posted if posted is not None and posted.action_name == a else ReportActionForm(a, report))
                    for a in actions]
    return render(request, "feedback/officer_detail.html", {
        "report": report,
        "title": title,
        "text": text,
        "text_masked": text_masked,
        "badge": BADGE_CLASS.get(report.status, ""),
        "reporter": reporter,
        "reveal": reveal,
        "reveal_form": reveal_form or RevealForm(),
        "application": application,
        "application_hidden": report.anonymous and report.application_id is not None,
        "application_visible": application is not None and access.can_view(request.user, application),
        "events": events,
        "attachments": report.attachments.all(),
        "actions": actions,
        "action_forms": action_forms,
        "posted": posted,
        # typed into a form the report no longer offers (another officer acted first): shown to copy
        "unsent_note": posted.data.get("note", "") if posted is not None and posted.action_name not in actions else "",
        **sla.sla_summary(report, calendar=cal, now=now),
    }, status=status)


@require_POST
def act(request: HttpRequest, code: str) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    report = _get_visible(request, code)
    action = request.POST.get("action", "")  # which of the page's forms was sent
    form = ReportActionForm(action, report, request.POST)
    if not form.is_valid():  # an office that does not exist, a note over the limit
        return _detail_page(request, report, posted=form, status=400)
    d = form.cleaned_data
    try:
        if action == "recategorize":
            reports.report_recategorize(report, user=request.user, category=d.get("category", ""),
                                        note=d.get("note", ""))
        else:
            reports.report_act(report, action, user=request.user, note=d.get("note", ""), office=d.get("office"),
                               unit=d.get("unit"))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail_page(request, report, posted=form, status=exc.status)
    flash.success(request, ACTION_DONE.get(action, _("Tersimpan.")))
    if reports.visible_reports(request.user).filter(pk=report.pk).exists():
        return redirect(f"{QUEUE_URL}{report.tracking_code}/")
    flash.info(request, _("Laporan %(code)s kini di luar wewenang Anda.") % {"code": report.tracking_code})
    return redirect(QUEUE_URL)


def attachment(request: HttpRequest, code: str, attachment_id: int) -> HttpResponseBase:
    if (denied := access.staff_required(request)) is not None:
        return denied
    report = _get_visible(request, code)
    item = report.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404("Lampiran tidak ditemukan")
    record_access(request, subject_type="report", subject_ref=report.tracking_code,
                  what=f"lampiran {item.original_name}"[:120])
    return FileResponse(item.file.open("rb"), filename=item.original_name, content_type=item.content_type)
