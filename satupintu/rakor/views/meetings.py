"""Meeting pages: the list, recording one (by hand, or pre-filled from a Humas article or a
Situation Room item), one meeting with its attendance QR, minutes, documents, decisions and
actions, the organiser's changes to it, attendance by QR or link, and the downloads.

Thin views: a form parses (rakor/forms.py), one domain function acts (meetings.py,
followups.py), a template renders. A refused form comes back with what was typed, every error
next to its field and in the summary at the top (400, or the domain error's status).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core import spreadsheets
from satupintu.core.errors import DomainError
from satupintu.core.forms import DomainForm, redirect_after_upload
from satupintu.core.numbers import typed_int
from satupintu.core.privacy import record_access
from satupintu.core.users import signed_in_user
from satupintu.organization import access
from satupintu.organization.models import Office, Unit
from satupintu.rakor import followups, meetings
from satupintu.rakor.access import may_open_attendance, offices, organiser_offices, organises, visible_meetings
from satupintu.rakor.forms import (
    ActionForm,
    AdoptForm,
    ArticleForm,
    DecisionForm,
    DocumentForm,
    MeetingForm,
    MinutesForm,
)
from satupintu.rakor.models import Action, Decision, Meeting, MeetingType
from satupintu.rakor.views.common import back, back_url, below, meeting_for


def _qr_svg(url: str, size: int = 240) -> str:
    """The URL as an inline SVG QR code: reportlab's encoder (as receipts.py), one path."""
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(url)
    qr.make()
    n = qr.getModuleCount()
    quiet = 4
    dark = "".join(f"M{c + quiet} {r + quiet}h1v1h-1z" for r in range(n) for c in range(n) if qr.isDark(r, c))
    box = n + 2 * quiet
    label = escape(_("Kode QR presensi: %(url)s") % {"url": url})
    return (f'<svg class="qr" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {box} {box}" width="{size}" height="{size}" shape-rendering="crispEdges">'
            f'<rect width="{box}" height="{box}" fill="#fff"/><path d="{dark}" fill="#000"/></svg>')


def _with_states(actions) -> list[Action]:  # type: ignore[no-untyped-def]
    """Attach each action's board state without a query per action."""
    out = []
    for a in actions:
        a.state = followups.action_state(a, has_updates=bool(a.updates.all()))
        out.append(a)
    return out


def _local_day(moment, office: Office) -> date:  # type: ignore[no-untyped-def]
    return moment.astimezone(ZoneInfo(office.timezone)).date()


def max_mb() -> int:
    return settings.UPLOAD_MAX_BYTES // 1048576


# --- the list and the create form ------------------------------------------------------------

