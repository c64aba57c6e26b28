"""What the Rakor pages share: who may see and do what on a page (the API's rule: superuser,
Pusat staff, or an office that ``followups.may_see``), and the way back to a meeting."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from satupintu.organization import access
from satupintu.organization.models import Office
from satupintu.rakor import followups
from satupintu.rakor.models import Action, Meeting


def offices(user) -> list[Office]:  # type: ignore[no-untyped-def]
    """The offices a person works in; a superuser without a role acts for Pusat."""
    seen: dict[int, Office] = {}
    for r in access.staff_roles(user):
        seen.setdefault(r.office_id, r.office)
    if not seen and user.is_superuser:
        pusat = Office.objects.filter(code="pusat").first()
        return [pusat] if pusat else []
    return sorted(seen.values(), key=lambda o: o.code)


def sees_everything(user) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(o.code == "pusat" for o in offices(user))


def works_at(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(r.office_id == office.pk for r in access.staff_roles(user))


def heads(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(r.office_id == office.pk and r.role in access.SUPERVISORY
                                    for r in access.staff_roles(user))


def may_see_action(user, action: Action) -> bool:  # type: ignore[no-untyped-def]
    """Who may see the meeting, the responsible office, and the offices above it."""
    if followups.user_may_see(user, action.decision.meeting):
        return True
    chain = {o.pk for o in action.office.ancestors_and_self()}
    return any(o.pk in chain for o in offices(user))


def visible_meetings(user):  # type: ignore[no-untyped-def]
    qs = Meeting.objects.select_related("office")
    if sees_everything(user):
        return qs
    own = offices(user)
    above = {a.pk for o in own for a in o.ancestors_and_self()}
    return qs.filter(Q(office_id__in=above) | Q(invited_offices__in=[o.pk for o in own])
                     | Q(invited_people=user)).distinct()


def meeting_for(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("office"), pk=pk)
    if not followups.user_may_see(request.user, meeting):
        raise PermissionDenied(_("Anda tidak dapat melihat rapat ini."))
    return meeting


def below(office: Office) -> list[Office]:
    return list(Office.objects.filter(parent=office).order_by("code"))


def back(meeting_id: int, anchor: str = "") -> HttpResponse:
    return redirect(back_url(meeting_id, anchor))


def back_url(meeting_id: int, anchor: str = "") -> str:
    return f"/rakor/{meeting_id}/{'#' + anchor if anchor else ''}"
