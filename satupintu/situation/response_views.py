"""The response cases' pages: "Buka tanggapan" from an issue, an alert or a field report, the
cases list (overdue first) and one case (notes, evidence, close). Thin: responses.py decides,
situation/access.py says who may act; every staff member reads."""

from __future__ import annotations

import os

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.core.errors import DomainError
from satupintu.core.forms import DomainForm, redirect_after_upload
from satupintu.core.privacy import record_access, typed_texts_for
from satupintu.organization import access, reference
from satupintu.situation import access as room_access
from satupintu.situation import response_figures, responses
from satupintu.situation.forms import ActionForm, SlotForm
from satupintu.situation.models import Alert, Issue, ResponseCase, ResponseStatus, Zone
from satupintu.situation.response_forms import CaseEvidenceForm, CaseNoteForm, OpenCaseForm, ResolveCaseForm

SUBJECTS = {"isu": Issue, "peringatan": Alert}
CASE_ACTIONS = ("note", "evidence", "resolve")


def _subject(request: HttpRequest) -> tuple[str, Model]:
    """What the case is about, from the address: ?isu=<id>, ?peringatan=<id> or ?laporan=<id>
    (a field report only when the field app lets this person read it)."""
    from satupintu.field import access as field_access

    for param in ("isu", "peringatan", "laporan"):
        raw = request.GET.get(param, "")
        if raw:
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
                raise Http404("Tidak ditemukan")
            if param == "laporan":
                return f"{param}={raw}", get_object_or_404(field_access.visible(request.user), pk=int(raw))
            return f"{param}={raw}", get_object_or_404(SUBJECTS[param], pk=int(raw))
    raise Http404("Tidak ditemukan")


@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    query, subject = _subject(request)
    if not room_access.may_open_case(request.user, subject):
        return room_access.forbidden(request, room_access.NOT_YOUR_REGION)
    existing = responses.open_case_for(subject)
    if existing is not None and request.method == "GET":
        flash.info(request, _("Sudah ada tanggapan yang belum selesai untuk ini; lanjutkan di sini."))
        return redirect("situation_case", pk=existing.pk)
    province = getattr(subject, "province_code", "")
    regency = getattr(subject, "regency_code", "")
    zone = responses.zone_for(regency, province)
    offices = room_access.case_office_choices(request.user, [province, regency])
    default_hours = responses.zone_hours(zone)
    if request.method == "GET":
        # The office of the subject's own place when it is offered (the one closest to it).
        near = [o for code in (regency, province) for o in offices if code and o.code == code]
        initial = {"office": (near or offices)[0].pk} if offices else {}
        form = OpenCaseForm(offices=offices, default_hours=default_hours, initial=initial)
        return _open_page(request, subject, query, form, zone)
    form = OpenCaseForm(request.POST, offices=offices, default_hours=default_hours)
    if not form.is_valid():
        return _open_page(request, subject, query, form, zone, status=400)
    d = form.cleaned_data
    try:
        case = responses.open_case(subject, user=request.user, office=d.get("office"), kind=d.get("kind") or "",
                                   opener_offices=room_access.acting_offices(request.user), hours=d.get("hours"),
                                   instructions=d.get("instructions") or "")
    except DomainError as exc:
        form.add_domain_error(exc)
        return _open_page(request, subject, query, form, zone, status=exc.status,
                          existing=responses.open_case_for(subject) if exc.code == "case_exists" else None)
    flash.success(request, _("Tanggapan dibuka untuk %(office)s.") % {"office": case.office.name})
    return redirect("situation_case", pk=case.pk)


def _open_page(request: HttpRequest, subject: Model, query: str, form: OpenCaseForm, zone: str,
               status: int = 200, existing: ResponseCase | None = None) -> HttpResponse:
    title = getattr(subject, "title", None) or getattr(subject, "summary", None) or str(subject)
    return render(request, "situation/case_open.html", {
        "subject": subject, "title": title, "query": query, "form": form, "zone": zone, "zone_label": Zone(zone).label, "existing": existing,
        "region": reference.region_name(getattr(subject, "regency_code", "") or getattr(subject, "province_code", ""))
        if getattr(subject, "province_code", "") else _("Nasional"),
    }, status=status)


