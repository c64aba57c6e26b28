"""Who manages API keys and webhooks: the administrators and heads of Pusat and of a Kanwil,
for their own office (a Kankemenag goes through its Kanwil). A superuser: every such office.

Personal data in payloads (a key's "personal_data" scope, an endpoint's flag) is granted only
by a head of office: administrators see no personal data themselves (organization/access.py),
so they cannot hand it to others either."""

from __future__ import annotations

from satupintu.organization import access
from satupintu.organization.models import Level, Office, Role

MANAGERS = {Role.ADMIN, Role.HEAD_OF_OFFICE}
ISSUING_LEVELS = {Level.PUSAT, Level.KANWIL}


def integration_offices(user: access.User) -> list[Office]:
    """The offices whose keys and webhooks this person manages."""
    if getattr(user, "is_superuser", False):
        return list(Office.objects.filter(level__in=ISSUING_LEVELS).order_by("code"))
    seen: dict[int, Office] = {}
    for r in access.staff_roles(user):
        if r.role in MANAGERS and r.office.level in ISSUING_LEVELS:
            seen.setdefault(r.office_id, r.office)
    return list(seen.values())


def may_manage(user: access.User, office: Office) -> bool:
    return any(o.pk == office.pk for o in integration_offices(user))


def may_grant_personal_data(user: access.User, office: Office) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(r.office_id == office.pk and r.role == Role.HEAD_OF_OFFICE for r in access.staff_roles(user))


def managers_of(office: Office) -> list[tuple[int, str]]:
    """(user id, e-mail) of the people who manage this office's keys: told when one is ending."""
    return access.mailboxes([office], MANAGERS)
