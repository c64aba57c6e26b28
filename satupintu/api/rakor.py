"""Rakor in the API: meetings (list, create, read, iCalendar) and a decision's roll-up.
Staff only (the web session); errors have the same {"code", "message"} shape as the rest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from satupintu.api.schemas import ERRORS
from satupintu.api.security import session_auth
from satupintu.core.errors import DomainError, Forbidden, ValidationErrors
from satupintu.organization import access
from satupintu.organization.models import Office
from satupintu.rakor import access as rakor_access
from satupintu.rakor import followups, meetings
from satupintu.rakor.forms import YEARS
from satupintu.rakor.models import Decision, Meeting

# The web session with its CSRF token: a cross-site request that carries only the cookie is refused.
router = Router(tags=["rakor"], auth=session_auth)


class DecisionIn(Schema):
    text: str = Field(json_schema_extra={"minLength": 1})
    given_by: str = ""


class MeetingIn(Schema):
    # Required and non-empty: documented here, refused by the domain with its own message and code.
    office: str = Field(json_schema_extra={"minLength": 1})
    type: str = Field(json_schema_extra={"minLength": 1})
    title: str = Field(json_schema_extra={"minLength": 1})
    starts_at: datetime
    ends_at: datetime
    theme: str = ""
    mode: str = "in_person"
    venue: str = ""
    online_link: str = ""
    participants_reported: int | None = None
    agenda: list[str] = []
    invited_offices: list[str] = []
    invited_people: list[str] = []
    invited_roles: list[str] = []
    decisions: list[DecisionIn] = []


def _staff(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not request.user.is_authenticated:
        raise DomainError("not_authenticated", "Masuk sebagai petugas untuk memakai API rapat.", status=401)
    if not access.is_staff_member(request.user):
        raise Forbidden("staff_only", "API rapat hanya untuk petugas.")
    return request.user


def _visible_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    user = _staff(request)
    meeting = get_object_or_404(Meeting.objects.select_related("office"), pk=meeting_id)
    if not followups.user_may_see(user, meeting):
        raise Forbidden("not_visible", "Anda tidak dapat melihat rapat ini.")
    return meeting


def _meeting_out(m: Meeting, full: bool = False) -> dict:
    zone = ZoneInfo(m.office.timezone)
    out = {"id": m.pk, "office": m.office.code, "type": m.type, "title": m.title, "theme": m.theme, "mode": m.mode,
           "venue": m.venue, "starts_at": m.starts_at.astimezone(zone).isoformat(),
           "ends_at": m.ends_at.astimezone(zone).isoformat(), "timezone": m.office.timezone,
           "participants_reported": m.participants_reported}
    if full:
        total, per_office = meetings.attendance_counts(m)
        out["agenda"] = [{"title": a.title, "minutes": a.minutes} for a in m.agenda.all()]
        out["attendance"] = {"total": total, "per_office": [{"office": o, "count": n} for o, n in per_office]}
        out["decisions"] = [{
            "id": d.pk, "text": d.text, "given_by": d.given_by, "adopted_from": d.adopted_from_id,
            "actions": [{"id": a.pk, "office": a.office.code, "indicator": a.indicator,
                         "due_date": a.due_date.isoformat(), "state": followups.action_state(a)}
                        for a in d.actions.select_related("office")],
        } for d in m.decisions.all()]
    return out


@router.get("/meetings", response={200: list[dict], **ERRORS}, summary="Rapat yang dapat saya lihat")
def meeting_list(request: HttpRequest, office: str = "", type: str = "") -> list[dict]:  # noqa: A002
    user = _staff(request)
    # What the user may see, first: the newest 500 of the whole country, filtered after, left a
    # Kankemenag with none when 500 newer meetings were other offices'.
    qs = rakor_access.visible_meetings(user).prefetch_related("invited_offices").order_by("-starts_at")
    if office:
        qs = qs.filter(office__code=office)
    if type:
        qs = qs.filter(type=type)
    return [_meeting_out(m) for m in qs[:100]]


@router.post("/meetings", response={201: dict, **ERRORS}, summary="Catat rapat")
def meeting_create(request: HttpRequest, body: MeetingIn):  # type: ignore[no-untyped-def]
    user = _staff(request)
    if not user.is_superuser and body.office not in {o.code for o in rakor_access.organiser_offices(user)}:
        raise Forbidden("not_your_office", "Anda hanya dapat mencatat rapat kantor Anda sendiri, sebagai kepala, "
                        "kepala unit atau administratornya.", field="office")
    office = Office.objects.filter(code=body.office).first()
    zone = ZoneInfo(office.timezone) if office else ZoneInfo("Asia/Jakarta")

    def aware(value: datetime) -> datetime:  # a time without zone is the office's local time
        return value if value.tzinfo else value.replace(tzinfo=zone)

    # Checked before anything is written: a refused request leaves no meeting and sends no invitation.
    # The years the web form takes: Python's datetime stops at years 1 and 9999, so a time at
    # either end, moved to UTC to be stored, overflowed (a 500 instead of an answer).
    errors = [DomainError("invalid_datetime", "Tanggal harus antara tahun 2000 dan 2100.", field=name)
              for name, value in (("starts_at", body.starts_at), ("ends_at", body.ends_at))
              if not YEARS[0] <= value.year <= YEARS[1]]
    if any(not d.text.strip() for d in body.decisions):
        errors.append(DomainError("missing_text", "Tulis isi keputusan atau arahan.", field="decisions"))
    if errors:
        raise ValidationErrors(errors)
    # One transaction all the same: should a decision still be refused, the meeting and its
    # queued invitations go with it.
    with transaction.atomic():
        meeting = meetings.create_meeting(meetings.MeetingDraft(
            office=body.office, type=body.type, title=body.title, starts_at=aware(body.starts_at),
            ends_at=aware(body.ends_at), theme=body.theme, mode=body.mode, venue=body.venue,
            online_link=body.online_link, participants_reported=body.participants_reported, agenda=body.agenda,
            invited_offices=body.invited_offices, invited_people=body.invited_people,
            invited_roles=body.invited_roles), user=user)
        for d in body.decisions:
            followups.add_decision(meeting, d.text, d.given_by)
    return Status(201, _meeting_out(meeting, full=True))


@router.get("/meetings/{meeting_id}.ics", response={200: str, **ERRORS}, summary="Undangan kalender (iCalendar)",
            openapi_extra={"responses": {200: {"description": "OK", "content": {"text/calendar": {
                "schema": {"type": "string"}}}}}})
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _visible_meeting(request, meeting_id)
    response = HttpResponse(meetings.ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapat-{meeting.pk}.ics"'
    return response


@router.get("/meetings/{meeting_id}", response={200: dict, **ERRORS}, summary="Rincian rapat")
def meeting_detail(request: HttpRequest, meeting_id: int) -> dict:
    return _meeting_out(_visible_meeting(request, meeting_id), full=True)


@router.get("/decisions/{decision_id}/progress", response={200: dict, **ERRORS}, summary="Kemajuan tindak lanjut sebuah keputusan")
def decision_progress(request: HttpRequest, decision_id: int) -> dict:
    decision = get_object_or_404(Decision.objects.select_related("meeting__office"), pk=decision_id)
    _visible_meeting(request, decision.meeting_id)
    p = followups.decision_progress(decision)
    return {
        "decision": decision.pk, "text": decision.text, "percent_done": p.percent_done, "totals": dict(p.totals),
        "offices": [{"office": o.office.code, "name": o.office.name, "adopted": o.adopted, "overall": o.overall,
                     "states": dict(o.states)} for o in p.offices],
        "late_offices": [o.code for o in p.late_offices], "not_adopted": [o.code for o in p.not_adopted],
    }
