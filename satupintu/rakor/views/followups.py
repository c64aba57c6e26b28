"""Follow-up pages: adopting a decision into one's own meeting, assigning an action, one action
with its progress (report, close, reopen), the evidence download, a decision's board and an
office's own board.

Thin views as in meetings.py: the forms of rakor/forms.py parse, followups.py decides. The
adopt and assign forms live on the meeting page, so a refused one shows that page again.
"""

from __future__ import annotations

import os

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core.errors import DomainError
from satupintu.core.forms import redirect_after_upload
from satupintu.core.privacy import record_access
from satupintu.organization import access
from satupintu.organization.models import Office, Unit
from satupintu.rakor import followups
from satupintu.rakor.access import (
    heads,
    may_open_evidence,
    may_see_action,
    meeting_names,
    offices,
    organiser_offices,
    organises,
    works_at,
)
from satupintu.rakor.forms import ActionForm, AdoptForm, ProgressForm
from satupintu.rakor.models import Action, Decision, Meeting
from satupintu.rakor.views.common import back, below
from satupintu.rakor.views.meetings import max_mb, meeting_page

STATE_ORDER = ("late", "not_started", "on_track", "done")
LATE_NAMED = 10  # late offices named above a board's table


@require_POST
def decision_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a decision into a meeting of the user's own office; the domain decides what may."""
    if (denied := access.staff_required(request)) is not None:
        return denied
    decision = get_object_or_404(Decision.objects.select_related("meeting__office"), pk=pk)
    user = request.user
    visible = followups.user_may_see(user, decision.meeting)
    own_meetings = list(Meeting.objects.filter(office__in=organiser_offices(user))
                        .exclude(office=decision.meeting.office)
                        .select_related("office").order_by("-starts_at")[:50])
    form = AdoptForm(request.POST, decision=decision, own_meetings=own_meetings)
    into = form.cleaned_data.get("into") if form.is_valid() else None
    if into is not None and not organises(user, into.office):
        form.add_error("into", _("Anda hanya dapat mengadopsi ke rapat kantor Anda sendiri."))
        into = None
    status, refused_by_domain = 400, False
    if into is not None:
        try:
            adopted = followups.adopt(decision, into)
        except DomainError as exc:
            form.add_domain_error(exc)
            status, refused_by_domain = exc.status, True
        else:
            flash.success(request, _("Keputusan diadopsi ke %(title)s. Tambahkan tindak lanjutnya.")
                          % {"title": into.title})
            return back(into.pk, f"keputusan-{adopted.pk}")
    if visible:
        return meeting_page(request, decision.meeting, form, status=status)
    # A decision from a meeting the user cannot see: no page to show the form on, so a message.
    for _target, message in form.error_summary():
        flash.error(request, message)
    return back(into.pk, "keputusan") if refused_by_domain and into is not None else redirect("/rakor/")


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    decision = get_object_or_404(Decision.objects.select_related("meeting__office"), pk=pk)
    meeting = decision.meeting
    if not organises(request.user, meeting.office):
        raise PermissionDenied(_("Hanya kepala, kepala unit atau administrator kantor penyelenggara yang dapat "
                                 "menugaskan tindak lanjut."))
    form = ActionForm(request.POST, decision=decision, offices=[meeting.office, *below(meeting.office)],
                      units=list(Unit.objects.all()), today=followups.office_today(meeting.office))
    if not form.is_valid():
        return meeting_page(request, meeting, form, status=400)
    d = form.cleaned_data
    try:
        followups.add_action(decision, office=d["office"], indicator=d.get("indicator", ""), due_date=d["due_date"],
                             evidence_required=bool(d.get("evidence_required")), unit=d.get("unit"))
    except DomainError as exc:
        form.add_domain_error(exc)
        return meeting_page(request, meeting, form, status=exc.status)
    flash.success(request, _("Tindak lanjut ditugaskan ke %(office)s.") % {"office": d["office"].name})
    return back(meeting.pk, f"keputusan-{decision.pk}")


