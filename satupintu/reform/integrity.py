"""The Zona Integritas evidence pack of one office and year: what Satu Pintu already holds,
sorted into the six areas of change of PermenPANRB 90/2021, for the office's self-assessment
(LKE). It reads the other apps' rows through their own functions and stores nothing.

The mapping (area -> what the product holds):

1. Manajemen Perubahan: breakthroughs (inovasi/terobosan) registered, with their indicators'
   before/after figures and evidence files (reform/); Rakor follow-up actions of the office
   closed by their due date (rakor/followups.py).
2. Penataan Tata Laksana: services the office offers online with a published procedure
   (services/catalog.py), the share of applications filed online rather than at the desk
   (assisted mode, services/applications.py), documents issued with an electronic signature
   (documents/).
3. Penataan Sistem Manajemen SDM: staff with a role in Satu Pintu, their second-factor
   enrolment (core/two_factor.py), applications completed per service officer.
4. Penguatan Akuntabilitas: applications completed within the SLA (services/sla.py: the clock
   stops at the final status, so used <= budget is "on time"), per unit; Rakor meetings held
   with minutes and decisions that got follow-up actions (rakor/).
5. Penguatan Pengawasan: integrity reports (illegal levies, gratuities, staff conduct:
   feedback.INTEGRITY_CATEGORIES, the inspectorate's) received and handled; complaints answered
   within their deadline and the working hours they took (feedback/reports.py runs the SLA
   clock on reports); personal-data views recorded in the access audit (core/privacy.py).
6. Peningkatan Kualitas Pelayanan Publik: the satisfaction index (IKM) per element and unit
   (feedback/selectors.py, ikm.py), service standards published complete, complaint channels,
   first answer on the office's WhatsApp line (whatsapp/selectors.py).

Only aggregates and documents without personal data go into the pack: no names, NIKs, phone
numbers or report texts; free text we show (a breakthrough's problem) is masked
(core.privacy.mask_free_text). So viewing or downloading it is not a personal-data access.
A figure the product has no rows for says so, with where to get it instead, never a 0.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError
from satupintu.organization import access
from satupintu.organization.models import Office, Role

FIRST_YEAR = 2015  # the oldest year a pack is made for (PermenPANRB 52/2014 was in force)
PACK_ROLES = {Role.HEAD_OF_OFFICE, Role.ADMIN, Role.INSPECTORATE}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")

Number = int | float | Decimal


# --- what a pack is made of -----------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    """One figure over one span: ``value`` None means Satu Pintu holds no rows for it."""

    value: Number | None
    detail: str = ""
    rows: tuple[tuple[str, str], ...] = ()  # a breakdown (per unit, per month...): (label, text)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str  # "%", "jam kerja", "" (a count)
    current: Measure
    previous: Measure | None  # the year before, where it is cheap to read
    source: str
    period: str
    missing: str  # what to say (and attach instead) when there is no data

    @property
    def has_data(self) -> bool:
        return self.current.value is not None


@dataclass(frozen=True)
class DocumentRef:
    """A document the product holds. ``kind`` tells the ZIP how to get it: "skm_report",
    "minutes" (ref: meeting id), "evidence" (ref: evidence id), or "listed" (named in the index
    only, with ``note`` saying why and where it is)."""

    title: str
    kind: str
    ref: int | None = None
    filename: str = ""  # the safe name inside the area folder ("" for listed ones)
    note: str = ""


@dataclass(frozen=True)
class Innovation:
    title: str
    unit: str
    started_on: date
    problem: str  # masked
    indicators: tuple[str, ...]
    effects: tuple[tuple[str, str], ...] | None  # (indicator, before -> after); None: not measured yet
    evidence: int


@dataclass
class Area:
    number: int
    slug: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    absent_documents: str = ""  # when the product holds no document for this area

    @property
    def folder(self) -> str:
        return f"{self.number}-{self.slug}"

    @property
    def with_data(self) -> int:
        return sum(1 for f in self.figures if f.has_data)

    @property
    def percent(self) -> int:
        return round(100 * self.with_data / len(self.figures)) if self.figures else 0


@dataclass
class Pack:
    office: Office
    year: int
    start: date
    end: date  # the last day counted (today for the running year)
    generated_at: datetime
    areas: list[Area]
    innovations: list[Innovation]

    @property
    def stem(self) -> str:
        return f"zona-integritas-{self.office.code}-{self.year}"


# --- who sees which office's pack -----------------------------------------------------------------

def pack_offices(user: access.User) -> QuerySet[Office]:
    """The offices whose pack this person may see: heads, administrators and the inspectorate
    their own office; at a Kanwil also the offices below it; at Pusat (and superusers) all."""
    if getattr(user, "is_superuser", False):
        return Office.objects.all()
    ids: set[int] = set()
    for r in access.staff_roles(user):
        if r.role not in PACK_ROLES:
            continue
        if r.office.level == "pusat":
            return Office.objects.all()
        ids.add(r.office_id)
        if r.office.level == "kanwil":
            ids.update(Office.objects.filter(parent_id=r.office_id).values_list("pk", flat=True))
    return Office.objects.filter(pk__in=ids)


def may_make_packs(user: access.User) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(r.role in PACK_ROLES for r in access.staff_roles(user))


def parse_year(raw: str | None, *, office: Office) -> int:
    """The year asked for (default: this year in the office's zone), or a DomainError."""
    this_year = timezone.now().astimezone(ZoneInfo(office.timezone)).year
    if raw is None or raw == "":
        return this_year
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= this_year:
        raise DomainError("invalid_year", "Tahun harus berupa angka dari %(first)d sampai %(last)d.",
                          field="tahun", params={"first": FIRST_YEAR, "last": this_year})
    return int(raw)


# --- formatting -----------------------------------------------------------------------------------

def format_number(value: Number | None, unit: str = "") -> str:
    """Indonesian notation ("85,20", "1.234"); a percentage with one decimal."""
    if value is None:
        return "-"
    if isinstance(value, int):
        text = f"{value:,}".replace(",", ".")
    else:
        places = 1 if unit in ("%", "jam kerja", "menit") else 2
        q = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{q:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def long_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


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
    return Measure(new, _("%(n)s terobosan berjalan s.d. akhir periode") % {"n": running})


def rakor_actions_on_time(office: Office, span: Span) -> Measure:
    from satupintu.rakor.models import Action, ActionStatus

    actions = list(Action.objects.filter(office=office, due_date__gte=span.first_day, due_date__lte=span.last_day)
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
    from satupintu.services.models import Application

    apps = Application.objects.filter(office=office, submitted_at__gte=span.start, submitted_at__lt=span.end)
    total = apps.count()
    if not total:
        return Measure(None)
    online = apps.filter(assisted_by__isnull=True).count()
    return Measure(_share(online, total), _of(online, total, _("permohonan diajukan daring")))


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
    return Measure(len(ids), _("pegawai dengan peran di Satu Pintu"), rows)


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
    return Measure(round(done / officers, 1), _("%(done)s permohonan selesai, %(n)s petugas layanan") % {
        "done": format_number(done), "n": officers})


def sla_on_time(office: Office, span: Span) -> Measure:
    """Completed applications whose SLA clock stopped within its budget, and per unit."""
    from satupintu.services.models import Application, Status

    done = list(Application.objects.filter(office=office, status=Status.COMPLETED, closed_at__gte=span.start,
                                           closed_at__lt=span.end)
                .values_list("unit__name", "sla_used_seconds", "sla_budget_seconds"))
    if not done:
        return Measure(None)
    per_unit: dict[str, list[int]] = {}
    for unit, used, budget in done:
        counts = per_unit.setdefault(unit, [0, 0])
        counts[0] += used <= budget
        counts[1] += 1
    on_time = sum(c[0] for c in per_unit.values())
    rows = tuple((unit, f"{format_number(_share(a, n), '%')} ({a}/{n})") for unit, (a, n) in sorted(per_unit.items()))
    return Measure(_share(on_time, len(done)), _of(on_time, len(done), _("permohonan selesai tepat waktu")), rows)


def _meetings(office: Office, span: Span) -> QuerySet[Any]:
    from satupintu.rakor.models import Meeting

    return Meeting.objects.filter(office=office, starts_at__gte=span.start, starts_at__lt=span.end)


def rakor_meetings(office: Office, span: Span) -> Measure:
    meetings = _meetings(office, span)
    n = meetings.count()
    if not n:
        return Measure(None)
    with_minutes = meetings.filter(agenda__minutes__gt="").distinct().count()
    return Measure(n, _of(with_minutes, n, _("rapat dengan notulen tertulis")))


def rakor_decisions_followed(office: Office, span: Span) -> Measure:
    from satupintu.rakor.models import Decision

    decisions = Decision.objects.filter(meeting__in=_meetings(office, span))
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
    return share, Measure(hours, _("median dari %(n)s pengaduan yang dijawab") % {"n": len(answered)})


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
    rows = tuple((MONTHS[m - 1], format_number(n)) for m, n in sorted(per_month.items()))
    return Measure(len(found), _("%(n)s dengan alasan tercatat; sisanya membuka berkas dalam tugas") % {
        "n": with_reason}, rows)


def ikm(office: Office, span: Span) -> tuple[Measure, Measure]:
    """(the index with its nine elements, the index per unit)."""
    from satupintu.feedback.selectors import Period, dashboard

    board = dashboard(office, Period(span.first_day, span.last_day))
    result = board.result
    if not result.respondents or result.ikm is None:
        return Measure(None), Measure(None)
    elements = tuple((f"{e.code.upper()} {e.name}", f"NRR {format_number(e.average)}") for e in result.elements)
    index = Measure(result.ikm, _("mutu %(grade)s (%(label)s), %(n)s responden") % {
        "grade": result.grade, "label": result.grade_label, "n": format_number(result.respondents)}, elements)
    units = tuple((r.label, f"{format_number(r.result.ikm)} ({r.result.grade}), {r.result.respondents} responden")
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
    return Measure(row["median_minutes"], _("median; %(pct)s%% dijawab dalam %(h)s jam kerja, %(n)s percakapan") % {
        "pct": row["within_percent"], "h": TARGET_SECONDS // 3600, "n": row["answered"]})


# --- the innovations and their before/after figures --------------------------------------------------

def breakthrough_effects(breakthrough: Any) -> tuple[tuple[str, str], ...] | None:
    """Before/after figures of a breakthrough's indicators from reform.indicators (the
    breakthroughs part), or None while that is not there (the breakthrough is listed without)."""
    try:
        from satupintu.reform.indicators import before_after  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return tuple((str(e.label), f"{format_number(e.before, e.unit)} -> {format_number(e.after, e.unit)}"
                  + (f" ({e.message})" if e.message else "")) for e in before_after(breakthrough))


def innovations(office: Office, span: Span) -> tuple[list[Innovation], list[DocumentRef]]:
    from satupintu.core.privacy import mask_free_text
    from satupintu.reform.models import Breakthrough

    found = list(Breakthrough.objects.filter(office=office, started_on__lte=span.last_day)
                 .select_related("unit").prefetch_related("indicators__service", "evidence")
                 .order_by("started_on", "pk"))
    out: list[Innovation] = []
    docs: list[DocumentRef] = []
    for b in found:
        evidence = list(b.evidence.all())
        out.append(Innovation(
            title=b.title, unit=b.unit.name if b.unit else _("Seluruh kantor"), started_on=b.started_on,
            problem=mask_free_text(b.problem), effects=breakthrough_effects(b), evidence=len(evidence),
            indicators=tuple(str(i) + (f" ({i.service.name})" if i.service else "") for i in b.indicators.all())))
        for e in evidence:
            if e.file:
                docs.append(DocumentRef(f"{b.title}: {e.title}", "evidence", e.pk,
                                        evidence_filename(b.pk, b.title, e.pk, e.title, e.file.name)))
            elif e.link:
                docs.append(DocumentRef(f"{b.title}: {e.title}", "listed", e.pk, note=e.link))
    return out, docs


def evidence_filename(breakthrough_id: int, breakthrough_title: str, evidence_id: int, title: str,
                      stored_name: str) -> str:
    return f"bukti-terobosan/{breakthrough_id}-{safe_name(breakthrough_title)}/{evidence_id}-{safe_name(title)}" \
           f"{safe_extension(stored_name)}"


SAFE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp",
                   ".mp4", ".txt", ".csv"}


def safe_name(title: str, limit: int = 60) -> str:
    """A file or folder name from a title anyone typed: ASCII letters, digits and dashes only,
    so "../../etc/passwd" is "etc-passwd" and can never leave its folder."""
    from django.utils.text import slugify

    return slugify(title)[:limit].strip("-") or "berkas"


def safe_extension(stored_name: str) -> str:
    from pathlib import PurePosixPath

    suffix = PurePosixPath(stored_name).suffix.lower()
    return suffix if suffix in SAFE_EXTENSIONS else ".bin"


# --- the pack ---------------------------------------------------------------------------------------

def _figure(key: str, label: str, unit: str, current: Measure, previous: Measure | None, source: str,
            period: str, missing: str) -> Figure:
    return Figure(key, label, unit, current, previous, source, period, missing)


def _no_data(where: str) -> str:
    return _("Belum ada data di Satu Pintu: lampirkan dari %(where)s.") % {"where": where}


def build_pack(office: Office, year: int, *, now: datetime | None = None) -> Pack:
    """Every figure and document of ``office`` for ``year`` (the year before beside it)."""
    now = now or timezone.now()
    cur, prev = Span.of(office, year, now), Span.of(office, year - 1, now)
    today = _("per %(date)s") % {"date": long_date(now.astimezone(ZoneInfo(office.timezone)).date())}
    p = cur.label

    def twice(fn: Any) -> tuple[Measure, Measure]:
        return fn(office, cur), fn(office, prev)

    inn, evidence_docs = innovations(office, cur)
    a1 = Area(1, "manajemen-perubahan", _("Manajemen Perubahan"), [
        _figure("breakthroughs", _("Terobosan/inovasi baru terdaftar"), "", *twice(breakthroughs_registered),
                _("Satu Pintu: Terobosan (reform)"), p, _no_data(_("dokumen inovasi unit (SK tim, laporan inovasi)"))),
        _figure("rakor_on_time", _("Tindak lanjut Rakor selesai tepat waktu"), "%", *twice(rakor_actions_on_time),
                _("Satu Pintu: Rakor, tindak lanjut kantor (tenggat dalam periode)"), p,
                _no_data(_("laporan tindak lanjut rapat koordinasi"))),
    ], evidence_docs, absent_documents=_no_data(_("dokumen rencana kerja dan agen perubahan")))
    online, standard = services_online(office)
    a2 = Area(2, "penataan-tata-laksana", _("Penataan Tata Laksana"), [
        _figure("services_online", _("Layanan dapat diajukan daring"), "", online, None,
                _("Satu Pintu: katalog layanan kantor"), today, _no_data(_("daftar SOP layanan"))),
        _figure("online_share", _("Permohonan diajukan daring (bukan dibantu di loket)"), "%", *twice(online_share),
                _("Satu Pintu: permohonan"), p, _no_data(_("rekap permohonan loket"))),
        _figure("signed_documents", _("Dokumen layanan bertanda tangan elektronik (TTE) terbit"), "",
                *twice(signed_documents), _("Satu Pintu: dokumen terbit"), p,
                _no_data(_("arsip surat keluar bertanda tangan elektronik"))),
    ], [DocumentRef(_("Dokumen TTE yang terbit (jumlah di atas)"), "listed",
                    note=_("Tidak disertakan: memuat nama penerima. Dapat diperiksa di /petugas/dokumen/."))])
    a3 = Area(3, "penataan-sistem-manajemen-sdm", _("Penataan Sistem Manajemen SDM"), [
        _figure("staff", _("Pegawai dengan peran di Satu Pintu"), "", staff_roles_held(office), None,
                _("Satu Pintu: peran pegawai"), today, _no_data(_("SIMPEG (data pegawai)"))),
        _figure("second_factor", _("Pegawai memakai verifikasi dua langkah"), "%", staff_second_factor(office), None,
                _("Satu Pintu: keamanan akun pegawai"), today, _no_data(_("SIMPEG (data pegawai)"))),
        _figure("workload", _("Permohonan selesai per petugas layanan"), "", *twice(workload),
                _("Satu Pintu: permohonan dan peran pegawai"), p, _no_data(_("analisis beban kerja (ABK)"))),
    ], absent_documents=_no_data(_("SIMPEG, SKP dan rekap diklat pegawai")))
    a4 = Area(4, "penguatan-akuntabilitas", _("Penguatan Akuntabilitas"), [
        _figure("sla_on_time", _("Permohonan selesai tepat waktu (SLA)"), "%", *twice(sla_on_time),
                _("Satu Pintu: jam SLA permohonan (hari kerja kantor)"), p, _no_data(_("rekap penyelesaian layanan"))),
        _figure("rakor_meetings", _("Rapat koordinasi diselenggarakan"), "", *twice(rakor_meetings),
                _("Satu Pintu: Rakor"), p, _no_data(_("notulen rapat koordinasi"))),
        _figure("rakor_decisions", _("Keputusan Rakor yang ditindaklanjuti"), "%", *twice(rakor_decisions_followed),
                _("Satu Pintu: Rakor, keputusan dan tindak lanjut"), p, _no_data(_("notulen rapat koordinasi"))),
    ], _minutes_documents(office, cur), absent_documents=_no_data(_("LAKIP, perjanjian kinerja dan notulen rapat")))
    received, handled = integrity_reports(office, cur)
    received_prev, handled_prev = integrity_reports(office, prev)
    complaints, hours = complaints_handled(office, cur)
    complaints_prev, hours_prev = complaints_handled(office, prev)
    a5 = Area(5, "penguatan-pengawasan", _("Penguatan Pengawasan"), [
        _figure("integrity_received", _("Laporan integritas diterima (pungli, gratifikasi, perilaku petugas)"), "",
                received, received_prev, _("Satu Pintu: pengaduan kategori integritas (Inspektorat)"), p,
                _no_data(_("register pengendalian gratifikasi dan WBS"))),
        _figure("integrity_handled", _("Laporan integritas ditangani"), "%", handled, handled_prev,
                _("Satu Pintu: pengaduan kategori integritas (Inspektorat)"), p,
                _no_data(_("register pengendalian gratifikasi dan WBS"))),
        _figure("complaints_in_time", _("Pengaduan dijawab dalam tenggat"), "%", complaints, complaints_prev,
                _("Satu Pintu: pengaduan (tahapan SP4N-LAPOR!)"), p, _no_data(_("rekap SP4N-LAPOR!"))),
        _figure("complaint_hours", _("Lama penanganan pengaduan"), "jam kerja", hours, hours_prev,
                _("Satu Pintu: jam SLA pengaduan"), p, _no_data(_("rekap SP4N-LAPOR!"))),
        _figure("personal_data_audit", _("Akses data pribadi tercatat di log audit"), "",
                *twice(personal_data_audit), _("Satu Pintu: log akses data pribadi"), p,
                _no_data(_("catatan akses data pribadi aplikasi lain"))),
    ], [DocumentRef(_("Laporan integritas dan pengaduan"), "listed",
                    note=_("Tidak disertakan: memuat identitas pelapor. Hanya angka di atas."))])
    index, units = ikm(office, cur)
    index_prev, _units_prev = ikm(office, prev)
    a6 = Area(6, "peningkatan-kualitas-pelayanan-publik", _("Peningkatan Kualitas Pelayanan Publik"), [
        _figure("ikm", _("Indeks Kepuasan Masyarakat (IKM)"), "", index, index_prev,
                _("Satu Pintu: Survei Kepuasan Masyarakat (PermenPANRB 14/2017)"), p,
                _no_data(_("laporan SKM dari survei kertas atau aplikasi lain"))),
        _figure("ikm_units", _("IKM per unit"), "", units, None, _("Satu Pintu: Survei Kepuasan Masyarakat"), p,
                _no_data(_("laporan SKM per unit"))),
        _figure("standards", _("Standar pelayanan dipublikasikan lengkap"), "%", standard, None,
                _("Satu Pintu: katalog layanan kantor"), today, _no_data(_("maklumat dan standar pelayanan"))),
        _figure("channels", _("Kanal pengaduan tersedia"), "", complaint_channels(office), None,
                _("Satu Pintu: profil kantor"), today, _no_data(_("daftar kanal pengaduan"))),
        _figure("whatsapp_answer", _("Waktu tanggap pertama WhatsApp Layanan"), "menit",
                *twice(whatsapp_first_answer), _("Satu Pintu: kotak masuk WhatsApp"), p,
                _no_data(_("catatan layanan WhatsApp kantor"))),
    ], [DocumentRef(_("Laporan SKM %(office)s %(year)s") % {"office": office.name, "year": year}, "skm_report",
                    filename=f"laporan-skm-{safe_name(office.code.replace('.', '-'))}-{year}.pdf")] if index.value is not None else [],
        absent_documents=_no_data(_("laporan SKM")))
    return Pack(office, year, cur.first_day, cur.last_day, now, [a1, a2, a3, a4, a5, a6], inn)


def _minutes_documents(office: Office, span: Span) -> list[DocumentRef]:
    docs = []
    for m in _meetings(office, span).order_by("starts_at", "pk"):
        local = m.starts_at.astimezone(ZoneInfo(office.timezone)).date()
        docs.append(DocumentRef(_("Notulen: %(title)s (%(date)s)") % {"title": m.title, "date": long_date(local)},
                                "minutes", m.pk, f"notulen-rakor/{local:%Y-%m-%d}-{m.pk}-{safe_name(m.title)}.pdf"))
    return docs
