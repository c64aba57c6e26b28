"""Who may see and do what in Rakor: the one place for its pages, its API and the rooms that link to it.

- Reading: every staff member reads the meetings of its office and of the offices above it,
  those its office or the person is invited to (``followups.user_may_see``); Pusat reads all.
- Recording (a meeting, its minutes, documents and decisions; assigning follow-up actions;
  adopting a decision into one's own meeting; reopening an action the meeting gave): the
  organising office's ``ORGANISERS``. The secretariat (the administrator role) keeps the
  minutes, the head chairs, and a head of unit holds the Rakor of the unit's field. A front-office
  clerk, a complaint officer or a field reporter reads the meeting but does not write its
  decisions: they become instructions to every office below.
- Reporting progress on an action: any staff of the responsible office (the work is theirs);
  closing it: that office's heads and administrators (``heads``).

A superuser (the technical account of ``/admin/``) acts for Pusat.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from satupintu.organization import access
from satupintu.organization.models import Office, Role
from satupintu.rakor import followups
from satupintu.rakor.models import Action, Meeting

ORGANISERS: set[str] = {Role.HEAD_OF_OFFICE, Role.ADMIN, Role.HEAD_OF_UNIT}


def offices(user) -> list[Office]:  # type: ignore[no-untyped-def]
    """The offices a person works in; a superuser without a role acts for Pusat."""
    return _offices(user, roles=None)


def organiser_offices(user) -> list[Office]:  # type: ignore[no-untyped-def]
    """The offices whose meetings a person may record (``ORGANISERS``); a superuser: Pusat."""
    return _offices(user, roles=ORGANISERS)


def _offices(user, roles: set[str] | None) -> list[Office]:  # type: ignore[no-untyped-def]
    seen: dict[int, Office] = {}
    for r in access.staff_roles(user):
        if roles is None or r.role in roles:
            seen.setdefault(r.office_id, r.office)
    if not seen and user.is_superuser:
        pusat = Office.objects.filter(code="pusat").first()
        return [pusat] if pusat else []
    return sorted(seen.values(), key=lambda o: o.code)


def sees_everything(user) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(o.code == "pusat" for o in offices(user))


def works_at(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(r.office_id == office.pk for r in access.staff_roles(user))


def organises(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    """Whether the person may record and change the meetings of ``office``."""
    return user.is_superuser or any(r.office_id == office.pk and r.role in ORGANISERS
                                    for r in access.staff_roles(user))


def heads(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return user.is_superuser or any(r.office_id == office.pk and r.role in access.SUPERVISORY
                                    for r in access.staff_roles(user))


def may_see_action(user, action: Action) -> bool:  # type: ignore[no-untyped-def]
    """Who may see the meeting, the responsible office, and the offices above it."""
    if followups.user_may_see(user, action.decision.meeting):
        return True
    chain = {o.pk for o in action.office.ancestors_and_self()}
    return any(o.pk in chain for o in offices(user))


def may_open_evidence(user, action: Action) -> bool:  # type: ignore[no-untyped-def]
    """An action's evidence files (attendance lists, staff and beneficiary lists: personal data)
    are for the responsible office and the offices above it, and for the organisers and heads of
    the office that held the meeting; others who may follow the action see its progress, not the
    files (a Rakernas action is seen nationwide, a Kanwil's by every Kankemenag beside it)."""
    if user.is_superuser:
        return True
    chain = {o.pk for o in action.office.ancestors_and_self()}
    if any(o.pk in chain for o in offices(user)):
        return True
    held_by = action.decision.meeting.office
    return organises(user, held_by) or heads(user, held_by)


def may_open_attendance(user, meeting: Meeting) -> bool:  # type: ignore[no-untyped-def]
    """The list of who attended (names, sign-in names, offices, times): for the organisers and heads
    of the office that held the meeting, who report on it; every reader sees the counts."""
    return organises(user, meeting.office) or heads(user, meeting.office)


def visible_meetings(user) -> QuerySet[Meeting]:  # type: ignore[no-untyped-def]
    qs = Meeting.objects.select_related("office")
    if sees_everything(user):
        return qs
    own = offices(user)
    above = {a.pk for o in own for a in o.ancestors_and_self()}
    return qs.filter(Q(office_id__in=above) | Q(invited_offices__in=[o.pk for o in own])
                     | Q(invited_people=user)).distinct()


def meeting_names(user, meetings: Iterable[Meeting]) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """What this reader may call each meeting: its title where they may open it; else only that an
    office held an internal meeting, and when (its title can name people or findings). An action
    or an adoption is seen by offices above that may not open the meeting it came from."""
    names: dict[int, str] = {}
    meetings = list(meetings)
    visible = followups.visible_meetings(user, meetings)
    for meeting in meetings:
        if meeting.pk in names:
            continue
        if meeting.pk in visible:
            names[meeting.pk] = meeting.title
        else:
            local = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.office.timezone))
            when = formats.date_format(local, "d/m/Y")
            names[meeting.pk] = _("Rapat internal kantor (%(date)s)") % {"date": when}
    return names
