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
4. Penguatan Akuntabilitas: applications decided (completed or rejected) within the SLA, read by
   the breakthrough indicator reform.indicators.on_time_rate (services/sla.py: the clock
   stops at the final status, so used <= budget is "on time"), per unit; Rakor meetings held
   with minutes and decisions that got follow-up actions (rakor/).
5. Penguatan Pengawasan: integrity reports (illegal levies, gratuities, staff conduct:
   feedback.INTEGRITY_CATEGORIES, the inspectorate's) received and handled; complaints answered
   within their deadline and the working hours they took (feedback/reports.py runs the SLA
   clock on reports); personal-data views recorded in the access audit (core/privacy.py).
6. Peningkatan Kualitas Pelayanan Publik: the satisfaction index (IKM) per element and unit
   (feedback/selectors.py, ikm.py), service standards published complete, complaint channels,
   first answer on the office's WhatsApp line (whatsapp/selectors.py).

What the pack holds, and why it is not a personal-data access. It is made to be handed on (to
the evaluation team, into the LKE), so it carries what the office's own systems made:
aggregates; breakthrough titles and problems with NIKs and phone numbers masked
(core.privacy.mask_free_text: free text anyone typed); the SKM report (aggregates); the minutes
of the year's Rakor meetings as recorded (discussion notes in the organiser's words, which may
name officials; attendance per office, not per person); and titles of documents it does not carry. No citizen's name, NIK, phone
number, report text, issued document, or uploaded file goes in.

Breakthrough evidence FILES are listed, not packed. They are uploads nobody screened (a photo of
the desk with citizens at it, a scanned register), and a privacy officer applies data
minimisation to a bundle that leaves the ministry: the office opens each file on the
breakthrough page, checks it, and attaches what is clean. Recording the download as a
personal-data access (core.privacy.record_access) was the other choice; it was not taken
because a log line does not take the data back once the ZIP is sent on, every head's routine
download would read as a personal-data access in the audit (and inflate this very pack's
area 5 figure), and it would turn an aggregate pack into one that needs a reason to download.
A figure the product has no rows for says so, with where to get it instead, never a 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core import numbers
from satupintu.core.errors import DomainError
from satupintu.core.numbers import typed_int
from satupintu.organization import access
from satupintu.organization.models import Office, Role
from satupintu.reform.integrity_figures import (
    Measure,
    Span,
    breakthroughs_registered,
    complaint_channels,
    complaints_handled,
    format_number,
    ikm,
    integrity_reports,
    long_date,
    meetings_held,
    meetings_joined,
    online_share,
    personal_data_audit,
    rakor_actions_on_time,
    rakor_decisions_followed,
    rakor_meetings,
    services_online,
    signed_documents,
    sla_on_time,
    staff_roles_held,
    staff_second_factor,
    whatsapp_first_answer,
    workload,
)

FIRST_YEAR = 2015  # the oldest year a pack is made for (PermenPANRB 52/2014 was in force)
PACK_ROLES = {Role.HEAD_OF_OFFICE, Role.ADMIN, Role.INSPECTORATE}


# --- what a pack is made of -----------------------------------------------------------------------

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

    @property
    def text(self) -> str:
        """The value as people read it ("50,0%", "79,17", "3"); "-" without data."""
        return format_number(self.current.value, self.unit)

    @property
    def previous_text(self) -> str:
        return format_number(self.previous.value, self.unit) if self.previous is not None else "-"


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
    effects: tuple[tuple[str, str], ...]  # (indicator, before -> after, or why there is no figure)
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
        return numbers.percent(self.with_data, len(self.figures)) if self.figures else 0


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
    year = typed_int(raw)
    if year is None or not FIRST_YEAR <= year <= this_year:
        raise DomainError("invalid_year", "Tahun harus berupa angka dari %(first)d sampai %(last)d.",
                          field="tahun", params={"first": FIRST_YEAR, "last": this_year})
    return year


# --- the innovations and their before/after figures --------------------------------------------------

def breakthrough_effects(breakthrough: Any, last_day: date) -> tuple[tuple[str, str], ...]:
    """Before/after figures of a breakthrough's indicators (``reform.indicators``), the "after"
    window ending with the pack's year so a past year's pack reads as it did then."""
    from satupintu.organization.working_calendar import office_today
    from satupintu.reform.indicators import before_after

    today = min(office_today(breakthrough.office), last_day)  # the office's date, not the server's
    return tuple((str(e.label), _effect_text(e)) for e in before_after(breakthrough, today=today))


def _effect_text(e: Any) -> str:
    """"3.0 days -> 1.0 day", with why a figure is missing; only why when neither is there
    (it read "- -> - (No data yet …)")."""
    if e.before is None and e.after is None:
        return str(e.message or "—")
    return (f"{format_number(e.before, e.unit)} -> {format_number(e.after, e.unit)}"
            + (f" ({e.message})" if e.message else ""))


