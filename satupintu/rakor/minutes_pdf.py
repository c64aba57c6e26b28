"""The minutes (notulen) of a meeting as a PDF: the meeting, who came, the minutes per agenda
item, and the decisions with their follow-up actions, times in the office's zone."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from satupintu.core import pdf_style, pdftext
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import Meeting

STATE_LABEL = {"done": "selesai", "on_track": "berjalan", "late": "terlambat", "not_started": "belum mulai"}
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def _when(meeting: Meeting) -> str:
    zone = ZoneInfo(meeting.office.timezone)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    day = f"{DAYS[start.weekday()]}, {start.day} {MONTHS[start.month - 1]} {start.year}"
    return f"{day}, {start:%H.%M}-{end:%H.%M} {meeting.office.timezone_label}"


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes in Indonesian, whatever language the page that asked for them was in (a record
    of the meeting, filed as such: "Jenis: Coordination meeting" read on an English page)."""
    with translation.override("id"):
        return _minutes_pdf(meeting)


def _minutes_pdf(meeting: Meeting) -> bytes:
    st = pdf_style.styles()
    total, per_office = meetings.attendance_counts(meeting)
    by_method = meetings.attendance_by_method(meeting)
    rows = [["Penyelenggara", meeting.office.name], ["Jenis", meeting.get_type_display()],
            ["Waktu", _when(meeting)], ["Tempat", meeting.venue or meeting.get_mode_display()],
            ["Peserta hadir", f"{total} tercatat ({by_method['qr']} di tempat, {by_method['link']} daring)"
             + (f"; {meeting.participants_reported} dilaporkan" if meeting.participants_reported else "")]]
    if meeting.theme:
        rows.insert(1, ["Tema", meeting.theme])
    info = Table([[k, Paragraph(pdftext.text(v), st["p"])] for k, v in rows], colWidths=[38 * mm, 132 * mm])
    info.setStyle(TableStyle([("FONT", (0, 0), (0, -1), "Helvetica-Bold", 9.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LINEBELOW", (0, 0), (-1, -1), 0.25, pdf_style.RULE)]))
    story: list = [Paragraph("NOTULEN RAPAT", st["muted"]), Paragraph(pdftext.text(meeting.title), st["h1"]),
                   Spacer(1, 3 * mm), info, Paragraph("Agenda dan pembahasan", st["h2"])]
    for i, item in enumerate(meeting.agenda.all(), 1):
        story.append(Paragraph(f"<b>{i}. {pdftext.text(item.title)}</b>", st["p"]))
        story.append(Paragraph(pdftext.text(item.minutes) or "<i>(belum ada catatan)</i>", st["p"]))
        story.append(Spacer(1, 2 * mm))
    story.append(Paragraph("Keputusan dan tindak lanjut", st["h2"]))
    decisions = list(meeting.decisions.select_related("adopted_from__meeting__office"))
    if not decisions:
        story.append(Paragraph("Belum ada keputusan yang dicatat.", st["p"]))
    for i, d in enumerate(decisions, 1):
        origin = (f" (adopsi dari {pdftext.text(d.adopted_from.meeting.title)})" if d.adopted_from is not None else "")
        by = f" - {pdftext.text(d.given_by)}" if d.given_by else ""
        story.append(Paragraph(f"<b>{i}.</b> {pdftext.text(d.text)}{by}{origin}", st["p"]))
        actions = list(d.actions.select_related("office"))
        if actions:
            table = pdf_style.table([["Kantor", "Indikator", "Tenggat", "Status"]] + [
                [Paragraph(pdftext.text(a.office.name), st["cell"]), Paragraph(pdftext.text(a.indicator), st["cell"]),
                 a.due_date.strftime("%d/%m/%Y"), STATE_LABEL[followups.action_state(a)]] for a in actions],
                [48 * mm, 72 * mm, 22 * mm, 25 * mm])
            story += [Spacer(1, 1 * mm), table]
        story.append(Spacer(1, 2 * mm))
    if per_office:
        story.append(Paragraph("Kehadiran per kantor", st["h2"]))
        story.append(Paragraph(pdftext.text(", ".join(f"{name} ({n})" for name, n in per_office)), st["p"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm, title=f"Notulen {meeting.title}", author=meeting.office.name).build(
        story, onFirstPage=pdf_style.page_footer(f"Notulen {meeting.title}"),
        onLaterPages=pdf_style.page_footer(f"Notulen {meeting.title}"))
    return buffer.getvalue()
