"""Breakthrough pages (/terobosan/): the list, registering and editing, the detail page with its
before/after charts, evidence, and the Rakor organiser's (head's) call for breakthroughs on a decision.

Thin: the forms of reform/forms.py parse, reform/breakthroughs.py decides, the selectors and
indicators read; a refused form comes back with what was typed and every error (status 400).
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core.errors import DomainError
from satupintu.core.forms import redirect_after_upload
from satupintu.core.privacy import record_access, typed_texts_for
from satupintu.organization import access as org_access
from satupintu.organization.models import Office, Unit
from satupintu.organization.working_calendar import office_today
from satupintu.rakor import followups
from satupintu.rakor.models import Decision
from satupintu.reform import access, breakthroughs, integrity, selectors
from satupintu.reform.charts import before_after_chart
from satupintu.reform.forms import BreakthroughForm, CallForm, EvidenceForm
from satupintu.reform.indicators import MIN_N, WINDOW_DAYS, before_after, describe_window
from satupintu.reform.models import Breakthrough
from satupintu.services.catalog import services_offered_at

LIST_LIMIT = 200


def _visible(request: HttpRequest, pk: int) -> Breakthrough:
    """The breakthrough if this person may read it; another office's is "not found" (its existence is not told)."""
    b = selectors.breakthroughs_prefetched().filter(pk=pk).first()
    if b is None or not access.visible_breakthroughs(request.user).filter(pk=pk).exists():
        raise Http404(_("Terobosan tidak ditemukan."))
    return b


def breakthrough_list(request: HttpRequest) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    offices = list(access.readable_offices(request.user).order_by("code"))
    qs = access.visible_breakthroughs(request.user).select_related("office", "unit").prefetch_related("indicators")
    office_code, unit_code = request.GET.get("kantor", "").strip(), request.GET.get("unit", "").strip()
    if office_code:
        qs = qs.filter(office__code=office_code)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    writable = access.write_offices(request.user)
    calls = [(o, selectors.open_calls_for(o)) for o in writable]
    return render(request, "reform/list.html", {
        "breakthroughs": list(qs.order_by("office__code", "-started_on", "-pk")[:LIST_LIMIT]),
        "offices": offices, "units": list(Unit.objects.order_by("name")), "office_code": office_code,
        "unit_code": unit_code, "may_register": bool(writable) or request.user.is_superuser,  # type: ignore[union-attr]
        "may_make_packs": integrity.may_make_packs(request.user),
        "open_calls": [(o, c) for o, cs in calls for c in cs],
    })


def _form(request: HttpRequest, data: Any = None, files: Any = None,
          instance: Breakthrough | None = None) -> BreakthroughForm:
    user = request.user
    if instance is not None:
        offices = [instance.office]
    else:
        offices = access.write_offices(user) or (list(Office.objects.filter(code="pusat")) if user.is_superuser  # type: ignore[union-attr]
                                                 else [])
    if not offices:
        raise PermissionDenied(_("Mendaftarkan terobosan hanya untuk kepala kantor, admin, kepala unit dan petugas "
                                 "unit."))
    chosen = (data if data is not None else request.GET).get("office", "")
    office = next((o for o in offices if o.code == chosen), offices[0])
    units = access.units_for(user, office)
    services = services_offered_at(office, public_only=False)
    if units is not None:
        services = [s for s in services if s.unit_id in {u.pk for u in units}]
    calls = selectors.open_calls_for(office)
    if instance is not None and instance.call is not None and instance.call not in calls:
        # The call this breakthrough answered, closed since: still offered (and chosen), or the edit
        # would post call="" and silently take the delivered answer off the call's board.
        calls.append(instance.call)
    initial: dict[str, Any] = {}
    if instance is None and (asked := request.GET.get("permintaan")):
        initial["call"] = asked
    if instance is None and units:
        initial["unit"] = units[0].code
    kwargs: dict[str, Any] = {"initial": initial} if initial else {}
    return BreakthroughForm(data, files, offices=offices, units=units, services=services, calls=calls,
                            instance=instance, **kwargs)


def _form_page(request: HttpRequest, form: BreakthroughForm, b: Breakthrough | None = None,
               status: int = 200) -> HttpResponse:
    if status >= 400 and request.FILES.getlist("evidence_files") and not form.has_error("evidence_files"):
        # A browser never refills a file input: say so where the files were, so nobody leaves
        # thinking the evidence went with the corrected form.
        form.add_error("evidence_files", _("Pilih lagi berkas bukti: berkas yang tadi dipilih belum disimpan "
                                           "karena ada isian yang perlu diperbaiki."))
    return render(request, "reform/form.html", {"form": form, "breakthrough": b}, status=status)


