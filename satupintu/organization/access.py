"""Who may see and do what: the one place for every view and the API.

Each role sees the work its job needs, and nothing else (issue #11, point 5):

- front office: every application of its office (the desk takes them all in);
- unit officer, head of unit: the applications of their unit in their office, and the
  public reports forwarded to that unit. A unit role without a unit sees nothing (a
  misconfigured account must not fall back to the whole office);
- head of office: the office's applications and public reports; a Kanwil head also those of
  the Kankemenags below it, a Pusat head everything;
- complaint officer: complaints, aspirations and questions of its office, and NGOPAS;
  never applications;
- inspectorate: integrity reports of its region (its office and the offices below; Pusat:
  all), nothing else;
- field reporter (penyuluh, KUA and madrasah heads, KUB officers): their own field reports
  (field/access.py) and the response cases on them; not the Situation Room (situation/access.py);
- administrator: the office's settings, the survey index, Rakor and the Situation Room; no
  applications, reports or WhatsApp conversations (no personal data);
- every other staff member reads the Situation Room (national); everyone the Rakor meetings of
  its office.

A superuser (the technical account of `/admin/`) keeps full access.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from satupintu.organization.models import Office, Role, StaffRole

# Applications: who sees the whole office's queue, and who only their unit's.
APPLICATION_OFFICE_WIDE = {Role.FRONT_OFFICE, Role.HEAD_OF_OFFICE}
UNIT_ROLES = {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT}
# Supervisors of the offices below (Rakor boards, office lists); organisational, no personal data.
SUPERVISORY = {Role.HEAD_OF_OFFICE, Role.ADMIN}
# Public reports (not integrity ones): who handles them office-wide.
REPORT_HANDLERS = {Role.COMPLAINT_OFFICER, Role.HEAD_OF_OFFICE}
# NGOPAS dialogues: who schedules them and records their aspirations.
DIALOGUE_ORGANISERS = {Role.HEAD_OF_OFFICE, Role.COMPLAINT_OFFICER}
# The survey index (IKM) is aggregate data; the inspectorate's job is integrity reports only.
SURVEY_READERS = {r for r in Role} - {Role.INSPECTORATE, Role.FIELD_REPORTER}
# Office settings (hours, services, requirements).
SETTINGS_ROLES = {Role.ADMIN, Role.HEAD_OF_OFFICE}
# Assisted mode (issue #13): who may fill an application at the PTSP desk for a citizen.
ASSIST_ROLES = {Role.FRONT_OFFICE, Role.HEAD_OF_OFFICE}

# Which roles may take which action on an application.
ACTION_ROLES: dict[str, set[str]] = {
    "verify": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT},
    "process": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT},
    "request_completion": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT},
    "complete": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT},
    "reject": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE},
    "assign": {Role.FRONT_OFFICE, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE},
    "forward": {Role.FRONT_OFFICE, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE},
    "upload_product": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT},
    "handover": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT},
    "note": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE},
}

User = AbstractBaseUser | AnonymousUser


def staff_roles(user: User) -> list[StaffRole]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_staff_roles_cache", None)
    if cached is None:
        cached = list(StaffRole.objects.select_related("office", "unit").filter(user=user))  # type: ignore[misc]
        user._staff_roles_cache = cached  # type: ignore[union-attr,attr-defined]  # per-request memo
    return cached


def is_staff_member(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(staff_roles(user))


def _superuser(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _handles_applications(r: StaffRole) -> bool:
    return r.role in APPLICATION_OFFICE_WIDE or (r.role in UNIT_ROLES and r.unit_id is not None)


# --- applications ------------------------------------------------------------------------

def works_on_applications(user: User) -> bool:
    """Whether the application queue is part of this person's job at all."""
    return _superuser(user) or any(_handles_applications(r) for r in staff_roles(user))


def application_scope(user: User) -> Q | None:
    """A filter on Application for what the user may see; None means everything."""
    if _superuser(user):
        return None
    scope = Q(pk__in=[])
    for r in staff_roles(user):
        if r.role == Role.HEAD_OF_OFFICE:
            if r.office.level == "pusat":
                return None
            scope |= Q(office_id=r.office_id)
            if r.office.level == "kanwil":
                scope |= Q(office__parent_id=r.office_id)
        elif r.role == Role.FRONT_OFFICE:
            scope |= Q(office_id=r.office_id)
        elif r.role in UNIT_ROLES and r.unit_id is not None:
            scope |= Q(office_id=r.office_id, unit_id=r.unit_id)
    return scope


def visible(user: User, queryset: QuerySet) -> QuerySet:  # type: ignore[type-arg]
    scope = application_scope(user)
    return queryset if scope is None else queryset.filter(scope)


def can_view(user: User, app) -> bool:  # type: ignore[no-untyped-def]
    scope = application_scope(user)
    return scope is None or type(app).objects.filter(scope, pk=app.pk).exists()


def assignable(app) -> Q:  # type: ignore[no-untyped-def]
    """A filter on users for who may be given this application: those who work on its office's
    applications, office-wide or in its unit (not Humas, a reporter or the administrator)."""
    return (Q(staff_roles__office_id=app.office_id, staff_roles__role__in=APPLICATION_OFFICE_WIDE)
            | Q(staff_roles__office_id=app.office_id, staff_roles__role__in=UNIT_ROLES,
                staff_roles__unit_id=app.unit_id))


