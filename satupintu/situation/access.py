"""Who may do what in the Situation Room.

Reading is national: every staff member sees the whole room, every issue and every alert, so a
Kankemenag knows what happens next door; Humas reads it too (press releases and clarifications are
its work). Field reporters (penyuluh, KUA and madrasah heads, KUB officers) do not: their job is
reporting what they see (/lapangan/), and the room holds complaint headlines and other regions'
reports they have no need for (`room_required`). Acting follows region and role:

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
- Response cases (responses.py): opened by whoever may act on the issue, alert or field report
  (the same region rule), for one of their own offices or an office below it. Worked (notes,
  evidence, close) by the follow-up roles of the acting office and by the heads and
  administrators of the offices above it (the Kanwil, Pusat), who are told when it escalates.
  Everyone in the room reads them, but for a case on a field report (reports are not for the
  whole room: field/access.py), which only those who may read the report, work the case or opened
  it see. A reader who does not work the case reads its texts with NIKs and phone numbers masked
  and does not see the names of its files.
- Subscriptions are one's own: anyone in the room may subscribe; nobody touches another's.

A superuser may do everything. Every write view asks one of the typed functions below, and
refuses with `forbidden()` (403, the branded page when there is one).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext, gettext_noop

from satupintu.organization.access import staff_required, staff_roles
from satupintu.organization.models import Level, Office, Role, StaffRole
from satupintu.situation.models import Alert, AlertRule, BriefSubscription, Issue, ResponseCase, Source

User = AbstractBaseUser | AnonymousUser

FOLLOW_UP_ROLES = frozenset({Role.ADMIN, Role.HEAD_OF_OFFICE, Role.HEAD_OF_UNIT, Role.UNIT_OFFICER})
SOURCE_ROLES = frozenset({Role.ADMIN, Role.HEAD_OF_OFFICE})
CASE_HEAD_ROLES = frozenset({Role.ADMIN, Role.HEAD_OF_OFFICE})  # above the acting office
ROOM_ROLES = frozenset(Role) - {Role.FIELD_REPORTER}

# Marked, not translated: forbidden() translates them for the reader.
NOT_YOUR_REGION = gettext_noop("Anda hanya dapat menindaklanjuti isu dan peringatan di wilayah kantor Anda.")
NOT_YOUR_CASE = gettext_noop("Tanggapan ini ditindaklanjuti oleh petugas kantor yang bertindak dan pimpinan kantor "
                             "di atasnya; Anda dapat membacanya.")
NOT_YOUR_SOURCE = gettext_noop("Sumber hanya dapat dikelola oleh kepala atau administrator Kemenag Pusat dan "
                               "Kanwil pemiliknya.")


def reads_room(user: User) -> bool:
    return _superuser(user) or any(r.role in ROOM_ROLES for r in staff_roles(user))


def room_required(request: HttpRequest) -> HttpResponse | None:
    """For the room's views: the login redirect, a 403 for citizens and for field reporters, else None."""
    from django.core.exceptions import PermissionDenied

    if (denied := staff_required(request)) is not None:
        return denied
    if not reads_room(request.user):
        raise PermissionDenied(gettext("Situation Room dibaca pimpinan dan petugas kantor. Laporan lapangan "
                                       "Anda dikirim dan dipantau di halaman Lapangan (/lapangan/)."))
    return None


def home_province(user) -> str:  # type: ignore[no-untyped-def]
    """Where a room page opens without a region: a Kanwil or Kankemenag officer at their province
    (and its time zone), Pusat at the whole country."""
    for r in staff_roles(user):
        if r.office.code != "pusat":
            return str(r.office.code[:2])
    return ""


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


def may_act_on_field_report(user: User, report) -> bool:  # type: ignore[no-untyped-def]
    """Open a response case on a field report (field.FieldReport): the region rule, or the
    follow-up roles of the office that verifies it (a penyuluh's GPS report from the next regency
    goes to their own Kankemenag, which the region's office does not see)."""
    if _may_follow_up(user, report.province_code, report.regency_code):
        return True
    return any(r.office_id == report.office_id and r.role in FOLLOW_UP_ROLES for r in staff_roles(user))


def may_open_case(user: User, subject) -> bool:  # type: ignore[no-untyped-def]
    if isinstance(subject, Issue):
        return may_act_on_issue(user, subject)
    if isinstance(subject, Alert):
        return may_act_on_alert(user, subject)
    return may_act_on_field_report(user, subject)


def may_record_meetings(user: User) -> bool:
    """Whether the room offers "catat sebagai rapat" on an item reporting a meeting: Rakor's rule."""
    from satupintu.rakor.access import organiser_offices

    return bool(organiser_offices(user))


def acting_offices(user: User) -> list[Office]:
    """The offices a user opens response cases for (each, or an office below it, may be made to
    act): those where they hold a follow-up role. A superuser acts for Pusat."""
    offices = {r.office.pk: r.office for r in staff_roles(user) if r.role in FOLLOW_UP_ROLES}
    if _superuser(user) and not any(o.level == Level.PUSAT for o in offices.values()):
        pusat = Office.objects.filter(level=Level.PUSAT).first()
        if pusat is not None:
            offices[pusat.pk] = pusat
    return sorted(offices.values(), key=lambda o: o.code)


