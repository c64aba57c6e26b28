"""The figures of the Zona Integritas pack (reform/integrity.py), one function each: an office's
rows of one year read through the owning app's models and functions, as a Measure whose value
is None when Satu Pintu holds no rows for it (the pack then says what to attach instead)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from satupintu.core import numbers
from satupintu.organization import access
from satupintu.organization.models import Office, Role
from satupintu.reform import indicators
from satupintu.reform.indicators import Window

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")

Number = int | float | Decimal


@dataclass(frozen=True)
class Measure:
    """One figure over one span: ``value`` None means Satu Pintu holds no rows for it."""

    value: Number | None
    detail: str = ""
    rows: tuple[tuple[str, str], ...] = ()  # a breakdown (per unit, per month...): (label, text)



# --- formatting -----------------------------------------------------------------------------------

def format_number(value: Number | None, unit: str = "") -> str:
    """In the active language ("85,20", "1.234" in the pack's Indonesian; "85.20", "1,234" on an English
    page); a percentage with one decimal."""
    if value is None:
        return "-"
    if isinstance(value, int):
        text = numbers.whole(value)
    else:
        text = numbers.decimal(value, 1 if unit in ("%", "jam kerja", "menit") else 2, grouped=True)
    if unit == "%":
        return f"{text}%"
    return f"{text} {UNIT_WORDS.get(unit, unit)}" if unit else text


# The figures' units are kept as these Indonesian words (they choose the decimals too); said in the
# page's language ("0.0 jam kerja" on an English page).
UNIT_WORDS = {"jam kerja": gettext_lazy("jam kerja"), "menit": gettext_lazy("menit")}


def month_name(month: int) -> str:
    """In the active language: the pack's PDF and ZIP are made in Indonesian, the page in the reader's."""
    return MONTHS_EN[month - 1] if get_language() == "en" else MONTHS[month - 1]


def long_date(d: date) -> str:
    return f"{d.day} {month_name(d.month)} {d.year}"


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _of(part: int, whole: int, what: str) -> str:
    return _("%(part)s dari %(whole)s %(what)s") % {"part": format_number(part), "whole": format_number(whole),
                                                      "what": what}


# --- the span of a year, in the office's own time ----------------------------------------------------

@dataclass(frozen=True)
class Span:
    year: int
    start: datetime  # aware, office-local midnight of 1 January
    end: datetime  # exclusive: 1 January of the next year, or now for the running year
    first_day: date
    last_day: date

    @classmethod
    def of(cls, office: Office, year: int, now: datetime) -> "Span":
        zone = ZoneInfo(office.timezone)
        start = datetime(year, 1, 1, tzinfo=zone)
        end = min(datetime(year + 1, 1, 1, tzinfo=zone), now)
        return cls(year, start, end, start.date(), min(date(year, 12, 31), now.astimezone(zone).date()))

    @property
    def window(self) -> Window:
        """The same days as the breakthrough indicators read them (office-local, both ends included)."""
        return Window(self.first_day, self.last_day)

    @property
    def label(self) -> str:
        return f"{long_date(self.first_day)} - {long_date(self.last_day)}"


# --- the figures, one function each -----------------------------------------------------------------

def breakthroughs_registered(office: Office, span: Span) -> Measure:
    from satupintu.reform.models import Breakthrough

    mine = Breakthrough.objects.filter(office=office)
    new = mine.filter(started_on__gte=span.first_day, started_on__lte=span.last_day).count()
    running = mine.filter(started_on__lte=span.last_day).count()
    if not running:
        return Measure(None)
    return Measure(new, ngettext("%(n)s terobosan berjalan s.d. akhir periode", "%(n)s terobosan berjalan s.d. akhir periode",
                                 running) % {"n": running})


def rakor_actions_on_time(office: Office, span: Span) -> Measure:
    from satupintu.rakor.models import Action, ActionStatus

    # Due this year, and done or already due: an open action not due yet is still running.
    actions = list(Action.objects.filter(office=office, due_date__gte=span.first_day,
                                         due_date__lte=date(span.year, 12, 31))
                   .exclude(status=ActionStatus.OPEN, due_date__gt=span.last_day)
                   .values_list("status", "closed_at", "due_date"))
    if not actions:
        return Measure(None)
    zone = ZoneInfo(office.timezone)
    on_time = sum(1 for status, closed, due in actions
                  if status == ActionStatus.DONE and closed is not None and closed.astimezone(zone).date() <= due)
    done = sum(1 for status, _closed, _due in actions if status == ActionStatus.DONE)
    return Measure(_share(on_time, len(actions)),
                   _of(on_time, len(actions), _("tindak lanjut selesai tepat waktu")) + "; "
                   + _("%(n)s selesai seluruhnya") % {"n": done})


def services_online(office: Office) -> tuple[Measure, Measure]:
    """(services offered online, of them with a complete published standard)."""
    from satupintu.services.catalog import services_offered_at
    from satupintu.services.models import Requirement

    offered = services_offered_at(office)
    if not offered:
        return Measure(None), Measure(None)
    with_requirements = set(Requirement.objects.filter(service__in=offered)
                            .filter(Q(office__isnull=True) | Q(office=office))
                            .values_list("service_id", flat=True).distinct())
    with_steps = [s for s in offered if s.steps]
    complete = [s for s in with_steps if s.pk in with_requirements and s.product and s.working_days]
    online = Measure(len(offered), _("%(steps)s dengan prosedur (SOP) tertulis, %(req)s dengan persyaratan") % {
        "steps": len(with_steps), "req": len(with_requirements)})
    standard = Measure(_share(len(complete), len(offered)),
                       _of(len(complete), len(offered), _("layanan: persyaratan, prosedur, waktu, biaya, produk")))
    return online, standard


def online_share(office: Office, span: Span) -> Measure:
    """The breakthrough indicator (reform.indicators.online_share) over the year."""
    f = indicators.online_share(office, span.window)
    if not f.n:
        return Measure(None)
    return Measure(f.value, _of(f.part, f.n, _("permohonan diajukan daring")))


def signed_documents(office: Office, span: Span) -> Measure:
    from satupintu.documents.models import PUBLIC_STATES, IssuedDocument, Kind

    n = IssuedDocument.objects.filter(office=office, kind=Kind.PRODUCT, state__in=PUBLIC_STATES,
                                      signed_at__gte=span.start, signed_at__lt=span.end).count()
    return Measure(n or None, _("surat produk layanan bertanda tangan elektronik") if n else "")


def _staff_ids(office: Office) -> list[int]:
    from satupintu.organization.models import StaffRole

    return list(StaffRole.objects.filter(office=office).values_list("user_id", flat=True).distinct())


def staff_roles_held(office: Office) -> Measure:
    from satupintu.organization.models import StaffRole

    ids = _staff_ids(office)
    if not ids:
        return Measure(None)
    labels = dict(Role.choices)
    per_role = Counter(StaffRole.objects.filter(office=office).values_list("role", flat=True))
    rows = tuple((str(labels.get(role, role)), format_number(n)) for role, n in sorted(per_role.items()))
    return Measure(len(ids), "; ".join(f"{label}: {n}" for label, n in rows), rows)


def staff_second_factor(office: Office) -> Measure:
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    ids = _staff_ids(office)
    if not ids:
        return Measure(None)
    enrolled = set(TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True))
    enrolled |= set(WebAuthnCredential.objects.filter(user_id__in=ids, confirmed=True)
                    .values_list("user_id", flat=True))
    return Measure(_share(len(enrolled), len(ids)), _of(len(enrolled), len(ids), _("pegawai memakai verifikasi dua langkah")))


def workload(office: Office, span: Span) -> Measure:
    from satupintu.organization.models import StaffRole
    from satupintu.services.models import Application, Status

    officers = (StaffRole.objects.filter(office=office)
                .filter(Q(role__in=access.APPLICATION_OFFICE_WIDE - {Role.HEAD_OF_OFFICE})
                        | Q(role__in=access.UNIT_ROLES, unit__isnull=False))
                .values_list("user_id", flat=True).distinct().count())
    done = Application.objects.filter(office=office, status=Status.COMPLETED, closed_at__gte=span.start,
                                      closed_at__lt=span.end).count()
    if not officers or not done:
        return Measure(None)
    return Measure(round(done / officers, 1), ngettext("%(done)s permohonan selesai, %(n)s petugas layanan",
                                                       "%(done)s permohonan selesai, %(n)s petugas layanan", officers) % {
        "done": format_number(done), "n": officers})


def sla_on_time(office: Office, span: Span) -> Measure:
    """The breakthrough indicator (reform.indicators.on_time_rate: applications decided, completed or
    rejected, whose SLA clock stopped within its budget) over the year, and per unit."""
    f = indicators.on_time_rate(office, span.window)
    if not f.n:
        return Measure(None)
    rows = tuple((unit, f"{format_number(u.value, '%')} ({u.part}/{u.n})")
                 for unit, u in indicators.on_time_by_unit(office, span.window))
    return Measure(f.value, _of(f.part, f.n, _("permohonan diputus (selesai atau ditolak) tepat waktu")), rows)


def meetings_held(office: Office, span: Span) -> QuerySet[Any]:
    from satupintu.rakor.models import Meeting

    return Meeting.objects.filter(office=office, starts_at__gte=span.start, starts_at__lt=span.end)


def meetings_joined(office: Office, span: Span) -> QuerySet[Any]:
    """Meetings of offices above that gave this office follow-up actions (a Kanwil's Rakor for
    its Kankemenags): their minutes are this office's evidence too."""
    from satupintu.rakor.models import Meeting

    return (Meeting.objects.filter(decisions__actions__office=office, starts_at__gte=span.start,
                                   starts_at__lt=span.end).exclude(office=office).distinct())


