"""Rakor pages: meetings (list, record, pre-fill from a Humas article, one meeting with its
attendance QR, minutes, decisions and actions), attendance by QR or link, one follow-up action,
a decision's board and an office's own board.

Thin views: rules live in meetings.py and followups.py; here is who may see and do what on
a page (the API's rule: superuser, Pusat staff, or an office that ``followups.may_see``).
Every refusal of the domain becomes a flash message, never a 500.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date, time
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core import spreadsheets
from satupintu.core.errors import DomainError
from satupintu.core.links import is_web_link
from satupintu.core.users import signed_in_user
from satupintu.organization import access
from satupintu.organization.models import Office, Role, Unit
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import Action, Decision, Meeting, MeetingMode, MeetingType
from satupintu.services.uploads import check_upload

STATE_ORDER = ("late", "not_started", "on_track", "done")
LATE_NAMED = 10  # late offices named above a board's table
LINK_MAX = 500  # the URLField length of ProgressUpdate.link and Meeting.online_link
TEXT_MAX = 5000
PARTICIPANTS_MAX = 1_000_000
# The domain's field names, as the create form names its inputs.
# Besides heads of office (always invited with their office), these roles may be invited too.
INVITABLE_ROLES = [(r.value, r.label) for r in Role if r.value not in ("head_of_office", "admin")]
FORM_FIELD = {"ends_at": "end", "starts_at": "start", "invited_offices": "invited", "invited_people": "people"}


# --- who may see and do what -------------------------------------------------------------

def _offices(user) -> list[Office]:  # type: ignore[no-untyped-def]
    """The offices a person works in; a superuser without a role acts for Pusat."""
    seen: dict[int, Office] = {}
    for r in access.staff_roles(user):
        seen.setdefault(r.office_id, r.office)
    if not seen and user.is_superuser:
        pusat = Office.objects.filter(code="pusat").first()
        return [pusat] if pusat else []
    return sorted(seen.values(), key=lambda o: o.code)


def _sees_everything(user) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(o.code == "pusat" for o in _offices(user))


def _works_at(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(r.office_id == office.pk for r in access.staff_roles(user))


def _heads(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(r.office_id == office.pk and r.role in access.SUPERVISORY
                                    for r in access.staff_roles(user))


def _may_see_action(user, action: Action) -> bool:  # type: ignore[no-untyped-def]
    """Who may see the meeting, the responsible office, and the offices above it."""
    if followups.user_may_see(user, action.decision.meeting):
        return True
    chain = {o.pk for o in action.office.ancestors_and_self()}
    return any(o.pk in chain for o in _offices(user))


def _visible_meetings(user):  # type: ignore[no-untyped-def]
    qs = Meeting.objects.select_related("office")
    if _sees_everything(user):
        return qs
    own = _offices(user)
    above = {a.pk for o in own for a in o.ancestors_and_self()}
    return qs.filter(Q(office_id__in=above) | Q(invited_offices__in=[o.pk for o in own])
                     | Q(invited_people=user)).distinct()


def _meeting_for(request: HttpRequest, pk: int) -> Meeting | HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("office"), pk=pk)
    if not followups.user_may_see(request.user, meeting):
        raise PermissionDenied(_("Anda tidak dapat melihat rapat ini."))
    return meeting


def _below(office: Office) -> list[Office]:
    return list(Office.objects.filter(parent=office).order_by("code"))


# --- small helpers ----------------------------------------------------------------------

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


def _parse_date(raw: str, field: str, message: str) -> date:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:  # a typo like 0202 would overflow the zone arithmetic
        raise DomainError("invalid_date", message, field=field)
    return day


def _parse_time(raw: str, field: str, message: str) -> time:
    try:
        return time.fromisoformat(raw.strip())
    except ValueError:
        raise DomainError("invalid_time", message, field=field) from None


def _http_link(raw: str, field: str) -> str:
    link = raw.strip()
    if link and not is_web_link(link, LINK_MAX):
        raise DomainError("invalid_link", _("Tautan harus alamat http(s) yang sah, paling panjang 500 karakter."),
                          field=field)
    return link


def _with_states(actions) -> list[Action]:  # type: ignore[no-untyped-def]
    """Attach each action's board state without a query per action."""
    out = []
    for a in actions:
        a.state = followups.action_state(a, has_updates=bool(a.updates.all()))
        out.append(a)
    return out


