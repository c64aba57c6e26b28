"""Who may see and do what. An officer sees their own office's work (limited to their unit
for unit roles); a Kanwil head or admin also sees the Kankemenags below it; Pusat sees all.
Acting on an application needs a role in the office that holds it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from satupintu.organization.models import Office, Role, StaffRole

OFFICE_WIDE = {Role.FRONT_OFFICE, Role.HEAD_OF_OFFICE, Role.ADMIN}
SUPERVISORY = {Role.HEAD_OF_OFFICE, Role.ADMIN}

# Which roles may take which action on an application.
ACTION_ROLES: dict[str, set[str]] = {
    "verify": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.ADMIN},
    "process": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.ADMIN},
    "request_completion": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.ADMIN},
    "complete": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.ADMIN},
    "reject": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE, Role.ADMIN},
    "assign": {Role.FRONT_OFFICE, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE, Role.ADMIN},
    "forward": {Role.FRONT_OFFICE, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE, Role.ADMIN},
    "upload_product": {Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.ADMIN},
    "handover": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.ADMIN},
    "note": {Role.FRONT_OFFICE, Role.UNIT_OFFICER, Role.HEAD_OF_UNIT, Role.HEAD_OF_OFFICE, Role.ADMIN},
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


def application_scope(user: User) -> Q | None:
    """A filter on Application for what the user may see; None means everything."""
    if getattr(user, "is_superuser", False):
        return None
    scope = Q(pk__in=[])
    for r in staff_roles(user):
        if r.role in SUPERVISORY and r.office.level == "pusat":
            return None
        if r.role in OFFICE_WIDE or r.unit_id is None:
            scope |= Q(office_id=r.office_id)
        else:
            scope |= Q(office_id=r.office_id, unit_id=r.unit_id)
        if r.role in SUPERVISORY and r.office.level == "kanwil":
            scope |= Q(office__parent_id=r.office_id)
    return scope


def visible(user: User, queryset: QuerySet) -> QuerySet:  # type: ignore[type-arg]
    scope = application_scope(user)
    return queryset if scope is None else queryset.filter(scope)


def can_view(user: User, app) -> bool:  # type: ignore[no-untyped-def]
    scope = application_scope(user)
    return scope is None or type(app).objects.filter(scope, pk=app.pk).exists()


def can_act(user: User, app, action: str) -> bool:  # type: ignore[no-untyped-def]
    if getattr(user, "is_superuser", False):
        return True
    allowed = ACTION_ROLES.get(action, set())
    for r in staff_roles(user):
        if r.office_id != app.office_id or r.role not in allowed:
            continue
        if r.role in OFFICE_WIDE or r.unit_id is None or r.unit_id == app.unit_id:
            return True
    return False


def offices_visible(user: User) -> QuerySet[Office]:
    if getattr(user, "is_superuser", False):
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

    if not request.user.is_authenticated:
        return redirect(f"/masuk/?next={request.path}")
    if not is_staff_member(request.user):
        raise PermissionDenied("Halaman ini hanya untuk petugas.")
    return None