def rakor_meetings(office: Office, span: Span) -> Measure:
    meetings = meetings_held(office, span)
    n = meetings.count()
    joined = meetings_joined(office, span).count()
    if not n and not joined:
        return Measure(None)
    with_minutes = meetings.filter(agenda__minutes__gt="").distinct().count()
    parts = [_of(with_minutes, n, _("rapat dengan notulen tertulis"))] if n else []
    if joined:
        parts.append(ngettext("%(n)s rapat kantor atasan dengan tindak lanjut untuk kantor ini",
                              "%(n)s rapat kantor atasan dengan tindak lanjut untuk kantor ini", joined) % {"n": joined})
    return Measure(n, "; ".join(parts))


def rakor_decisions_followed(office: Office, span: Span) -> Measure:
    from satupintu.rakor.models import Decision

    decisions = Decision.objects.filter(meeting__in=meetings_held(office, span))
    n = decisions.count()
    if not n:
        return Measure(None)
    followed = decisions.filter(Q(actions__isnull=False) | Q(adoptions__isnull=False)).distinct().count()
    return Measure(_share(followed, n), _of(followed, n, _("keputusan dengan tindak lanjut")))


def _reports(office: Office, span: Span) -> QuerySet[Any]:
    from satupintu.feedback.models import Report

    return Report.objects.filter(office=office, submitted_at__gte=span.start, submitted_at__lt=span.end)


