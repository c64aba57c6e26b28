"""Who may do what with field reports.

- Report: registered staff with the field reporter role (penyuluh agama, KUA and madrasah
  heads, KUB officers) and heads of office, with an active account. A disabled account is
  refused even when a submission it queued offline arrives later.
- Verify or reject: the head (Role.HEAD_OF_OFFICE) and the administrator of the Kankemenag the
  report was sent to (``report.office``): the Kankemenag of the regency where it happened.
- Read: those, the heads and administrators of the Kanwil above that Kankemenag (Pusat's: all),
  and the reporter their own reports.

A superuser may do everything.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from satupintu.field.models import FieldReport
from satupintu.organization.access import staff_roles
from satupintu.organization.models import Level, Office, Role, StaffRole

User = AbstractBaseUser | AnonymousUser

REPORTER_ROLES = frozenset({Role.FIELD_REPORTER, Role.HEAD_OF_OFFICE})
VERIFIER_ROLES = frozenset({Role.HEAD_OF_OFFICE, Role.ADMIN})


def _superuser(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


def reporter_roles(user: User) -> list[StaffRole]:
    if not getattr(user, "is_active", False):
        return []
    return [r for r in staff_roles(user) if r.role in REPORTER_ROLES]


def may_report(user: User) -> bool:
    return bool(reporter_roles(user))


def reporting_office(user: User, regency_code: str) -> Office | None:
    """The Kankemenag that verifies a report: the one of the regency where it happened, whoever
    reports it. It answers for that place: its verification moves that regency's early-warning
    index, and it is the office that can open a response there. (Verified by the reporter's own
    office, a penyuluh's report about Jakarta turned Jakarta red while Jakarta's office could
    neither see the report nor respond.) No such office (a region the list lacks): the
    reporter's own Kankemenag, whose reports about another region the index does not count.
    An office merged into another: the one it was merged into (it verifies for both now)."""
    roles = reporter_roles(user)
    if not roles:
        return None
    local = Office.objects.filter(code=regency_code, level=Level.KANKEMENAG).first()
    if local is None:
        local = next((r.office for r in roles if r.office.level == Level.KANKEMENAG), roles[0].office)
    return local.successor()


def reporter_province(user: User) -> str:
    """The province the reporter works in (its regencies come first on the form)."""
    for r in reporter_roles(user):
        if r.office.province_code:
            return r.office.province_code
    return ""


def session_user_id(request: HttpRequest) -> int | None:
    """The account this session signed in, active or not (Django shows a disabled one as anonymous)."""
    if request.user.is_authenticated:
        return int(request.user.pk)
    raw = request.session.get(SESSION_KEY)
    return int(raw) if raw and str(raw).isdigit() else None


def disabled_account_in_session(request: HttpRequest) -> bool:
    """The session belongs to an account that was disabled since: Django then treats the
    request as anonymous, but the reporter must be told the account is disabled, not asked
    to sign in again (their queued reports would wait forever)."""
    if request.user.is_authenticated:
        return not request.user.is_active
    user_id = request.session.get(SESSION_KEY)
    if not user_id:
        return False
    return get_user_model().objects.filter(pk=user_id, is_active=False).exists()


def scope(user: User) -> Q | None:
    """A filter on FieldReport for what the user may read; None means everything."""
    if _superuser(user):
        return None
    q = Q(reporter_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    for r in staff_roles(user):
        if r.role not in VERIFIER_ROLES:
            continue
        if r.office.level == Level.PUSAT:
            return None
        q |= Q(office_id=r.office_id) | Q(office__parent_id=r.office_id)
    return q


def visible(user: User, queryset: QuerySet[FieldReport] | None = None) -> QuerySet[FieldReport]:
    qs = FieldReport.objects.all() if queryset is None else queryset
    q = scope(user)
    return qs if q is None else qs.filter(q)


def verifiable(user: User, queryset: QuerySet[FieldReport] | None = None) -> QuerySet[FieldReport]:
    """The reports this user may verify or reject (the queue's "to do")."""
    qs = FieldReport.objects.all() if queryset is None else queryset
    if _superuser(user):
        return qs
    offices = [r.office_id for r in staff_roles(user) if r.role in VERIFIER_ROLES]
    return qs.filter(office_id__in=offices)


def works_on_verification(user: User) -> bool:
    return _superuser(user) or any(r.role in VERIFIER_ROLES for r in staff_roles(user))


def may_verify(user: User, report: FieldReport) -> bool:
    if _superuser(user):
        return True
    if not getattr(user, "is_active", False):
        return False
    return any(r.role in VERIFIER_ROLES and r.office_id == report.office_id for r in staff_roles(user))


def may_read(user: User, report: FieldReport) -> bool:
    return visible(user).filter(pk=report.pk).exists()
