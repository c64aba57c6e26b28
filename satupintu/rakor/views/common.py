"""What the Rakor pages share: the meeting a page is about (if the person may see it; the rules
live in ``rakor/access.py``), the offices below an organiser, and the way back to a meeting."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from satupintu.organization.finder import offices_below
from satupintu.organization.models import Office
from satupintu.rakor import followups
from satupintu.rakor.models import Meeting


def meeting_for(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("office"), pk=pk)
    if not followups.user_may_see(request.user, meeting):
        raise PermissionDenied(_("Anda tidak dapat melihat rapat ini."))
    return meeting


def below(office: Office) -> list[Office]:
    return offices_below(office)


def back(meeting_id: int, anchor: str = "") -> HttpResponse:
    return redirect(back_url(meeting_id, anchor))


def back_url(meeting_id: int, anchor: str = "") -> str:
    return f"/rakor/{meeting_id}/{'#' + anchor if anchor else ''}"