@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    action = get_object_or_404(Action.objects.select_related("office", "decision__meeting__office", "closed_by"), pk=pk)
    user = request.user
    if not may_see_action(user, action):
        raise PermissionDenied(_("Anda tidak dapat melihat tindak lanjut ini."))
    responsible = works_at(user, action.office)
    may_close = heads(user, action.office)
    issuer = organises(user, action.decision.meeting.office)
    form: ProgressForm | None = None
    if request.method == "POST":
        step = request.POST.get("action", "")  # which button or form: progress, close, reopen
        if step == "progress" and responsible:
            form = ProgressForm(request.POST, request.FILES)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    followups.report_progress(action, user=user, note=d.get("note", ""), link=d.get("link", ""),
                                              evidence=d.get("evidence"), percent=d.get("percent") or 0)
                except DomainError as exc:  # storage_full / storage_unavailable keep their 507 / 503
                    form.add_domain_error(exc)
                    return _action_page(request, action, form, status=exc.status)
                flash.success(request, _("Perkembangan tercatat."))
                return redirect_after_upload(request, f"/rakor/tindak-lanjut/{action.pk}/")
            return _action_page(request, action, form, status=400)
        try:  # buttons without fields: what the domain says comes as a message
            if step == "close" and may_close:
                followups.close_action(action, user=user)
                flash.success(request, _("Tindak lanjut ditutup: selesai."))
            elif step == "reopen" and issuer:
                followups.reopen_action(action, user=user)
                flash.success(request, _("Tindak lanjut dibuka kembali."))
            elif step in ("progress", "close", "reopen"):
                raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
            else:
                raise DomainError("invalid_action", "Tindakan tidak dikenal.")
        except DomainError as e:
            flash.error(request, e.message)
        return redirect(f"/rakor/tindak-lanjut/{action.pk}/")
    return _action_page(request, action, form)


def _action_page(request: HttpRequest, action: Action, form: ProgressForm | None = None,
                 status: int = 200) -> HttpResponse:
    user = request.user
    responsible = works_at(user, action.office)
    may_close = heads(user, action.office)
    issuer = organises(user, action.decision.meeting.office)
    updates = list(action.updates.select_related("author"))
    if form is None:
        form = ProgressForm(initial={"percent": updates[-1].percent if updates else 0})
    return render(request, "rakor/action.html", {
        "action": action, "state": followups.action_state(action, has_updates=bool(updates)), "updates": updates,
        "meeting": action.decision.meeting, "may_see_meeting": followups.user_may_see(user, action.decision.meeting),
        "meeting_name": meeting_names(user, [action.decision.meeting])[action.decision.meeting_id],
        "responsible": responsible, "may_close": may_close, "issuer": issuer,
        "has_evidence": any(u.has_evidence for u in updates), "form": form,
        "may_open_evidence": may_open_evidence(user, action),
        "may_act": (responsible or may_close) if action.status == "open" else issuer, "max_mb": max_mb(),
    }, status=status)


def evidence_download(request: HttpRequest, pk: int, update_id: int) -> HttpResponseBase:
    if (denied := access.staff_required(request)) is not None:
        return denied
    action = get_object_or_404(Action.objects.select_related("office", "decision__meeting__office"), pk=pk)
    if not may_see_action(request.user, action):
        raise PermissionDenied(_("Anda tidak dapat melihat tindak lanjut ini."))
    if not may_open_evidence(request.user, action):
        raise PermissionDenied(_("Berkas bukti dibuka kantor penanggung jawab, kantor di atasnya dan penyelenggara "
                                 "rapat."))
    update = action.updates.filter(pk=update_id).first()
    if update is None or not update.evidence:
        raise Http404("Bukti tidak ditemukan")
    record_access(request, subject_type="rakor_action", subject_ref=str(action.pk), what=f"berkas bukti {update.pk}")
    return FileResponse(update.evidence.open("rb"), as_attachment=True,
                        filename=os.path.basename(update.evidence.name))


# --- boards ------------------------------------------------------------------------------------