def _local_day(moment, office: Office) -> date:  # type: ignore[no-untyped-def]
    return moment.astimezone(ZoneInfo(office.timezone)).date()


def _back(meeting_id: int, anchor: str = "") -> HttpResponse:
    return redirect(f"/rakor/{meeting_id}/{'#' + anchor if anchor else ''}")


# --- meetings ---------------------------------------------------------------------------

def meeting_list(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    visible = _visible_meetings(request.user)
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
        "may_record": bool(_offices(request.user)),
    })


def _form_context(user, values: dict, errors: dict | None = None, prefill=None) -> dict:  # type: ignore[no-untyped-def]
    own = _offices(user)
    return {
        "values": values, "errors": errors or {}, "prefill": prefill, "offices": own,
        "invitable": [(o, _below(o)) for o in own], "types": MeetingType.choices, "modes": MeetingMode.choices,
        "invited": set(values.get("invited", [])), "roles": INVITABLE_ROLES,
        "chosen_roles": set(values.get("roles", [])),
    }


def _blank_values(user) -> dict:  # type: ignore[no-untyped-def]
    own = _offices(user)
    return {"office": own[0].code if own else "", "type": MeetingType.RAKOR, "mode": MeetingMode.IN_PERSON,
            "start": "09:00", "end": "12:00", "agenda": "\n".join(meetings.STANDARD_AGENDA), "invited": []}


def _draft_from(post, user) -> meetings.MeetingDraft:  # type: ignore[no-untyped-def]
    own = {o.code: o for o in _offices(user)}
    office = own.get(post.get("office", ""))
    if office is None:
        raise DomainError("not_your_office", _("Pilih kantor Anda sebagai penyelenggara."), field="office")
    day = _parse_date(post.get("date", ""), "date", _("Isi tanggal rapat."))
    last_day = (_parse_date(post["end_date"], "end_date", _("Tanggal selesai tidak sah."))
                if post.get("end_date", "").strip() else day)
    start = _parse_time(post.get("start", ""), "start", _("Isi jam mulai."))
    end = _parse_time(post.get("end", ""), "end", _("Isi jam selesai."))
    participants_raw = post.get("participants", "").strip()
    if participants_raw and (not participants_raw.isdigit() or int(participants_raw) > PARTICIPANTS_MAX):
        raise DomainError("invalid_participants", _("Jumlah peserta harus bilangan bulat yang wajar."),
                          field="participants")
    invitable = {o.code for o in _below(office)}
    invited = post.getlist("invited")
    if not set(invited) <= invitable:
        raise DomainError("invalid_invited", _("Kantor undangan harus kantor di bawah kantor penyelenggara."),
                          field="invited")
    return meetings.MeetingDraft(
        office=office.code, type=post.get("type", ""), title=post.get("title", ""),
        starts_at=meetings.local_datetime(office, day, start), ends_at=meetings.local_datetime(office, last_day, end),
        theme=post.get("theme", ""), mode=post.get("mode", ""), venue=post.get("venue", ""),
        online_link=_http_link(post.get("online_link", ""), "online_link"),
        participants_reported=int(participants_raw) if participants_raw else None,
        agenda=[line for line in post.get("agenda", "").splitlines() if line.strip()],
        invited_offices=invited, source_item_id=_source_item(post.get("source_item", "")),
        invited_people=[n for n in post.get("people", "").replace(";", ",").split(",") if n.strip()],
        invited_roles=post.getlist("roles"))