def integrity_reports(office: Office, span: Span) -> tuple[Measure, Measure]:
    """(integrity reports received, share handled), per category; the reports themselves stay
    with the inspectorate."""
    from satupintu.feedback.models import ReportCategory, ReportStatus

    reports = list(_reports(office, span).filter(integrity=True)
                   .values_list("category", "status", "answered_at", "sla_used_seconds", "sla_budget_seconds"))
    if not reports:
        return Measure(None), Measure(None)
    labels = dict(ReportCategory.choices)
    per = Counter(str(labels.get(c, c)) for c, *_rest in reports)
    handled = [r for r in reports if r[2] is not None or r[1] in (ReportStatus.CLOSED, ReportStatus.REJECTED)]
    in_time = sum(1 for r in reports if r[2] is not None and r[3] <= r[4])
    received = Measure(len(reports), _("laporan pungli/gratifikasi dan perilaku petugas"),
                       tuple((k, format_number(v)) for k, v in sorted(per.items())))
    share = Measure(_share(len(handled), len(reports)), _of(len(handled), len(reports), _("laporan ditangani"))
                    + "; " + _("%(n)s dijawab dalam tenggat") % {"n": in_time})
    return received, share


def complaints_handled(office: Office, span: Span) -> tuple[Measure, Measure]:
    """(complaints answered within their deadline, median working hours to the answer)."""
    from satupintu.feedback.models import ReportKind

    rows = list(_reports(office, span).filter(kind=ReportKind.COMPLAINT, integrity=False)
                .values_list("answered_at", "sla_used_seconds", "sla_budget_seconds"))
    if not rows:
        return Measure(None), Measure(None)
    answered = [(used, budget) for at, used, budget in rows if at is not None]
    in_time = sum(1 for used, budget in answered if used <= budget)
    share = Measure(_share(in_time, len(rows)), _of(in_time, len(rows), _("pengaduan dijawab dalam tenggat"))
                    + "; " + _("%(n)s sudah dijawab") % {"n": len(answered)})
    if not answered:
        return share, Measure(None)
    hours = round(median(used for used, _budget in answered) / 3600, 1)
    return share, Measure(hours, ngettext("median dari %(n)s pengaduan yang dijawab", "median dari %(n)s pengaduan "
                                          "yang dijawab", len(answered)) % {"n": len(answered)})


