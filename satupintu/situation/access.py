"""Who may do what in the Situation Room.

Reading is national: every staff member sees the whole room, every issue and every alert, so a
Kankemenag knows what happens next door. Acting follows region and role:

- Issues and alerts (rename, close/reopen, merge, split; acknowledge, assign, note, resolve)
  belong to the officers of the region they are about: Pusat acts everywhere, a Kanwil on its
  province, a Kankemenag on its regency (and an alert is assigned only to a colleague who may
  act on it too). An issue or alert is "about" its main place (`province_code` /
  `regency_code`); one with no place is national and only Pusat acts on it.
  Of the roles there, the ones who follow up news: heads and administrators, unit heads and
  unit officers. The front office, complaint officers and the inspectorate read.
- Sources (add, switch on/off, fetch now, upload an export) belong to heads and administrators
  of Pusat (every source) and of a Kanwil (the sources of its own office and of the Kankemenags
  below it). A Kankemenag manages none: a national feed switched off by one office is off for all.
- Subscriptions are one's own: anyone in the room may subscribe; nobody touches another's.

A superuser may do everything. Every write view asks one of the typed functions below, and
refuses with `forbidden()` (403, the branded page when there is one).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.template import TemplateDoesNotExist

from satupintu.organization.access import staff_roles
from satupintu.organization.models import Level, Office, Role, StaffRole
from satupintu.situation.models import Alert, AlertRule, BriefSubscription, Issue, Source

User = AbstractBaseUser | AnonymousUser

FOLLOW_UP_ROLES = frozenset({Role.ADMIN, Role.HEAD_OF_OFFICE, Role.HEAD_OF_UNIT, Role.UNIT_OFFICER})
SOURCE_ROLES = frozenset({Role.ADMIN, Role.HEAD_OF_OFFICE})

NOT_YOUR_REGION = "Anda hanya dapat menindaklanjuti isu dan peringatan di wilayah kantor Anda."
NOT_YOUR_SOURCE = ("Sumber hanya dapat dikelola oleh kepala atau administrator Kemenag Pusat dan Kanwil "
                   "pemiliknya.")


def _superuser(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _covers(role: StaffRole, province_code: str, regency_code: str) -> bool:
    """Does this role's office look after this place?"""
    office = role.office
    if office.level == Level.PUSAT:
        return True
    if office.level == Level.KANWIL:
        return bool(province_code) and province_code == office.code
    return bool(regency_code) and regency_code == office.code


def _may_follow_up(user: User, province_code: str, regency_code: str) -> bool:
    if _superuser(user):
        return True
    return any(r.role in FOLLOW_UP_ROLES and _covers(r, province_code, regency_code) for r in staff_roles(user))


def may_act_on_issue(user: User, issue: Issue) -> bool:
    """Rename, close, reopen, split (and merge, with `may_merge_issues`)."""
    return _may_follow_up(user, issue.province_code, issue.regency_code)


def may_merge_issues(user: User, issue: Issue, target: Issue) -> bool:
    """Merging changes both issues: the officer must be allowed to act on each."""
    return may_act_on_issue(user, issue) and may_act_on_issue(user, target)


def may_act_on_alert(user: User, alert: Alert) -> bool:
    """Acknowledge, assign, add a note, resolve."""
    return _may_follow_up(user, alert.province_code, alert.regency_code)


def alert_assignees(user: User, alert: Alert) -> list[AbstractBaseUser]:
    """Whom ``user`` may hand ``alert`` to: active colleagues (people of the user's own offices;
    every officer for a superuser) who may act on the alert themselves. One query, whatever
    the number of colleagues."""
    colleagues = StaffRole.objects.filter(user__is_active=True)
    if not _superuser(user):
        colleagues = colleagues.filter(office_id__in=[r.office_id for r in staff_roles(user)])
    roles = (StaffRole.objects.filter(user_id__in=colleagues.values("user_id")).select_related("user", "office")
             .order_by("user__username", "pk"))
    people: dict[int, AbstractBaseUser] = {}
    for r in roles:
        if r.user_id not in people and (r.user.is_superuser or (
                r.role in FOLLOW_UP_ROLES and _covers(r, alert.province_code, alert.regency_code))):
            people[r.user_id] = r.user
    return list(people.values())


def _source_roles(user: User) -> list[StaffRole]:
    return [r for r in staff_roles(user) if r.role in SOURCE_ROLES and r.office.level in (Level.PUSAT, Level.KANWIL)]


def may_manage_sources(user: User) -> bool:
    """May add sources (and so sees the "Tambah sumber" form)."""
    return _superuser(user) or bool(_source_roles(user))


def may_manage_source(user: User, source: Source) -> bool:
    """Switch on/off, fetch now, upload an export for this source."""
    if _superuser(user):
        return True
    for r in _source_roles(user):
        if r.office.level == Level.PUSAT:
            return True
        # Its own office's sources, and those of the Kankemenags below it (the sources page
        # loads `office` with the source, so this costs no query there).
        if source.office is not None and r.office_id in (source.office.pk, source.office.parent_id):
            return True
    return False


def owner_office_for_new_source(user: User) -> Office | None:
    """The office a new source belongs to: the adder's Kanwil; Pusat and superusers add national
    sources (no owner office)."""
    roles = _source_roles(user)
    if _superuser(user) or any(r.office.level == Level.PUSAT for r in roles):
        return None
    return roles[0].office if roles else None


def may_manage_subscription(user: User, subscription: AlertRule | BriefSubscription) -> bool:
    return bool(getattr(user, "pk", None)) and subscription.user_id == user.pk


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """A 403 that says why, on the site's 403 page when the project has one."""
    try:
        return render(request, "403.html", {"exception": message, "message": message}, status=403)
    except TemplateDoesNotExist:
        return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
