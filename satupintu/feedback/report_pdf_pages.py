"""What the SKM report draws straight onto the canvas of its pages (feedback/report_pdf.py).

The cover is drawn, not flowed: the green band, the office, the index box and the three key
figures sit at fixed places whatever the length of the report. The inner pages get the green
header with the office and the period, and the footer with the page number.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from satupintu.core import pdf_style
from satupintu.core.pdftext import text as _x
from satupintu.feedback.ikm import IkmResult
from satupintu.feedback.report_pdf_style import BODY_W, GRADE_COLORS, HEADER_H, MARGIN, PAGE_H, PAGE_W, RED

# Short local names for the shared helpers: the many f-strings that use them stay readable.
from satupintu.feedback.report_pdf_style import count_text as _int
from satupintu.feedback.report_pdf_style import decimal_text as _num
from satupintu.feedback.report_pdf_style import index_headline as _headline
from satupintu.feedback.report_pdf_style import period_text as _period
from satupintu.feedback.selectors import Period
from satupintu.organization.models import Office


def _footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
    canvas.saveState()
    canvas.setStrokeColor(pdf_style.RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(pdf_style.GREY)
    canvas.drawString(MARGIN, 9.5 * mm, "Laporan Survei Kepuasan Masyarakat - Satu Pintu Kementerian Agama")
    canvas.drawRightString(PAGE_W - MARGIN, 9.5 * mm, f"Halaman {canvas.getPageNumber()}")
    canvas.restoreState()


def inner_page(canvas, doc, *, office: Office, period: Period) -> None:  # type: ignore[no-untyped-def]
    canvas.saveState()
    canvas.setFillColor(pdf_style.GREEN)
    canvas.rect(0, PAGE_H - HEADER_H, PAGE_W, HEADER_H, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", 9)
    right = f"SKM {_period(period)}"
    room = BODY_W - stringWidth(right, "Helvetica", 8) - 8 * mm
    name = office.name
    while stringWidth(name, "Helvetica-Bold", 9) > room and len(name) > 4:
        name = name[:-2].rstrip() + "…"
    canvas.drawString(MARGIN, PAGE_H - HEADER_H + 4.6 * mm, name)
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(PAGE_W - MARGIN, PAGE_H - HEADER_H + 4.6 * mm, right)
    canvas.restoreState()
    _footer(canvas, doc)


def _cover_figures(result: IkmResult) -> Table:
    st = pdf_style.styles()
    label = st["muted"]
    value = ParagraphStyle("fig_value", parent=st["cellb"], fontSize=11, leading=14)
    if result.elements:
        best = max(result.elements, key=lambda e: (e.average, e.code))
        worst = result.weakest[0]
        top = f"{_x(best.name)} ({_num(best.ikm)})"
        low = f"{_x(worst.name)} ({_num(worst.ikm)})"
    else:
        top = low = "-"
    cells = [
        [Paragraph("Jumlah responden", label), Paragraph(_int(result.respondents), value)],
        [Paragraph("Unsur tertinggi", label), Paragraph(top, value)],
        [
            Paragraph("Unsur terendah", label),
            Paragraph(low, ParagraphStyle("fig_low", parent=value, textColor=RED if top != "-" else colors.black)),
        ],
    ]
    col = BODY_W / 3
    table = Table([[c for c in cells]], colWidths=[col] * 3, rowHeights=[20 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.5, pdf_style.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("LEFTPADDING", (0, 0), (0, 0), 4 * mm),
            ]
        )
    )
    table.wrap(BODY_W, 20 * mm)
    return table


def cover_page(canvas, doc, *, office: Office, period: Period, result: IkmResult) -> None:  # type: ignore[no-untyped-def]
    canvas.saveState()
    # Green band with the title.
    band = 100 * mm
    canvas.setFillColor(pdf_style.GREEN)
    canvas.rect(0, PAGE_H - band, PAGE_W, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(MARGIN, PAGE_H - 30 * mm, "PELAYANAN TERPADU SATU PINTU (PTSP)")
    canvas.setFont("Helvetica-Bold", 24)
    canvas.drawString(MARGIN, PAGE_H - 50 * mm, "LAPORAN SURVEI")
    canvas.drawString(MARGIN, PAGE_H - 61 * mm, "KEPUASAN MASYARAKAT")
    canvas.setStrokeColor(colors.white)
    canvas.setLineWidth(1.5)
    canvas.line(MARGIN, PAGE_H - 68 * mm, MARGIN + 40 * mm, PAGE_H - 68 * mm)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(MARGIN, PAGE_H - 80 * mm, "Berdasarkan PermenPANRB Nomor 14 Tahun 2017 tentang Pedoman")
    canvas.drawString(MARGIN, PAGE_H - 86 * mm, "Penyusunan Survei Kepuasan Masyarakat")

    # Office name (may wrap) and region.
    name_style = ParagraphStyle("cover_name", parent=pdf_style.styles()["cover"], fontSize=17, leading=22)
    name = Paragraph(_x(office.name), name_style)
    _, h = name.wrap(BODY_W, 60 * mm)
    y = PAGE_H - band - 16 * mm - h
    name.drawOn(canvas, MARGIN, y)
    y -= 8 * mm
    if office.region_name and office.region_name.lower() not in office.name.lower():
        canvas.setFillColor(pdf_style.GREY)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(MARGIN, y, office.region_name)
        y -= 7 * mm
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(MARGIN, y, "Periode survei: ")
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(MARGIN + stringWidth("Periode survei: ", "Helvetica", 11), y, _period(period))

    # The index box.
    box_h = 52 * mm
    box_top = y - 14 * mm
    accent = GRADE_COLORS.get(result.grade or "", pdf_style.GREY)
    canvas.setFillColor(pdf_style.LIGHT_GREEN if result.ikm is not None else colors.HexColor("#f2f2f2"))
    canvas.setStrokeColor(accent)
    canvas.setLineWidth(1)
    canvas.rect(MARGIN, box_top - box_h, BODY_W, box_h, stroke=1, fill=1)
    canvas.setFillColor(accent)
    canvas.rect(MARGIN, box_top - box_h, 4 * mm, box_h, stroke=0, fill=1)
    canvas.setFillColor(pdf_style.GREY)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(MARGIN + 12 * mm, box_top - 11 * mm, "Indeks Kepuasan Masyarakat (IKM) dan mutu pelayanan")
    canvas.setFillColor(accent)
    canvas.setFont("Helvetica-Bold", 30)
    canvas.drawString(MARGIN + 12 * mm, box_top - 27 * mm, _headline(result))
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica", 10.5)
    if result.respondents:
        line = f"Berdasarkan jawaban {_int(result.respondents)} responden pada periode survei."
    else:
        line = "Belum ada jawaban survei pada periode ini."
    canvas.drawString(MARGIN + 12 * mm, box_top - 38 * mm, line)
    canvas.setFillColor(pdf_style.GREY)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(
        MARGIN + 12 * mm, box_top - 45 * mm, "Skala 25-100: A Sangat Baik, B Baik, C Kurang Baik, D Tidak Baik."
    )

    # Three key figures under the box.
    _cover_figures(result).drawOn(canvas, MARGIN, box_top - box_h - 10 * mm - 20 * mm)

    # Ministry at the foot of the cover.
    canvas.setStrokeColor(pdf_style.GREEN)
    canvas.setLineWidth(0.75)
    canvas.line(MARGIN, 34 * mm, PAGE_W - MARGIN, 34 * mm)
    canvas.setFillColor(pdf_style.GREEN)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawCentredString(PAGE_W / 2, 25 * mm, "Kementerian Agama Republik Indonesia")
    canvas.setFillColor(pdf_style.GREY)
    canvas.setFont("Helvetica", 9.5)
    canvas.drawCentredString(PAGE_W / 2, 19 * mm, f"{office.name} - {period.end.year}")
    canvas.restoreState()