def meeting_list(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    visible = visible_meetings(request.user)
    kind = request.GET.get("jenis", "")
    office = request.GET.get("kantor", "")
    qs = visible
    if kind in MeetingType.values:
        qs = qs.filter(type=kind)
    if office:
        qs = qs.filter(office__code=office)
    office_ids = visible.order_by().values_list("office_id", flat=True).distinct()
    return render(request, "rakor/list.html", {
        "page": Paginator(qs.order_by("-starts_at", "-id"), 30).get_page(request.GET.get("hal")),
        "types": MeetingType.choices, "kind": kind, "office": office,
        "offices": Office.objects.filter(pk__in=list(office_ids)).order_by("code"),
        "may_record": bool(organiser_offices(request.user)),
    })


def _create_page(request: HttpRequest, form: MeetingForm, article: ArticleForm | None = None, *,
                 prefill: meetings.Prefill | None = None, status: int = 200) -> HttpResponse:
    return render(request, "rakor/create.html", {
        "form": form, "article_form": article or ArticleForm(), "prefill": prefill, "offices": form.offices.values(),
    }, status=status)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    own = organiser_offices(request.user)
    if not own:
        raise PermissionDenied(_("Rapat dicatat oleh kepala kantor, kepala unit atau administrator kantor "
                                 "penyelenggara."))
    if request.method == "GET":
        if (butir := typed_int(request.GET.get("butir"))) is not None:
            return _prefilled_from_item(request, own, butir)
        return _create_page(request, MeetingForm(offices=own, initial=MeetingForm.blank_initial(own)))
    if "prefill" in request.POST:  # the other form on the page: fill this one in from an article
        return _prefilled(request, own)
    form = MeetingForm(request.POST, offices=own)
    if not form.is_valid():
        return _create_page(request, form, status=400)
    try:
        meeting = meetings.create_meeting(form.draft(), user=request.user)
    except DomainError as exc:
        if exc.code == "duplicate_meeting":  # sent twice: the first send recorded it, go there
            flash.success(request, _("Rapat tercatat."))
            return redirect(f"/rakor/{exc.extra['meeting_id']}/")
        form.add_domain_error(exc)
        return _create_page(request, form, status=exc.status)
    flash.success(request, _("Rapat tercatat."))
    return redirect(f"/rakor/{meeting.pk}/")


def _prefilled_from_item(request: HttpRequest, own: list[Office], item_id: int) -> HttpResponse:
    """"Catat sebagai rapat" from a Situation Room item: the same pre-fill, linked to the item."""
    from satupintu.situation.models import Item

    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        flash.error(request, _("Butir berita tidak ditemukan."))
        return redirect("/rakor/baru/")
    published = timezone.localtime(item.published_at).date() if item.published_at else None
    article = ArticleForm(initial={"article": item.text, "article_title": item.title, "published": published})
    try:
        p = meetings.prefill_from_article(item.text, item.title, published)
    except DomainError as exc:  # an item without text: the form as it is
        flash.warning(request, exc.message)
        return _create_page(request, MeetingForm(offices=own, initial=MeetingForm.blank_initial(own)), article)
    flash.info(request, _("Formulir diisi dari berita. Periksa setiap isian sebelum menyimpan."))
    return _create_page(request, MeetingForm(offices=own, initial=MeetingForm.initial_from(p, own, item.pk)),
                        article, prefill=p)


def _prefilled(request: HttpRequest, own: list[Office]) -> HttpResponse:
    """Re-render the form filled in from a pasted Humas article, for the officer to check."""
    article = ArticleForm(request.POST)
    blank = MeetingForm(offices=own, initial=MeetingForm.blank_initial(own))
    if not article.is_valid():
        return _create_page(request, blank, article, status=400)
    d = article.cleaned_data
    try:
        p = meetings.prefill_from_article(d["article"], d.get("article_title", ""), d.get("published"))
    except DomainError as exc:
        article.add_domain_error(exc)
        return _create_page(request, blank, article, status=exc.status)
    if p.found:
        flash.info(request, _("Formulir diisi dari berita. Periksa setiap isian sebelum menyimpan."))
    else:
        flash.warning(request, _("Berita ini tidak tampak melaporkan rapat; isi formulir secara manual."))
    return _create_page(request, MeetingForm(offices=own, initial=MeetingForm.initial_from(p, own)), article,
                        prefill=p)


# --- one meeting -------------------------------------------------------------------------------

@dataclass
class DecisionRow:
    """A decision on the meeting page: its actions (with their states), its adoptions into the
    viewer's own meetings, and the forms to assign and to adopt it."""

    decision: Decision
    actions: list[Action]
    adopted_into: list[Decision]
    action_form: ActionForm | None = None
    adopt_form: AdoptForm | None = None


def meeting_page(request: HttpRequest, meeting: Meeting, posted: DomainForm | None = None,
                 status: int = 200) -> HttpResponse:
    """The meeting page; ``posted`` is a form just sent from it and refused, shown with its
    errors (and the summary) in place of the empty one."""
    user = signed_in_user(request)
    organiser = organises(user, meeting.office)
    decisions = list(meeting.decisions.select_related("adopted_from__meeting"))
    actions = _with_states(Action.objects.filter(decision__in=decisions).select_related("office", "unit")
                           .prefetch_related("updates"))
    own_meetings = list(Meeting.objects.filter(office__in=organiser_offices(user)).exclude(office=meeting.office)
                        .select_related("office").order_by("-starts_at")[:50])
    # Where my offices took a decision up: every staff member reads it, organisers or not.
    adopted = list(Decision.objects.filter(adopted_from__in=decisions, meeting__office__in=offices(user))
                   .exclude(meeting__office=meeting.office).select_related("meeting"))
    action_offices, units = [meeting.office, *below(meeting.office)], list(Unit.objects.all())
    today = followups.office_today(meeting.office)

    def mine(kind: type[DomainForm], **match: Any) -> Any:
        """The posted form if it is this one, else None."""
        if not isinstance(posted, kind):
            return None
        return posted if all(getattr(posted, k) == v for k, v in match.items()) else None

    rows = []
    for d in decisions:
        row = DecisionRow(d, actions=[a for a in actions if a.decision_id == d.pk],
                          adopted_into=[x for x in adopted if x.adopted_from_id == d.pk])
        if organiser:
            row.action_form = mine(ActionForm, decision=d) or ActionForm(
                decision=d, offices=action_offices, units=units, today=today)
        if own_meetings:
            row.adopt_form = mine(AdoptForm, decision=d) or AdoptForm(decision=d, own_meetings=own_meetings)
        rows.append(row)
    total, per_office = meetings.attendance_counts(meeting)
    context = {
        "meeting": meeting, "organiser": organiser, "agenda": meeting.agenda.all(), "decisions": rows,
        "documents": meeting.documents.all(),
        "attendance_total": total, "attendance_per_office": per_office,
        "attendance_by_method": meetings.attendance_by_method(meeting),
        "invited": meeting.invited_offices.order_by("code"), "own_meetings": own_meetings,
        # An organiser elsewhere with no meeting of their own yet: a decision is adopted into one.
        "adopt_needs_meeting": not own_meetings and any(o.pk != meeting.office_id for o in organiser_offices(user)),
        "present": meeting.attendance.filter(user=user).exists(),
        "may_open_attendance": may_open_attendance(user, meeting),
        "same_day": _local_day(meeting.starts_at, meeting.office) == _local_day(meeting.ends_at, meeting.office),
        "failed": posted if posted is not None and posted.errors else None, "max_mb": max_mb(),
    }
    if organiser:
        url = request.build_absolute_uri(f"/rakor/hadir/{meeting.attendance_token}/")
        context.update({
            "qr_url": url, "qr_svg": mark_safe(_qr_svg(url)), "link_url": f"{url}?cara=link",
            "minutes_form": mine(MinutesForm) or MinutesForm(agenda=list(meeting.agenda.all())),
            "document_form": mine(DocumentForm) or DocumentForm(),
            "decision_form": mine(DecisionForm) or DecisionForm(),
        })
    return render(request, "rakor/meeting.html", context, status=status)


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    return meeting_page(request, meeting_for(request, pk))


@require_POST
def meeting_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes by the organising office: minutes (and a new agenda item), a document, a decision."""
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = meeting_for(request, pk)
    if not organises(request.user, meeting.office):
        raise PermissionDenied(_("Hanya kepala, kepala unit atau administrator kantor penyelenggara yang dapat "
                                 "mengubah rapat ini."))
    step = request.POST.get("action", "")  # which of the page's forms was sent (its hidden field)
    form: MinutesForm | DocumentForm | DecisionForm
    try:
        if step == "minutes":
            form = MinutesForm(request.POST, agenda=list(meeting.agenda.all()))
            if form.is_valid():
                meetings.save_minutes(meeting, form.minutes(), form.cleaned_data.get("new_item", ""),
                                      seen=form.seen())
                flash.success(request, _("Notulen tersimpan."))
                return back(meeting.pk, "agenda")
        elif step == "document":
            form = DocumentForm(request.POST, request.FILES)
            if form.is_valid():
                meetings.add_document(meeting, title=form.cleaned_data.get("title", ""),
                                      upload=form.cleaned_data.get("file"), user=request.user)
                flash.success(request, _("Dokumen tersimpan."))
                return redirect_after_upload(request, back_url(meeting.pk, "dokumen"))
        elif step == "decision":
            form = DecisionForm(request.POST)
            if form.is_valid():
                decision = followups.add_decision(meeting, form.cleaned_data.get("text", ""),
                                                  form.cleaned_data.get("given_by", ""))
                flash.success(request, _("Keputusan tercatat."))
                return back(meeting.pk, f"keputusan-{decision.pk}")
        else:
            flash.error(request, _("Tindakan tidak dikenal."))
            return back(meeting.pk)
    except DomainError as exc:  # storage_full / storage_unavailable keep their 507 / 503
        form.add_domain_error(exc)
        return meeting_page(request, meeting, form, status=exc.status)
    return meeting_page(request, meeting, form, status=400)


# --- downloads ---------------------------------------------------------------------------------

def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = meeting_for(request, pk)
    body = meetings.ics(meeting, request.build_absolute_uri(f"/rakor/{meeting.pk}/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapat-{meeting.pk}.ics"'
    return response


def meeting_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = meeting_for(request, pk)
    from satupintu.rakor.minutes_pdf import minutes_pdf

    response = HttpResponse(minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notulen-{meeting.pk}.pdf"'
    return response


def meeting_attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = meeting_for(request, pk)
    if not may_open_attendance(request.user, meeting):
        raise PermissionDenied(_("Daftar hadir dibuka oleh penyelenggara dan kepala kantor penyelenggara; jumlah "
                                 "hadir ada di halaman rapat."))
    record_access(request, subject_type="rakor_meeting", subject_ref=str(meeting.pk), what="daftar hadir (CSV)")
    zone = ZoneInfo(meeting.office.timezone)
    buf = io.StringIO()
    buf.write("\ufeff")  # so spreadsheet programs read the names as UTF-8
    writer = spreadsheets.csv_writer(buf)  # a name "=cmd|..." stays text
    writer.writerow(["nama", "pengguna", "kantor", "cara", f"waktu ({meeting.office.timezone_label})"])
    for a in meeting.attendance.select_related("user", "office").order_by("at", "id"):
        writer.writerow([a.user.get_full_name() or a.user.get_username(), a.user.get_username(),
                         a.office.name if a.office else "", a.method, a.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")])
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="presensi-rapat-{meeting.pk}.csv"'
    return response


def document_download(request: HttpRequest, pk: int, doc_id: int) -> HttpResponseBase:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = meeting_for(request, pk)
    document = get_object_or_404(meeting.documents, pk=doc_id)
    # A meeting's papers are its readers' (instructions), but may list people (an attendance sheet, a
    # committee): every download is on record, as an action's evidence is.
    record_access(request, subject_type="rakor_meeting", subject_ref=str(meeting.pk), what=f"dokumen {document.pk}")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=os.path.basename(document.file.name))


# --- attendance ----------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def attend(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:  # keep ?cara=link through the login
        return redirect(f"/masuk/?next={quote(request.get_full_path())}")
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = Meeting.objects.select_related("office").filter(attendance_token=token).first()
    method = "link" if request.GET.get("cara") == "link" else "qr"
    if meeting is None:
        flash.error(request, _("Kode presensi tidak sah atau rapatnya tidak ditemukan."))
        return render(request, "rakor/attend.html", {"meeting": None}, status=404)
    if request.method == "POST":  # one button, no fields
        try:
            meetings.record_attendance(meeting, request.user, method=method, token=token)
            flash.success(request, _("Kehadiran Anda tercatat."))
        except DomainError as e:
            flash.error(request, e.message)
        return redirect(request.get_full_path())
    return render(request, "rakor/attend.html", {
        "meeting": meeting, "method": method, "may_see": followups.user_may_see(request.user, meeting),
        "present": meeting.attendance.filter(user=request.user).exists()})
