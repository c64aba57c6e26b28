"""The minutes (notulen) of a meeting as a PDF: the meeting, who came, the minutes per agenda
item, and the decisions with their follow-up actions, times in the office's zone."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from satupintu.core import pdftext
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import Meeting

GREEN = colors.HexColor("#0b6e4f")
STATE_LABEL = {"done": "selesai", "on_track": "berjalan", "late": "terlambat", "not_started": "belum mulai"}
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=14)
    return {
        "title": ParagraphStyle("t", parent=base, fontName="Helvetica-Bold", fontSize=15, leading=19, textColor=GREEN),
        "h": ParagraphStyle("h", parent=base, fontName="Helvetica-Bold", fontSize=11.5, spaceBefore=9, spaceAfter=3,
                            textColor=GREEN),
        "p": base,
        "small": ParagraphStyle("s", parent=base, fontSize=8.5, leading=11),
    }


def _when(meeting: Meeting) -> str:
    zone = ZoneInfo(meeting.office.timezone)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    day = f"{DAYS[start.weekday()]}, {start.day} {MONTHS[start.month - 1]} {start.year}"
    return f"{day}, {start:%H.%M}-{end:%H.%M} {meeting.office.timezone_label}"


def minutes_pdf(meeting: Meeting) -> bytes:
    st = _styles()
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
                              ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc"))]))
    story: list = [Paragraph("NOTULEN RAPAT", st["small"]), Paragraph(pdftext.text(meeting.title), st["title"]),
                   Spacer(1, 3 * mm), info, Paragraph("Agenda dan pembahasan", st["h"])]
    for i, item in enumerate(meeting.agenda.all(), 1):
        story.append(Paragraph(f"<b>{i}. {pdftext.text(item.title)}</b>", st["p"]))
        story.append(Paragraph(pdftext.text(item.minutes) or "<i>(belum ada catatan)</i>", st["p"]))
        story.append(Spacer(1, 2 * mm))
    story.append(Paragraph("Keputusan dan tindak lanjut", st["h"]))
    decisions = list(meeting.decisions.select_related("adopted_from__meeting__office"))
    if not decisions:
        story.append(Paragraph("Belum ada keputusan yang dicatat.", st["p"]))
    for i, d in enumerate(decisions, 1):
        origin = (f" (adopsi dari {pdftext.text(d.adopted_from.meeting.title)})" if d.adopted_from is not None else "")
        by = f" - {pdftext.text(d.given_by)}" if d.given_by else ""
        story.append(Paragraph(f"<b>{i}.</b> {pdftext.text(d.text)}{by}{origin}", st["p"]))
        actions = list(d.actions.select_related("office"))
        if actions:
            table = Table([["Kantor", "Indikator", "Tenggat", "Status"]] + [
                [Paragraph(pdftext.text(a.office.name), st["small"]), Paragraph(pdftext.text(a.indicator), st["small"]),
                 a.due_date.strftime("%d/%m/%Y"), STATE_LABEL[followups.action_state(a)]] for a in actions],
                colWidths=[48 * mm, 72 * mm, 22 * mm, 25 * mm], repeatRows=1)
            table.setStyle(TableStyle([("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                                       ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6f2ed")),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc"))]))
            story += [Spacer(1, 1 * mm), table]
        story.append(Spacer(1, 2 * mm))
    if per_office:
        story.append(Paragraph("Kehadiran per kantor", st["h"]))
        story.append(Paragraph(pdftext.text(", ".join(f"{name} ({n})" for name, n in per_office)), st["p"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm, title=f"Notulen {meeting.title}", author=meeting.office.name).build(story)
    return buffer.getvalue()