def personal_data_audit(office: Office, span: Span) -> Measure:
    """Views of personal data held by this office (its applications, reports and WhatsApp
    conversations) recorded in the access audit, per month, and how many gave a reason."""
    from satupintu.core.models import PersonalDataAccess
    from satupintu.feedback.models import Report
    from satupintu.services.models import Application
    from satupintu.whatsapp.models import Conversation

    subjects = (Q(subject_type="application",
                  subject_ref__in=Application.objects.filter(office=office).values("tracking_code"))
                | Q(subject_type="report", subject_ref__in=Report.objects.filter(office=office).values("tracking_code"))
                | Q(subject_type="whatsapp", subject_ref__in=[
                    str(pk) for pk in Conversation.objects.filter(office=office).values_list("pk", flat=True)]))
    found = list(PersonalDataAccess.objects.filter(subjects, at__gte=span.start, at__lt=span.end)
                 .values_list("at", "reason"))
    if not found:
        return Measure(None)
    zone = ZoneInfo(office.timezone)
    per_month = Counter(at.astimezone(zone).month for at, _reason in found)
    with_reason = sum(1 for _at, reason in found if reason)
    rows = tuple((month_name(m), format_number(n)) for m, n in sorted(per_month.items()))
    return Measure(len(found), _("%(n)s dengan alasan tercatat; sisanya membuka berkas dalam tugas") % {
        "n": with_reason}, rows)


def ikm(office: Office, span: Span) -> tuple[Measure, Measure]:
    """(the index with its nine elements, the index per unit)."""
    from satupintu.feedback.selectors import Period, dashboard

    board = dashboard(office, Period(span.first_day, span.last_day))
    result = board.result
    if not result.respondents or result.ikm is None:
        return Measure(None), Measure(None)
    from satupintu.organization.models import Unit

    elements = tuple((f"{e.code.upper()} {_(e.name)}", f"NRR {format_number(e.average)}") for e in result.elements)
    index = Measure(result.ikm, ngettext("mutu %(grade)s (%(label)s), %(n)s responden",
                                        "mutu %(grade)s (%(label)s), %(n)s responden", result.respondents) % {
        "grade": result.grade, "label": _(result.grade_label or ""), "n": format_number(result.respondents)}, elements)
    unit_names = {u.code: u.local_name for u in Unit.objects.all()}
    units = tuple((unit_names.get(r.key, r.label), f"{format_number(r.result.ikm)} ({r.result.grade}), " + ngettext(
        "%(n)s responden", "%(n)s responden", r.result.respondents) % {"n": format_number(r.result.respondents)})
                  for r in board.units if r.result.ikm is not None)
    return index, Measure(len(units) or None, _("unit dengan hasil survei") if units else "", units)


def complaint_channels(office: Office) -> Measure:
    from satupintu.whatsapp.models import Number as WhatsAppNumber

    channels = [_("formulir pengaduan web Satu Pintu (/pengaduan/)"), _("SP4N-LAPOR! (lapor.go.id)")]
    line = WhatsAppNumber.objects.filter(office=office).first()
    if line is not None or office.whatsapp:
        channels.append(_("WhatsApp Layanan %(number)s") % {"number": (line.display_phone if line else "")
                                                            or office.whatsapp})
    return Measure(len(channels), "; ".join(channels))


def whatsapp_first_answer(office: Office, span: Span) -> Measure:
    from satupintu.whatsapp.models import Conversation
    from satupintu.whatsapp.selectors import TARGET_SECONDS, response_times

    rows = response_times(Conversation.objects.filter(office=office, waiting_since__gte=span.start,
                                                      waiting_since__lt=span.end), "office")
    if not rows:
        return Measure(None)
    row = rows[0]
    hours = TARGET_SECONDS // 3600
    within = ngettext("%(n)s jam kerja", "%(n)s jam kerja", hours) % {"n": hours}
    return Measure(row["median_minutes"], ngettext(
        "median; %(pct)s%% dijawab dalam %(within)s, %(n)s percakapan",
        "median; %(pct)s%% dijawab dalam %(within)s, %(n)s percakapan", row["answered"]) % {
        "pct": row["within_percent"], "within": within, "n": row["answered"]})