def decision_board(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    decision = get_object_or_404(Decision.objects.select_related("meeting__office", "adopted_from"), pk=pk)
    if not followups.user_may_see(request.user, decision.meeting):
        raise PermissionDenied(_("Anda tidak dapat melihat keputusan ini."))
    return decision_page(request, decision)


def decision_page(request: HttpRequest, decision: Decision, *, call_form=None, status: int = 200) -> HttpResponse:  # type: ignore[no-untyped-def]
    """The decision's board; ``call_form`` is a refused call for breakthroughs (reform/), shown with its errors."""
    from satupintu.reform.views import call_panel

    progress = followups.decision_progress(decision)
    late = progress.late_actions
    late_by_office = [(o, [a for a in late if o.pk in (a.office_id, a.office.parent_id)])
                      for o in progress.late_offices]
    total = sum(progress.totals.values())
    # Offices that adopted it may hold internal meetings this reader cannot open: named, not linked.
    adoptions = list(decision.adoptions.select_related("meeting__office"))
    names = meeting_names(request.user, [d.meeting for d in adoptions])
    for d in adoptions:
        d.meeting_name = names[d.meeting_id]  # type: ignore[attr-defined]
        d.meeting_visible = d.meeting_name == d.meeting.title  # type: ignore[attr-defined]
    bars = [(s, progress.totals[s], round(100 * progress.totals[s] / total, 1) if total else 0)
            for s in ("done", "on_track", "late", "not_started")]
    return render(request, "rakor/decision.html", {
        "decision": decision, "progress": progress, "bars": bars, "total": total,
        "late_by_office": late_by_office, "adoptions": adoptions,
        "breakthroughs": call_panel(request, decision, call_form),
    }, status=status)


def my_board(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    own = offices(request.user)
    supervisor = any(heads(request.user, o) for o in own) and any(o.level != "kankemenag" for o in own)
    # A head above a Kankemenag follows the offices below: that is where the late actions are,
    # so the board opens on them; "?bawah=0" narrows it to the head's own office.
    below_too = request.GET.get("bawah", "1" if supervisor else "0") == "1"
    roots, drilled = own, None
    if code := request.GET.get("kantor", "").strip():
        # Drill-down from a row of the table: one office at or below mine.
        drilled = Office.objects.filter(code=code).select_related("parent__parent").first()
        if drilled is None or not {o.pk for o in own} & {o.pk for o in drilled.ancestors_and_self()}:
            return render(request, "rakor/board.html", {"unknown_office": code, "offices": own}, status=404)
        roots = [drilled]
    if below_too:  # every office under the roots, down to the regencies (Pusat: the whole country)
        scope = list(Office.objects.filter(Q(pk__in=[o.pk for o in roots]) | Q(parent__in=roots)
                                           | Q(parent__parent__in=roots)))
    else:
        scope = roots
    # Counted in the database, the first actions of each state listed (a national board holds tens of thousands).
    board = followups.board(scope, STATE_ORDER)
    # The offices below hold meetings of their own that a head above may not open: not by title.
    listed = [a for _state, actions, _total, _more in board.groups for a in actions]
    names = meeting_names(request.user, [a.decision.meeting for a in listed])
    for a in listed:
        a.meeting_name = names[a.decision.meeting_id]  # type: ignore[attr-defined]
    # Counts under 1000 as text: the same digits, without the template's number localisation, which
    # is most of the render time of a long table (0 stays 0 for {% if %}).
    summary = [{k: (str(v) if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 1000 else v)
                for k, v in r.items()} for r in followups.roll_up(board.summary, roots, scope)]
    late = [r["office"] for r in board.summary if r["late"]]
    return render(request, "rakor/board.html", {
        "groups": board.groups, "offices": roots, "below": below_too, "count": board.count, "summary": summary,
        # The worst ten by name (the table below is sorted the same way); a national list of
        # hundreds of names would be a wall of red nobody reads.
        "late_offices": late[:LATE_NAMED], "late_more": max(0, len(late) - LATE_NAMED), "late_count": len(late),
        "drilled": drilled, "rolled_up": any(r["drill"] for r in summary),
        "supervisor": supervisor,
    })