@require_http_methods(["GET", "POST"])
def breakthrough_new(request: HttpRequest) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    if request.method != "POST":
        return _form_page(request, _form(request))
    form = _form(request, request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        b = breakthroughs.breakthrough_register(form.draft(), user=request.user)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _form_page(request, form, status=exc.status)
    flash.success(request, _("Terobosan terdaftar."))
    return redirect_after_upload(request, f"/terobosan/{b.pk}/")


@require_http_methods(["GET", "POST"])
def breakthrough_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    b = _visible(request, pk)
    if not access.may_edit(request.user, b):
        raise PermissionDenied(_("Anda tidak berwenang mengubah terobosan ini."))
    if request.method != "POST":
        # The form holds the typed text whole: on record when it holds a NIK or phone, as on the page.
        typed_texts_for(request, [b.title, b.problem, b.change, b.people], whole=True,
                        subject_type="breakthrough", subject_ref=str(b.pk), what="teks terobosan")
        return _form_page(request, _form(request, instance=b), b)
    form = _form(request, request.POST, request.FILES, instance=b)
    if not form.is_valid():
        return _form_page(request, form, b, status=400)
    try:
        breakthroughs.breakthrough_update(b, form.draft(), user=request.user)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _form_page(request, form, b, status=exc.status)
    flash.success(request, _("Terobosan diperbarui."))
    return redirect_after_upload(request, f"/terobosan/{b.pk}/")


def _detail_page(request: HttpRequest, b: Breakthrough, evidence_form: EvidenceForm | None = None,
                 status: int = 200) -> HttpResponse:
    today = office_today(b.office)
    effects = before_after(b, today=today)
    evidence = list(b.evidence.all())
    may_edit = access.may_edit(request.user, b)
    # Free text anyone typed may hold a citizen's NIK or phone (a file named after an ID card):
    # those who keep the breakthrough read it whole, on record; the other readers, masked.
    title, problem, change, team, *titles = typed_texts_for(
        request, [b.title, b.problem, b.change, b.people, *(ev.title for ev in evidence)], whole=may_edit,
        subject_type="breakthrough", subject_ref=str(b.pk), what="teks terobosan")
    shown = {"title": title, "problem": problem, "change": change, "people": team}
    for ev, text in zip(evidence, titles, strict=True):
        ev.shown_title = text  # type: ignore[attr-defined]
    return render(request, "reform/detail.html", {
        "shown": shown,
        "b": b, "effects": [(e, before_after_chart(e)) for e in effects], "window": describe_window(b.started_on, today),
        "window_days": WINDOW_DAYS, "min_n": sorted({n for n in MIN_N.values()}),
        "evidence": evidence, "may_edit": may_edit,
        "evidence_form": evidence_form or EvidenceForm(),
        "call_visible": b.call_id is not None and followups.user_may_see(request.user, b.call.decision.meeting),  # type: ignore[union-attr]
    }, status=status)


def breakthrough_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    return _detail_page(request, _visible(request, pk))


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    b = _visible(request, pk)
    if not access.may_edit(request.user, b):
        raise PermissionDenied(_("Anda tidak berwenang menambah bukti terobosan ini."))
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, b, form, status=400)
    d = form.cleaned_data
    try:
        breakthroughs.evidence_add(b, user=request.user, title=d.get("title") or "", file=d.get("file"),
                                   link=d.get("link") or "")
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail_page(request, b, form, status=exc.status)
    flash.success(request, _("Bukti ditambahkan."))
    return redirect_after_upload(request, f"/terobosan/{b.pk}/#bukti")


def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    b = _visible(request, pk)
    evidence = b.evidence.filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404(_("Bukti tidak ditemukan."))
    if evidence.uploaded_by_id != request.user.pk:
        # Unscreened uploads (a desk photo, a scanned register) may show citizens: every other look is on record.
        record_access(request, subject_type="breakthrough_evidence", subject_ref=str(evidence.pk),
                      what=f"bukti terobosan {b.pk}")
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=os.path.basename(evidence.file.name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the Rakor call -----------------------------------------------------------------------------

def _call_offices(decision: Decision) -> list[Office]:
    from satupintu.rakor.views.common import below

    return [decision.meeting.office, *below(decision.meeting.office)]


def call_panel(request: HttpRequest, decision: Decision, posted: CallForm | None = None) -> dict[str, Any] | None:
    """What the Rakor decision page shows about breakthroughs: the call's board, or (to the meeting's
    organiser) the form to make the decision a call; None when there is nothing to show."""
    call = getattr(decision, "breakthrough_call", None)
    if call is not None:
        board = selectors.call_board(call)
        readable = set(access.readable_offices(request.user).values_list("pk", flat=True))
        if request.user.is_superuser:  # type: ignore[union-attr]
            readable = {r.office.pk for r in board.rows}
        return {"board": board, "readable": readable}
    if not access.may_call_for_breakthroughs(request.user, decision.meeting):
        return None
    invited = list(decision.meeting.invited_offices.values_list("code", flat=True))
    form = posted or CallForm(offices=_call_offices(decision), initial={
        "offices": invited or [o.code for o in _call_offices(decision)[1:]], "per_unit": "unit"})
    return {"form": form, "decision": decision}


@require_POST
def call_create(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := org_access.staff_required(request)) is not None:
        return denied
    from satupintu.rakor.views.followups import decision_page

    decision = get_object_or_404(Decision.objects.select_related("meeting__office"), pk=pk)
    if not followups.user_may_see(request.user, decision.meeting):
        raise PermissionDenied(_("Anda tidak dapat melihat keputusan ini."))
    if not access.may_call_for_breakthroughs(request.user, decision.meeting):
        raise PermissionDenied(_("Hanya kepala kantor atau administrator kantor penyelenggara rapat yang dapat "
                                 "meminta terobosan."))
    form = CallForm(request.POST, offices=_call_offices(decision))
    if not form.is_valid():
        return decision_page(request, decision, call_form=form, status=400)
    try:
        breakthroughs.call_create(decision, user=request.user, due_date=form.cleaned_data.get("due_date"),
                                  offices=form.cleaned_offices(), per_unit=form.cleaned_data.get("per_unit") != "office")
    except DomainError as exc:
        form.add_domain_error(exc)
        return decision_page(request, decision, call_form=form, status=exc.status)
    flash.success(request, _("Keputusan ini sekarang meminta terobosan; papannya ada di bawah."))
    return redirect_after_upload(request, f"/rakor/keputusan/{decision.pk}/#terobosan")