def innovations(office: Office, span: Span) -> tuple[list[Innovation], list[DocumentRef]]:
    from satupintu.core.privacy import mask_free_text
    from satupintu.reform.selectors import office_breakthroughs

    found = list(office_breakthroughs(office).filter(started_on__lte=span.last_day).order_by("started_on", "pk"))
    out: list[Innovation] = []
    docs: list[DocumentRef] = []
    for b in found:
        evidence = list(b.evidence.all())
        title = mask_free_text(b.title)  # typed by anyone, like the problem
        out.append(Innovation(
            title=title, unit=b.unit.local_name if b.unit else _("Seluruh kantor"), started_on=b.started_on,
            problem=mask_free_text(b.problem), effects=breakthrough_effects(b, span.last_day), evidence=len(evidence),
            indicators=tuple(str(i) + (f" ({i.service.local_name})" if i.service else "") for i in b.indicators.all())))
        for e in evidence:
            what = f"{title}: {mask_free_text(e.title)}"
            if e.file:  # listed, not packed: see the module docstring
                docs.append(DocumentRef(what, "listed", e.pk, note=_(
                    "Berkas bukti tidak disertakan karena belum diperiksa dari data pribadi: buka di "
                    "/terobosan/%(id)s/#bukti, periksa, lalu lampirkan.") % {"id": b.pk}))
            elif e.link:
                docs.append(DocumentRef(what, "listed", e.pk, note=e.link))
    return out, docs


def safe_name(title: str, limit: int = 60) -> str:
    """A file or folder name from a title anyone typed: ASCII letters, digits and dashes only,
    so "../../etc/passwd" is "etc-passwd" and can never leave its folder."""
    from django.utils.text import slugify

    return slugify(title)[:limit].strip("-") or "berkas"


# --- the pack ---------------------------------------------------------------------------------------

def _figure(key: str, label: str, unit: str, current: Measure, previous: Measure | None, source: str,
            period: str, missing: str) -> Figure:
    return Figure(key, label, unit, current, previous, source, period, missing)


def _no_data(where: str) -> str:
    return _("Belum ada data di Satu Pintu: lampirkan dari %(where)s.") % {"where": where}


def build_pack(office: Office, year: int, *, now: datetime | None = None, viewer: Any = None) -> Pack:
    """Every figure and document of ``office`` for ``year`` (the year before beside it), as
    ``viewer`` may see them (minutes follow Rakor's rule; None: the office's own view)."""
    now = now or timezone.now()
    cur, prev = Span.of(office, year, now), Span.of(office, year - 1, now)
    today = _("per %(date)s") % {"date": long_date(now.astimezone(ZoneInfo(office.timezone)).date())}
    p = cur.label

    def twice(fn: Any) -> tuple[Measure, Measure]:
        return fn(office, cur), fn(office, prev)

    inn, evidence_docs = innovations(office, cur)
    a1 = Area(1, "manajemen-perubahan", _("Manajemen Perubahan"), [
        _figure("breakthroughs", _("Terobosan/inovasi baru terdaftar"), "", *twice(breakthroughs_registered),
                _("Satu Pintu: Terobosan"), p, _no_data(_("dokumen inovasi unit (SK tim, laporan inovasi)"))),
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
    ], _minutes_documents(office, cur, viewer), absent_documents=_no_data(_("LAKIP, perjanjian kinerja dan notulen rapat")))
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


def _minutes_documents(office: Office, span: Span, viewer: Any = None) -> list[DocumentRef]:
    """The minutes of the office's meetings; one the viewer may not open in Rakor (an office's
    internal meeting, for the Kanwil above) is named by its date only, without its file."""
    from satupintu.rakor.followups import visible_meetings

    docs = []
    held, joined = list(meetings_held(office, span)), list(meetings_joined(office, span))
    visible = visible_meetings(viewer, held + joined) if viewer is not None else set()
    for m in sorted(held + joined, key=lambda m: (m.starts_at, m.pk)):
        local = m.starts_at.astimezone(ZoneInfo(office.timezone)).date()
        if viewer is not None and m.pk not in visible:
            docs.append(DocumentRef(_("Notulen rapat (%(date)s)") % {"date": long_date(local)}, "listed",
                                    note=_("Rapat internal kantor: notulennya hanya dapat dibuka oleh kantor itu.")))
            continue
        docs.append(DocumentRef(_("Notulen: %(title)s (%(date)s)") % {"title": m.title, "date": long_date(local)},
                                "minutes", m.pk, f"notulen-rakor/{local:%Y-%m-%d}-{m.pk}-{safe_name(m.title)}.pdf"))
    return docs