def cases(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    status = request.GET.get("status", "open")
    mine = None
    if request.GET.get("saya"):
        mine = [r.office for r in access.staff_roles(request.user)]
    qs = room_access.readable_cases(request.user, response_figures.case_queue(status=status, offices=mine))
    page = Paginator(qs, 30).get_page(request.GET.get("hal"))
    page.object_list = list(page.object_list)
    for c in page.object_list:
        c.subject_title = responses.subject_title(c)  # type: ignore[attr-defined]
    return render(request, "situation/cases.html", {"page": page, "status": status,
                                                    "statuses": ResponseStatus.choices})


@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Not room_required: the reporter of a field report reads the cases on it (may_read_case).
    if (denied := access.staff_required(request)) is not None:
        return denied
    case = get_object_or_404(_cases(), pk=pk)
    if not room_access.may_read_case(request.user, case):
        raise Http404("Tanggapan tidak ditemukan")  # as if absent, like the field report it is on
    if request.method != "POST":
        return _case_page(request, case)
    if not room_access.may_act_on_case(request.user, case):
        return room_access.forbidden(request, room_access.NOT_YOUR_CASE)
    chosen = ActionForm(request.POST, actions=CASE_ACTIONS)
    if not chosen.is_valid():
        return _case_page(request, case, chosen, status=400)
    action = chosen.cleaned_data["action"]
    form: DomainForm = {"note": CaseNoteForm, "resolve": ResolveCaseForm}.get(action, CaseEvidenceForm)(
        request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, form, status=400)
    d = form.cleaned_data
    try:
        if action == "note":
            responses.add_note(case, user=request.user, text=d.get("text") or "")
            flash.success(request, _("Catatan tindak lanjut tersimpan."))
        elif action == "evidence":
            responses.add_evidence(case, user=request.user, upload=d.get("file"))
            flash.success(request, _("Bukti tersimpan."))
            return redirect_after_upload(request, f"/situasi/tanggapan/{case.pk}/")
        else:
            responses.resolve(case, user=request.user, summary=d.get("summary") or "")
            flash.success(request, _("Tanggapan selesai."))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _case_page(request, case, form, status=exc.status)
    return redirect("situation_case", pk=case.pk)


def _cases():  # type: ignore[no-untyped-def]
    return ResponseCase.objects.select_related("office__parent__parent", "issue", "alert", "field_report",
                                               "opened_by", "resolved_by", "escalated_to")


def _case_page(request: HttpRequest, case: ResponseCase, sent: DomainForm | None = None,
               status: int = 200) -> HttpResponse:
    from satupintu.organization.working_calendar import WorkingCalendar
    from satupintu.services.sla import format_office_time

    forms: dict[str, DomainForm] = {"note_form": CaseNoteForm(), "evidence_form": CaseEvidenceForm(),
                                     "resolve_form": ResolveCaseForm()}
    if isinstance(sent, SlotForm) and sent.slot in forms:
        forms[sent.slot] = sent
    now = timezone.now()
    calendar = WorkingCalendar.for_office(case.office)
    left = calendar.working_seconds_between(now, case.due_at)
    works_it = room_access.may_read_evidence(request.user, case)
    notes = list(case.notes.select_related("author"))
    # The files may show people: listed to those who read them (and each author their own).
    evidence = list(case.evidence.select_related("author").filter(**({} if works_it else {"author_id": request.user.pk})))
    # Notes, and the files' names ("KTP_7322....png"), may name people (a witness's phone, an ID
    # number): those who work the case read them whole, and each such look is on record; the rest
    # of the room reads them masked.
    instructions, summary, *shown = typed_texts_for(
        request, [case.instructions, case.summary, *(n.shown_text for n in notes), *(e.original_name for e in evidence)],
        whole=works_it, subject_type="response_case", subject_ref=str(case.pk), what="catatan tanggapan")
    texts = {"instructions": instructions, "summary": summary}
    for n, text in zip(notes, shown[:len(notes)], strict=True):
        n.shown = text  # type: ignore[attr-defined]
    for e, name in zip(evidence, shown[len(notes):], strict=True):
        e.shown_name = name  # type: ignore[attr-defined]
    return render(request, "situation/case.html", {
        "case": case, "title": responses.subject_title(case), "link": responses.subject_link(case),
        "may_act": room_access.may_act_on_case(request.user, case), "form": sent,
        "may_read_evidence": works_it, **texts, "notes": notes, "evidence": evidence,
        "overdue": not case.is_resolved and case.due_at < now, "tz": case.office.timezone,
        "left": format_office_time(left, calendar), **forms,
    }, status=status)


def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
    # Not room_required: the reporter of a field report reads the cases on it (may_read_case).
    if (denied := access.staff_required(request)) is not None:
        return denied
    case = get_object_or_404(ResponseCase, pk=pk)
    if not room_access.may_read_case(request.user, case):
        raise Http404("Tanggapan tidak ditemukan")
    evidence = case.evidence.filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404("Bukti tidak ditemukan")
    if evidence.author_id != request.user.pk and not room_access.may_read_evidence(request.user, case):
        raise Http404("Bukti tidak ditemukan")  # as if absent: whether a case has files is not everyone's
    if evidence.author_id != request.user.pk:
        # Evidence may show people (an ID card, minutes with names): every other reader's look is on record.
        record_access(request, subject_type="response_case", subject_ref=str(case.pk), what=f"bukti {evidence.pk}")
    response = FileResponse(evidence.file.open("rb"), as_attachment=True,
                            filename=evidence.original_name or os.path.basename(evidence.file.name))
    response["X-Content-Type-Options"] = "nosniff"
    return response