def _source_item(raw: str) -> int | None:
    """The Situation Room item the record was pre-filled from, if it still exists."""
    from satupintu.situation.models import Item

    return int(raw) if raw.isdigit() and Item.objects.filter(pk=int(raw)).exists() else None


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    if not _offices(request.user):
        raise PermissionDenied(_("Akun Anda belum terdaftar di kantor mana pun."))
    if request.method == "GET":
        if request.GET.get("butir", "").isdigit():
            return _prefilled_from_item(request, int(request.GET["butir"]))
        return render(request, "rakor/create.html", _form_context(request.user, _blank_values(request.user)))
    if request.POST.get("prefill"):
        return _prefilled(request)
    values: dict[str, str | list[str]]
    values = {k: request.POST.get(k, "") for k in ("office", "type", "title", "theme", "mode", "venue", "online_link",
                                                   "date", "end_date", "start", "end", "participants", "agenda",
                                                   "decisions", "people")}
    values["invited"] = request.POST.getlist("invited")
    values["roles"] = request.POST.getlist("roles")
    values["source_item"] = request.POST.get("source_item", "")
    try:
        draft = _draft_from(request.POST, request.user)
        with transaction.atomic():
            meeting = meetings.create_meeting(draft, user=request.user)
            for line in request.POST.get("decisions", "").splitlines():
                if line.strip():
                    followups.add_decision(meeting, line[:TEXT_MAX])
    except DomainError as e:
        errors = {FORM_FIELD.get(e.field or "", e.field or "_"): e.message}
        return render(request, "rakor/create.html", _form_context(request.user, values, errors), status=400)
    flash.success(request, _("Rapat tercatat."))
    return redirect(f"/rakor/{meeting.pk}/")


def _prefilled_from_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """"Catat sebagai rapat" from a Situation Room item: the same pre-fill, linked to the item."""
    from satupintu.situation.models import Item

    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        flash.error(request, _("Butir berita tidak ditemukan."))
        return redirect("/rakor/baru/")
    published = timezone.localtime(item.published_at).date()
    p = meetings.prefill_from_article(item.text, item.title, published)
    values = _blank_values(request.user)
    values.update({"type": p.type, "title": p.title, "venue": p.venue, "source_item": str(item.pk),
                   "date": p.date.isoformat() if p.date else "",
                   "participants": str(p.participants) if p.participants is not None else ""})
    flash.info(request, _("Formulir diisi dari berita. Periksa setiap isian sebelum menyimpan."))
    context = _form_context(request.user, values, prefill=p)
    context["article"] = item.text
    return render(request, "rakor/create.html", context)


def _prefilled(request: HttpRequest) -> HttpResponse:
    """Re-render the form filled in from a pasted Humas article, for the officer to check."""
    text = request.POST.get("article", "")[:50_000]
    if not text.strip():
        values = _blank_values(request.user)
        return render(request, "rakor/create.html", _form_context(
            request.user, values, {"article": _("Tempelkan teks berita terlebih dahulu.")}), status=400)
    published = None
    if request.POST.get("published", "").strip():
        try:
            published = date.fromisoformat(request.POST["published"].strip())
        except ValueError:
            published = None
    p = meetings.prefill_from_article(text, request.POST.get("article_title", ""), published)
    values = _blank_values(request.user)
    values.update({"type": p.type, "title": p.title, "venue": p.venue,
                   "date": p.date.isoformat() if p.date else "",
                   "participants": str(p.participants) if p.participants is not None else ""})
    if p.found:
        flash.info(request, _("Formulir diisi dari berita. Periksa setiap isian sebelum menyimpan."))
    else:
        flash.warning(request, _("Berita ini tidak tampak melaporkan rapat; isi formulir secara manual."))
    context = _form_context(request.user, values, prefill=p)
    context["article"] = text
    return render(request, "rakor/create.html", context)


