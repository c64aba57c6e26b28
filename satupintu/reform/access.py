"""Who may read and register breakthroughs.

- register and edit: the head of office and the administrator for the whole office (any unit, or
  the office as a whole); a head of unit and the unit's officers for their own unit only;
- read: every staff member of the office; a Kanwil's heads and administrators also the offices
  below it, Pusat's every office (``organization.access.offices_visible``, as for Rakor boards);
- call for breakthroughs on a Rakor decision: the organising office's head or administrator
  (``may_call_for_breakthroughs``);
- citizens and the public: nothing (the pages are back-office pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from satupintu.organization import access
from satupintu.organization.models import Office, Role, Unit
from satupintu.rakor.models import Meeting
from satupintu.reform.models import Breakthrough

OFFICE_WIDE = {Role.HEAD_OF_OFFICE, Role.ADMIN}
UNIT_ROLES = {Role.HEAD_OF_UNIT, Role.UNIT_OFFICER}


@dataclass(frozen=True)
class WriteScope:
    office: Office
    unit: Unit | None  # None: any unit of the office, or the office as a whole


def write_scopes(user: access.User) -> list[WriteScope]:
    scopes = []
    for r in access.staff_roles(user):
        if r.role in OFFICE_WIDE:
            scopes.append(WriteScope(r.office, None))
        elif r.role in UNIT_ROLES and r.unit_id is not None:  # a unit role without a unit: nothing
            scopes.append(WriteScope(r.office, r.unit))
    return scopes


def may_write(user: access.User, office: Office, unit: Unit | None) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    for s in write_scopes(user):
        if s.office.pk == office.pk and (s.unit is None or (unit is not None and s.unit.pk == unit.pk)):
            return True
    return False


def may_edit(user: access.User, breakthrough: Breakthrough) -> bool:
    return may_write(user, breakthrough.office, breakthrough.unit)


def units_for(user: access.User, office: Office) -> list[Unit] | None:
    """The units this person may register for in ``office``; None: every unit and the whole office."""
    if getattr(user, "is_superuser", False):
        return None
    units: list[Unit] = []
    for s in write_scopes(user):
        if s.office.pk != office.pk:
            continue
        if s.unit is None:
            return None
        units.append(s.unit)
    return units


def write_offices(user: access.User) -> list[Office]:
    seen: dict[int, Office] = {}
    for s in write_scopes(user):
        seen.setdefault(s.office.pk, s.office)
    return sorted(seen.values(), key=lambda o: o.code)


def readable_offices(user: access.User) -> QuerySet[Office]:
    return access.offices_visible(user)


def visible_breakthroughs(user: access.User) -> QuerySet[Breakthrough]:
    if getattr(user, "is_superuser", False):
        return Breakthrough.objects.all()
    return Breakthrough.objects.filter(office__in=readable_offices(user))


def may_call_for_breakthroughs(user: access.User, meeting: Meeting) -> bool:
    """Who may turn a Rakor decision into a call for breakthroughs: the organising office's heads
    and administrators (rakor's ``heads``, the rule for closing follow-ups). Rakor lets a head of unit
    record a decision or assign an action too (``organises``), but a call asks every unit of every
    office below for new work by a date, which is the office head's to order."""
    from satupintu.rakor.access import heads

    return bool(heads(user, meeting.office))
