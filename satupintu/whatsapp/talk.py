"""What the bot and its flows share: the menu, folding text, the owner check, the handoff to
a person (with the office's hours), local times."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core import clock
from satupintu.organization.models import Level, Office
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services.models import Application
from satupintu.whatsapp.models import Conversation, ConversationStatus
from satupintu.whatsapp.replies import Option, Reply


@dataclass
class Inbound:
    kind: str  # text, interactive, location, image, document, unsupported
    text: str = ""
    choice: str = ""  # the id of the button or row chosen
    latitude: float | None = None
    longitude: float | None = None
    media_message_ids: list[int] = field(default_factory=list)


def fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def menu(*, greeting: bool = False) -> Reply:
    intro = _("Selamat datang di WA Layanan Kementerian Agama. ") if greeting else ""
    return Reply(intro + _("Pilih layanan, atau ketik nomornya:"), button=_("Menu"), options=(
        Option("track", _("1. Lacak permohonan"), _("Status permohonan atau laporan dengan kode lacak")),
        Option("ask", _("2. Syarat layanan"), _("Persyaratan, waktu dan biaya layanan")),
        Option("report", _("3. Pengaduan"), _("Pengaduan, aspirasi atau pertanyaan")),
        Option("human", _("4. Bicara dengan petugas"), _("Pesan Anda dibaca petugas kantor")),
    ))


def local_time(moment: datetime | None, office: Office) -> str:
    if moment is None:
        return "-"
    local = moment.astimezone(ZoneInfo(office.timezone))
    return f"{clock.shown(local, 'j F Y H.i')} {office.timezone_label}"  # 14.30, or 14:30 in English


def is_owner(app: Application, wa_id: str) -> bool:
    return bool(app.phone) and app.phone.lstrip("+") == wa_id


def office_for_handoff(conv: Conversation) -> Office | None:
    """The office whose queue the conversation joins; for a merged office, the one that does its
    work now (Office.successor): nobody reads a merged office's queue."""
    for candidate in (conv.office, conv.number.office, getattr(conv.application, "office", None),
                      getattr(conv.report, "office", None)):
        if candidate is not None:
            return candidate.successor()
    return None


def handoff(conv: Conversation, now: datetime | None = None) -> list[Reply]:
    """To the office's queue. Outside its hours the citizen is told when it opens."""
    now = now or timezone.now()
    office = office_for_handoff(conv)
    if office is None:
        conv.state = {"flow": "handoff"}
        return [Reply(_("Kantor mana yang Anda tuju? Ketik nama kabupaten/kota, atau kirim lokasi Anda."))]
    conv.office = office
    if conv.status not in (ConversationStatus.WAITING, ConversationStatus.ASSIGNED):
        conv.status = ConversationStatus.WAITING
        conv.waiting_since = now
    calendar = WorkingCalendar.for_office(office)
    opening = calendar.next_opening(now)
    if opening > now:
        return [Reply(_("Pesan Anda sudah masuk antrean %(office)s. Kantor sedang tutup dan buka kembali %(when)s; "
                        "petugas akan membalas setelah itu.") % {"office": office.name, "when": local_time(opening, office)})]
    return [Reply(_("Baik, pesan Anda diteruskan ke petugas %(office)s. Mohon tunggu balasan di sini.")
                  % {"office": office.name})]


def office_levels() -> list[str]:
    return [Level.KANKEMENAG, Level.KANWIL]
