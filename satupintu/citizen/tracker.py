"""Who looked at my data: the access audit (core.PersonalDataAccess) about one person's things.

Only records about the person's own things: the tracking codes of their applications and
reports (citizen/home.py decides what is theirs, by account and proven phone) and the WhatsApp
conversations of their proven phones. Each shows the office and role of who looked, when, what
and why, never the officer's name: officers act for their office, and the person's recourse
(the office, the inspectorate, a complaint) can identify the officer from the same record; a
name shown to the public would expose staff doing their job to pressure, and is the officer's
own personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.citizen.claims import phones_of
from satupintu.citizen.home import applications_of, reports_of
from satupintu.core.models import PersonalDataAccess
from satupintu.core.privacy import REVEAL_REASONS
from satupintu.organization.models import StaffRole

SUBJECT_LABELS = {"application": _("Permohonan"), "report": _("Laporan"), "whatsapp": _("Percakapan WhatsApp")}


@dataclass(frozen=True)
class Record:
    at: datetime
    subject: Any
    subject_ref: str  # the tracking code (blank for a WhatsApp conversation: its id means nothing to them)
    what: str
    who: str  # "Kankemenag Luwu Utara · Petugas unit"
    reason: str
    timezone: str = "Asia/Jakarta"  # the subject's office's: the time reads as the office's other pages do


# What was opened, as the audit stores it (core.privacy.record_access callers), in the reader's words:
# fixed phrases, and "berkas <requirement code>" / "lampiran <file>" / "berkas pesan <id>".
WHAT_LABELS = {
    "identitas pemohon": _("identitas pemohon"),
    "identitas pelapor": _("identitas pelapor"),
    "isi percakapan WhatsApp": _("isi percakapan WhatsApp"),
    "nomor WhatsApp warga": _("nomor WhatsApp warga"),
}


def _what(access: PersonalDataAccess, requirement_names: dict[str, str]) -> str:
    if access.what in WHAT_LABELS:
        return str(WHAT_LABELS[access.what])
    if m := re.fullmatch(r"berkas (\S+)", access.what):
        # A requirement by its name ("berkas ijazah_asli" showed the software's code).
        return str(_("berkas %(name)s")) % {"name": requirement_names.get(m.group(1), m.group(1))}
    if m := re.fullmatch(r"lampiran (.+)", access.what, re.S):
        return str(_("lampiran %(name)s")) % {"name": m.group(1)}
    if access.what.startswith("berkas pesan "):
        return str(_("berkas pesan"))
    return access.what


def _who(user_id: int | None, roles: dict[int, list[StaffRole]], office_id: int | None) -> str:
    """The officer's office and role (the one at the subject's office when they hold several)."""
    held = roles.get(user_id or 0, [])
    if not held:
        return str(_("Administrator sistem"))
    role = next((r for r in held if r.office_id == office_id), held[0])
    return f"{role.office.name} · {role.get_role_display()}"


def _reason(access: PersonalDataAccess) -> str:
    if not access.reason:
        # Opening a file asks for no reason (the task is the reason); reveals did before 2027.
        return str(_("Tidak dicatat (membuka berkas, atau sebelum alasan diwajibkan)"))
    label = str(REVEAL_REASONS.get(access.reason, access.reason))
    return f"{label}: {access.reason_note}" if access.reason_note else label


def records_for(user: Any) -> list[Record]:
    from satupintu.organization.models import Office
    from satupintu.services.models import Requirement

    phones = phones_of(user)
    owned = list(applications_of(user, phones).values_list("tracking_code", "office_id", "service_id"))
    apps = {code: office for code, office, _ in owned}
    reps = dict(reports_of(phones).values_list("tracking_code", "office_id"))
    convs: dict[str, int | None] = {}
    if phones:
        from satupintu.whatsapp.models import Conversation

        convs = {str(pk): office for pk, office in Conversation.objects.filter(
            wa_id__in=[p.lstrip("+") for p in phones]).values_list("pk", "office_id")}
    if not (apps or reps or convs):
        return []
    accesses = list(PersonalDataAccess.objects.filter(
        Q(subject_type="application", subject_ref__in=list(apps)) | Q(subject_type="report", subject_ref__in=list(reps))
        | Q(subject_type="whatsapp", subject_ref__in=list(convs))).order_by("-at")[:500])
    roles: dict[int, list[StaffRole]] = {}
    for role in StaffRole.objects.select_related("office").filter(user_id__in={a.user_id for a in accesses}):
        roles.setdefault(role.user_id, []).append(role)
    offices = {"application": apps, "report": reps, "whatsapp": convs}
    zones = dict(Office.objects.filter(pk__in={o for kind in offices.values() for o in kind.values() if o})
                 .values_list("pk", "timezone"))
    service_of = {code: service for code, _, service in owned}
    names: dict[int, dict[str, str]] = {}
    for r in Requirement.objects.filter(service_id__in=set(service_of.values()), office__isnull=True):
        names.setdefault(r.service_id, {})[r.code] = r.local_name
    return [Record(at=a.at, subject=SUBJECT_LABELS.get(a.subject_type, a.subject_type),
                   subject_ref="" if a.subject_type == "whatsapp" else a.subject_ref,
                   what=_what(a, names.get(service_of.get(a.subject_ref, 0), {}) if a.subject_type == "application"
                              else {}),
                   who=_who(a.user_id, roles, offices[a.subject_type].get(a.subject_ref)), reason=_reason(a),
                   timezone=zones.get(offices[a.subject_type].get(a.subject_ref) or 0, "Asia/Jakarta"))
            for a in accesses]