@dataclass
class DecisionRow:
    """A decision on the meeting page: its actions (with their states) and its adoptions into
    the viewer's own meetings."""

    decision: Decision
    actions: list[Action]
    adopted_into: list[Decision]


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = _meeting_for(request, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    user = signed_in_user(request)
    organiser = _works_at(user, meeting.office)
    decisions = list(meeting.decisions.select_related("adopted_from__meeting"))
    actions = _with_states(Action.objects.filter(decision__in=decisions).select_related("office")
                           .prefetch_related("updates"))
    own_meetings = list(Meeting.objects.filter(office__in=_offices(user)).exclude(office=meeting.office)
                        .select_related("office").order_by("-starts_at")[:50])
    adopted = list(Decision.objects.filter(adopted_from__in=decisions, meeting__in=own_meetings)
                   .select_related("meeting"))
    rows = [DecisionRow(d, actions=[a for a in actions if a.decision_id == d.pk],
                        adopted_into=[x for x in adopted if x.adopted_from_id == d.pk]) for d in decisions]
    total, per_office = meetings.attendance_counts(meeting)
    context = {
        "meeting": meeting, "organiser": organiser, "agenda": meeting.agenda.all(), "decisions": rows,
        "documents": meeting.documents.all(),
        "attendance_total": total, "attendance_per_office": per_office,
        "attendance_by_method": meetings.attendance_by_method(meeting),
        "invited": meeting.invited_offices.order_by("code"), "own_meetings": own_meetings,
        "action_offices": [meeting.office, *_below(meeting.office)], "units": Unit.objects.all(),
        "today": followups.office_today(meeting.office).isoformat(),
        "present": meeting.attendance.filter(user=user).exists(),
        "same_day": _local_day(meeting.starts_at, meeting.office) == _local_day(meeting.ends_at, meeting.office),
    }
    if organiser:
        url = request.build_absolute_uri(f"/rakor/hadir/{meeting.attendance_token}/")
        context.update({"qr_url": url, "qr_svg": mark_safe(_qr_svg(url)), "link_url": f"{url}?cara=link"})
    return render(request, "rakor/meeting.html", context)


@require_POST
def meeting_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Changes by the organising office: minutes, a new agenda item, a decision."""
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = _meeting_for(request, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    if not _works_at(request.user, meeting.office):
        raise PermissionDenied(_("Hanya petugas kantor penyelenggara yang dapat mengubah rapat ini."))
    action = request.POST.get("action", "")
    try:
        if action == "minutes":
            with transaction.atomic():
                for item in meeting.agenda.all():
                    key = f"minutes-{item.pk}"
                    if key in request.POST and request.POST[key] != item.minutes:
                        item.minutes = request.POST[key][:50_000]
                        item.save(update_fields=["minutes"])
                extra = request.POST.get("new_item", "").strip()
                if extra:
                    last = meeting.agenda.order_by("-order").first()
                    meeting.agenda.create(title=extra[:300], order=(last.order + 1) if last else 0)
            flash.success(request, _("Notulen tersimpan."))
            return _back(meeting.pk, "agenda")
        if action == "document":
            upload = request.FILES.get("file")
            title = request.POST.get("title", "").strip()
            if upload is None or not title:
                raise DomainError("missing_document", _("Isi judul dan pilih berkas dokumen."), field="file")
            check_upload(upload, label=_("dokumen"), field="file")
            meetings.add_document(meeting, title=title, upload=upload, user=request.user)
            flash.success(request, _("Dokumen tersimpan."))
            return _back(meeting.pk, "dokumen")
        if action == "decision":
            decision = followups.add_decision(meeting, request.POST.get("text", "")[:TEXT_MAX],
                                              request.POST.get("given_by", ""))
            flash.success(request, _("Keputusan tercatat."))
            return _back(meeting.pk, f"keputusan-{decision.pk}")
        raise DomainError("invalid_action", _("Tindakan tidak dikenal."))
    except DomainError as e:
        flash.error(request, e.message)
    return _back(meeting.pk, "keputusan" if action == "decision" else "agenda")


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = _meeting_for(request, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    body = meetings.ics(meeting, request.build_absolute_uri(f"/rakor/{meeting.pk}/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapat-{meeting.pk}.ics"'
    return response


def meeting_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = _meeting_for(request, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    from satupintu.rakor.minutes_pdf import minutes_pdf

    response = HttpResponse(minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notulen-{meeting.pk}.pdf"'
    return response


def meeting_attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = _meeting_for(request, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
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
    if request.method == "POST":
        try:
            meetings.record_attendance(meeting, request.user, method=method, token=token)
            flash.success(request, _("Kehadiran Anda tercatat."))
        except DomainError as e:
            flash.error(request, e.message)
        return redirect(request.get_full_path())
    return render(request, "rakor/attend.html", {
        "meeting": meeting, "method": method, "may_see": followups.user_may_see(request.user, meeting),
        "present": meeting.attendance.filter(user=request.user).exists()})


# --- decisions and actions --------------------------------------------------------------

@require_POST
def decision_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a decision into a meeting of the user's own office; the domain decides what may."""
    if (denied := access.staff_required(request)) is not None:
        return denied
    decision = get_object_or_404(Decision.objects.select_related("meeting__office"), pk=pk)
    raw = request.POST.get("into", "")
    into = Meeting.objects.select_related("office").filter(pk=int(raw)).first() if raw.isdigit() else None
    back = _back(decision.meeting_id, f"keputusan-{decision.pk}") if followups.user_may_see(request.user, decision.meeting) \
        else redirect("/rakor/")
    if into is None:
        flash.error(request, _("Pilih rapat kantor Anda yang menerima keputusan ini."))
        return back
    if not _works_at(request.user, into.office):
        flash.error(request, _("Anda hanya dapat mengadopsi ke rapat kantor Anda sendiri."))
        return back
    try:
        adopted = followups.adopt(decision, into)
    except DomainError as e:
        flash.error(request, e.message)
        return back if followups.user_may_see(request.user, decision.meeting) else _back(into.pk, "keputusan")
    flash.success(request, _("Keputusan diadopsi ke %(title)s. Tambahkan tindak lanjutnya.") % {"title": into.title})
    return _back(into.pk, f"keputusan-{adopted.pk}")


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    decision = get_object_or_404(Decision.objects.select_related("meeting__office"), pk=pk)
    meeting = decision.meeting
    if not _works_at(request.user, meeting.office):
        raise PermissionDenied(_("Hanya petugas kantor penyelenggara yang dapat menugaskan tindak lanjut."))
    allowed = {o.code: o for o in [meeting.office, *_below(meeting.office)]}
    try:
        office = allowed.get(request.POST.get("office", ""))
        if office is None:
            raise DomainError("invalid_office", _("Pilih kantor yang menindaklanjuti."), field="office")
        due = _parse_date(request.POST.get("due_date", ""), "due_date", _("Isi tenggat yang sah."))
        unit = None
        if request.POST.get("unit"):
            unit = Unit.objects.filter(code=request.POST["unit"]).first()
            if unit is None:
                raise DomainError("invalid_unit", _("Unit tidak dikenal."), field="unit")
        followups.add_action(decision, office=office, indicator=request.POST.get("indicator", ""), due_date=due,
                             evidence_required=bool(request.POST.get("evidence_required")), unit=unit)
        flash.success(request, _("Tindak lanjut ditugaskan ke %(office)s.") % {"office": office.name})
    except DomainError as e:
        flash.error(request, e.message)
    return _back(meeting.pk, f"keputusan-{decision.pk}")


def _parse_percent(raw: str) -> int:
    raw = raw.strip() or "0"
    if not raw.isdigit():
        raise DomainError("invalid_percent", _("Persentase harus 0 sampai 100."), field="percent")
    return int(raw)


@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    action = get_object_or_404(Action.objects.select_related("office", "decision__meeting__office", "closed_by"), pk=pk)
    user = request.user
    if not _may_see_action(user, action):
        raise PermissionDenied(_("Anda tidak dapat melihat tindak lanjut ini."))
    responsible = _works_at(user, action.office)
    may_close = _heads(user, action.office)
    issuer = _works_at(user, action.decision.meeting.office)
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what == "progress" and responsible:
                evidence = request.FILES.get("evidence")
                if evidence is not None:
                    check_upload(evidence, label=_("bukti"), field="evidence")
                followups.report_progress(
                    action, user=user, note=request.POST.get("note", "")[:TEXT_MAX],
                    link=_http_link(request.POST.get("link", ""), "link"), evidence=evidence,
                    percent=_parse_percent(request.POST.get("percent", "")))
                flash.success(request, _("Perkembangan tercatat."))
            elif what == "close" and may_close:
                followups.close_action(action, user=user)
                flash.success(request, _("Tindak lanjut ditutup: selesai."))
            elif what == "reopen" and issuer:
                followups.reopen_action(action, user=user)
                flash.success(request, _("Tindak lanjut dibuka kembali."))
            elif what in ("progress", "close", "reopen"):
                raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
            else:
                raise DomainError("invalid_action", _("Tindakan tidak dikenal."))
        except DomainError as e:
            flash.error(request, e.message)
        return redirect(f"/rakor/tindak-lanjut/{action.pk}/")
    updates = list(action.updates.select_related("author"))
    return render(request, "rakor/action.html", {
        "action": action, "state": followups.action_state(action, has_updates=bool(updates)), "updates": updates,
        "meeting": action.decision.meeting, "may_see_meeting": followups.user_may_see(user, action.decision.meeting),
        "responsible": responsible, "may_close": may_close, "issuer": issuer,
        "has_evidence": any(u.has_evidence for u in updates), "last_percent": updates[-1].percent if updates else 0,
        "may_act": (responsible or may_close) if action.status == "open" else issuer,
        "max_mb": _max_mb(),
    })


def _max_mb() -> int:
    from django.conf import settings

    return settings.UPLOAD_MAX_BYTES // 1048576


def evidence_download(request: HttpRequest, pk: int, update_id: int) -> HttpResponseBase:
    if (denied := access.staff_required(request)) is not None:
        return denied
    action = get_object_or_404(Action.objects.select_related("office", "decision__meeting__office"), pk=pk)
    if not _may_see_action(request.user, action):
        raise PermissionDenied(_("Anda tidak dapat melihat tindak lanjut ini."))
    update = action.updates.filter(pk=update_id).first()
    if update is None or not update.evidence:
        raise Http404("Bukti tidak ditemukan")
    return FileResponse(update.evidence.open("rb"), as_attachment=True,
                        filename=os.path.basename(update.evidence.name))


def document_download(request: HttpRequest, pk: int, doc_id: int) -> HttpResponseBase:
    if (denied := access.staff_required(request)) is not None:
        return denied
    meeting = _meeting_for(request, pk)
    if isinstance(meeting, HttpResponse):
        return meeting
    document = get_object_or_404(meeting.documents, pk=doc_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=os.path.basename(document.file.name))


def decision_board(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    decision = get_object_or_404(Decision.objects.select_related("meeting__office", "adopted_from"), pk=pk)
    if not followups.user_may_see(request.user, decision.meeting):
        raise PermissionDenied(_("Anda tidak dapat melihat keputusan ini."))
    progress = followups.decision_progress(decision)
    late = progress.late_actions
    late_by_office = [(o, [a for a in late if o.pk in (a.office_id, a.office.parent_id)])
                      for o in progress.late_offices]
    total = sum(progress.totals.values())
    bars = [(s, progress.totals[s], round(100 * progress.totals[s] / total, 1) if total else 0)
            for s in ("done", "on_track", "late", "not_started")]
    return render(request, "rakor/decision.html", {
        "decision": decision, "progress": progress, "bars": bars, "total": total,
        "late_by_office": late_by_office, "adoptions": decision.adoptions.select_related("meeting__office"),
    })


def my_board(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    own = _offices(request.user)
    supervisor = any(_heads(request.user, o) for o in own) and any(o.level != "kankemenag" for o in own)
    # A head above a Kankemenag follows the offices below: that is where the late actions are,
    # so the board opens on them; "?bawah=0" narrows it to the head's own office.
    below = request.GET.get("bawah", "1" if supervisor else "0") == "1"
    roots, drilled = own, None
    if code := request.GET.get("kantor", "").strip():
        # Drill-down from a row of the table: one office at or below mine.
        drilled = Office.objects.filter(code=code).select_related("parent__parent").first()
        if drilled is None or not {o.pk for o in own} & {o.pk for o in drilled.ancestors_and_self()}:
            return render(request, "rakor/board.html", {"unknown_office": code, "offices": own}, status=404)
        roots = [drilled]
    if below:  # every office under the roots, down to the regencies (Pusat: the whole country)
        offices = list(Office.objects.filter(Q(pk__in=[o.pk for o in roots]) | Q(parent__in=roots)
                                             | Q(parent__parent__in=roots)))
    else:
        offices = roots
    # Counted in the database, the first actions of each state listed (a national board holds tens of thousands).
    board = followups.board(offices, STATE_ORDER)
    # Counts under 1000 as text: the same digits, without the template's number localisation, which
    # is most of the render time of a long table (0 stays 0 for {% if %}).
    summary = [{k: (str(v) if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 1000 else v)
                for k, v in r.items()} for r in followups.roll_up(board.summary, roots, offices)]
    late = [r["office"] for r in board.summary if r["late"]]
    return render(request, "rakor/board.html", {
        "groups": board.groups, "offices": roots, "below": below, "count": board.count, "summary": summary,
        # The worst ten by name (the table below is sorted the same way); a national list of
        # hundreds of names would be a wall of red nobody reads.
        "late_offices": late[:LATE_NAMED], "late_more": max(0, len(late) - LATE_NAMED), "late_count": len(late),
        "drilled": drilled, "rolled_up": any(r["drill"] for r in summary),
        "supervisor": supervisor,
    })