def can_act(user: User, app, action: str) -> bool:  # type: ignore[no-untyped-def]
    if _superuser(user):
        return True
    allowed = ACTION_ROLES.get(action, set())
    for r in staff_roles(user):
        if r.office_id != app.office_id or r.role not in allowed or not _handles_applications(r):
            continue
        if r.role in APPLICATION_OFFICE_WIDE or r.unit_id == app.unit_id:
            return True
    return False


def assist_offices(user: User) -> list[Office]:
    """The offices at whose desk this person may submit for a citizen (assisted mode)."""
    return [r.office for r in staff_roles(user) if r.role in ASSIST_ROLES]


def may_assist(user: User, office: Office) -> bool:
    return _superuser(user) or any(o.pk == office.pk for o in assist_offices(user))


# --- public reports (complaints, aspirations, questions) and integrity reports -----------

def report_scope(user: User) -> Q | None:
    """A filter on Report for what the user may see; None means everything."""
    if _superuser(user):
        return None
    scope = Q(pk__in=[])
    for r in staff_roles(user):
        below = Q(office_id=r.office_id) | Q(office__parent_id=r.office_id)
        everywhere = r.office.level == "pusat"
        if r.role == Role.INSPECTORATE:
            scope |= Q(integrity=True) & (Q() if everywhere else below)
        elif r.role in REPORT_HANDLERS:
            mine = Q(office_id=r.office_id) if r.role == Role.COMPLAINT_OFFICER else (Q() if everywhere else below)
            scope |= Q(integrity=False) & mine
        elif r.role in UNIT_ROLES and r.unit_id:
            scope |= Q(integrity=False, office_id=r.office_id, unit_id=r.unit_id)
    return scope


def may_act_on_report(user: User, report: Any, action: str) -> bool:
    """Integrity reports: the inspectorate of the region; others: the handlers in reach, and
    the unit a report was forwarded to may answer it."""
    if _superuser(user):
        return True
    for r in staff_roles(user):
        in_reach = r.office_id == report.office_id or (r.role != Role.COMPLAINT_OFFICER and (
            report.office.parent_id == r.office_id or r.office.level == "pusat"))
        if report.integrity:
            if r.role == Role.INSPECTORATE and in_reach:
                return True
            continue
        if r.role in REPORT_HANDLERS and in_reach and action in ("verify", "forward", "answer", "reject",
                                                                   "recategorize"):
            return True
        if (r.role in UNIT_ROLES and action == "answer" and r.unit_id
                and r.office_id == report.office_id and r.unit_id == report.unit_id):
            return True
    return False


def works_on_reports(user: User) -> bool:
    return _superuser(user) or any(
        r.role in REPORT_HANDLERS or r.role == Role.INSPECTORATE or (r.role in UNIT_ROLES and r.unit_id)
        for r in staff_roles(user))


# --- NGOPAS, the survey index, office settings -----------------------------------------

def may_organise_dialogue(user: User, office: Office) -> bool:
    if _superuser(user):
        return True
    return any(r.office_id == office.pk and r.role in DIALOGUE_ORGANISERS for r in staff_roles(user))


def may_read_survey_results(user: User) -> bool:
    return _superuser(user) or any(r.role in SURVEY_READERS for r in staff_roles(user))


def settings_offices(user: User) -> list[Office]:
    """The offices whose settings this person may change."""
    return [r.office for r in staff_roles(user) if r.role in SETTINGS_ROLES]


def start_page(user: User) -> str:
    """Where the "Petugas" link leads this person: the first part of the back office they work in."""
    if works_on_applications(user):
        return "/petugas/"
    if works_on_reports(user):
        return "/petugas/pengaduan/"
    if settings_offices(user):
        return "/petugas/kantor/"
    if any(r.role == Role.FIELD_REPORTER for r in staff_roles(user)):
        return "/lapangan/"  # penyuluh, KUA and madrasah heads: the field report app (field/)
    return "/situasi/"


def offices_visible(user: User) -> QuerySet[Office]:
    if _superuser(user):
        return Office.objects.all()
    ids: set[int] = set()
    for r in staff_roles(user):
        if r.role in SUPERVISORY and r.office.level == "pusat":
            return Office.objects.all()
        ids.add(r.office_id)
        if r.role in SUPERVISORY and r.office.level == "kanwil":
            ids.update(Office.objects.filter(parent_id=r.office_id).values_list("pk", flat=True))
    return Office.objects.filter(pk__in=ids)


def staff_required(request):  # type: ignore[no-untyped-def]
    """For back-office views: a redirect to the login page, a 403 for non-staff, else None.
    The 403 is raised, so it gets the branded, bilingual 403 page with the reason."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect
    from django.utils.translation import gettext

    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    if not is_staff_member(request.user):
        raise PermissionDenied(gettext("Halaman ini hanya untuk petugas."))
    return None


def mailboxes(offices: Iterable[Office | int], roles: Iterable[str]) -> list[tuple[int, str]]:
    """(user id, e-mail) of the active people holding one of ``roles`` in ``offices`` (offices or
    their ids): whom a scheduled job writes to (response escalations, API keys ending, Rakor and
    complaint deadlines)."""
    rows = StaffRole.objects.select_related("user").filter(office__in=list(offices), role__in=roles,
                                                           user__is_active=True)
    return sorted({(r.user_id, r.user.email) for r in rows if r.user.email})