def case_office_choices(user: User, region_codes: list[str]) -> list[Office]:
    """What the "Buka tanggapan" form offers: the user's acting offices, the offices right below
    them, and the offices of the subject's own region (``region_codes``: province, regency) below
    them; never an office that was merged away. The domain checks whatever is sent."""
    mine = acting_offices(user)
    if not mine:
        return []
    ids = {o.pk for o in mine}
    candidates = Office.objects.filter(merged_into__isnull=True).filter(
        models.Q(pk__in=ids) | models.Q(parent_id__in=ids)
        | models.Q(code__in=[c for c in region_codes if c])).select_related("parent__parent")
    return [o for o in candidates.order_by("code") if any(a.pk in ids for a in o.ancestors_and_self())]


def may_act_on_case(user: User, case: ResponseCase) -> bool:
    """Add notes and evidence, close: the acting office's follow-up roles, the heads and
    administrators of the offices above it."""
    if _superuser(user):
        return True
    above = {o.pk for o in case.office.ancestors_and_self()[1:]}
    return any((r.office_id == case.office_id and r.role in FOLLOW_UP_ROLES)
               or (r.office_id in above and r.role in CASE_HEAD_ROLES) for r in staff_roles(user))


def with_links(user: User, items: list) -> list:  # type: ignore[type-arg]
    """``items`` with ``open_link`` set to where each headline may lead this reader: an article's
    address, or a complaint's or field report's page in the desk only when the reader may open it
    (the room shows items beyond what each reader may open; a link to a 404 is a dead end)."""
    from satupintu.feedback.reports import visible_reports
    from satupintu.field import access as field_access
    from satupintu.situation.models import SourceKind

    def internal(kind: str) -> list[str]:
        return [it.external_id for it in items if it.source is not None and it.source.kind == kind]

    codes = internal(SourceKind.INTERNAL)
    complaints = set(visible_reports(user).filter(tracking_code__in=codes)
                     .values_list("tracking_code", flat=True)) if codes else set()
    field_ids = [int(i) for i in internal(SourceKind.FIELD) if i.isdigit()]
    reports = {str(pk) for pk in field_access.visible(user).filter(pk__in=field_ids).values_list("pk", flat=True)} \
        if field_ids else set()
    for it in items:
        kind = it.source.kind if it.source is not None else ""
        link = it.link
        if link.startswith("/") and not ((kind == SourceKind.INTERNAL and it.external_id in complaints)
                                         or (kind == SourceKind.FIELD and it.external_id in reports)):
            link = ""
        it.open_link = link
    return items


def still_staff(prefix: str = "user__") -> models.Q:
    """Subscriptions whose person still reads the room: an active account with a role that reads it
    (or a superuser). Someone who left, or who now only reports from the field, keeps no briefs or
    alerts by e-mail (their rows stay, for the record, until an administrator removes them)."""
    return models.Q(**{f"{prefix}is_active": True}) & (
        models.Q(**{f"{prefix}staff_roles__role__in": sorted(ROOM_ROLES)})
        | models.Q(**{f"{prefix}is_superuser": True}))


def may_read_evidence(user: User, case: ResponseCase) -> bool:
    """The files of a case may show people (an ID card, minutes with names): those who work the
    case, the heads above, and whoever opened it. The rest of the room reads the case without them."""
    return may_act_on_case(user, case) or case.opened_by_id == getattr(user, "pk", None)


def may_read_case(user: User, case: ResponseCase) -> bool:
    from satupintu.field import access as field_access

    if case.field_report_id is None:
        return reads_room(user)
    if may_read_evidence(user, case):
        return True
    # The reporter of the field report (who does not read the room) follows what was done about it.
    return field_access.may_read(user, case.field_report)  # type: ignore[arg-type]


def readable_cases(user: User, cases: models.QuerySet[ResponseCase]) -> models.QuerySet[ResponseCase]:
    """``cases`` less those on a field report this user may not read (``may_read_case`` in SQL)."""
    from satupintu.field import access as field_access

    if _superuser(user):
        return cases
    roles = staff_roles(user)
    acting = [r.office_id for r in roles if r.role in FOLLOW_UP_ROLES]
    heads = [r.office_id for r in roles if r.role in CASE_HEAD_ROLES]
    above = models.Q(office__parent_id__in=heads) | models.Q(office__parent__parent_id__in=heads) | models.Q(
        office__parent__parent__parent_id__in=heads)
    return cases.filter(models.Q(field_report__isnull=True) | models.Q(office_id__in=acting) | above
                        | models.Q(opened_by_id=getattr(user, "pk", None))
                        | models.Q(field_report__in=field_access.visible(user)))


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
    """A 403 that says why (in the reader's language), on the site's 403 page when the project has one."""
    message = gettext(message)
    try:
        return render(request, "403.html", {"exception": message, "message": message}, status=403)
    except TemplateDoesNotExist:
        return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
