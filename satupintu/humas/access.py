"""Who may see and do what in Humas.

- The office's Humas officer, administrator and head manage its channels and imports and see
  its scorecard.
- A Kanwil's head, administrator and Humas officer also see the scorecards of the Kankemenags
  below it, set their targets, and see the Kanwil's ranking.
- Pusat's head, administrator and Humas officer see everything (the national ranking) and set
  the Kanwils' targets. Superusers see and do everything.
- Other staff and citizens: nothing here.
"""

from __future__ import annotations

from satupintu.organization.access import User, staff_roles
from satupintu.organization.models import Level, Office, Role

HUMAS_ROLES = {Role.HUMAS, Role.ADMIN, Role.HEAD_OF_OFFICE}


def _super(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _humas_offices(user: User) -> list[Office]:
    return [r.office for r in staff_roles(user) if r.role in HUMAS_ROLES]


def works_on_humas(user: User) -> bool:
    return _super(user) or bool(_humas_offices(user))


def is_national(user: User) -> bool:
    return _super(user) or any(o.level == Level.PUSAT for o in _humas_offices(user))


def home_office(user: User) -> Office | None:
    """The office a Humas page opens on: the person's own (the first Humas role)."""
    offices = _humas_offices(user)
    return offices[0] if offices else None


def can_manage_channels(user: User, office: Office) -> bool:
    return _super(user) or any(o.pk == office.pk for o in _humas_offices(user))


def can_view_office(user: User, office: Office) -> bool:
    if is_national(user):
        return True
    for o in _humas_offices(user):
        if o.pk == office.pk or (o.level == Level.KANWIL and office.parent_id == o.pk):
            return True
    return False


def can_set_target(user: User, office: Office) -> bool:
    """The office above sets it: the Kanwil for its Kankemenags, Pusat for the Kanwils."""
    if _super(user):
        return True
    for o in _humas_offices(user):
        if office.parent_id == o.pk and o.level in (Level.KANWIL, Level.PUSAT):
            return True
    return False


def ranking_kanwils(user: User) -> list[Office] | None:
    """The Kanwils whose ranking the person may see; None: every one (national)."""
    if is_national(user):
        return None
    return [o for o in _humas_offices(user) if o.level == Level.KANWIL]


def target_offices(user: User) -> list[Office]:
    """Offices whose targets the person sets."""
    from satupintu.organization.models import Office as OfficeModel

    if _super(user):
        return list(OfficeModel.objects.filter(level=Level.KANWIL))
    parents = [o.pk for o in _humas_offices(user) if o.level in (Level.KANWIL, Level.PUSAT)]
    return list(OfficeModel.objects.filter(parent_id__in=parents, merged_into__isnull=True).order_by("code"))
