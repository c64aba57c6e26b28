"""The house style of Satu Pintu's report PDFs (ReportLab): the ministry's green, the muted grey,
the paragraph styles and the data table with a green header row.

One place, so a report looks like the others and a colour is changed once. Used by the Zona
Integritas pack (reform/integrity_pdf.py), the Humas report (humas/report_pdf.py), the SKM report
(feedback/report_pdf.py), the Rakor minutes (rakor/minutes_pdf.py) and the Situation Room brief
(situation/briefs.py). A report that needs its own style derives it from these with
ParagraphStyle(parent=...) instead of copying them. The receipt (services/receipts.py) and the
issued letters (documents/rendering.py) are PDF/A documents with their own layout and do not use
it. Values still go through core.pdftext before they reach a Paragraph: this module is about
looks only.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from satupintu.core import pdf_fonts

GREEN = colors.HexColor("#0b6e4f")
LIGHT_GREEN = colors.HexColor("#e6f2ed")
RULE = colors.HexColor("#cccccc")
GREY = colors.HexColor("#555555")


def styles() -> dict[str, ParagraphStyle]:
    """p (body), small, muted, h1, h2, cover (the office's name on a cover), cell and cellb (bold)."""
    base = ParagraphStyle("b", fontName="Helvetica", fontSize=9.5, leading=13)
    return {
        "p": base,
        "small": ParagraphStyle("s", parent=base, fontSize=8, leading=10.5),
        "muted": ParagraphStyle("m", parent=base, fontSize=8.5, leading=11, textColor=GREY),
        "h1": ParagraphStyle("h1", parent=base, fontName="Helvetica-Bold", fontSize=15, leading=19, textColor=GREEN,
                             spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName="Helvetica-Bold", fontSize=11, leading=14, textColor=GREEN,
                             spaceBefore=8, spaceAfter=3),
        "cover": ParagraphStyle("c", parent=base, fontName="Helvetica-Bold", fontSize=22, leading=27,
                                textColor=GREEN, spaceAfter=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cellb": ParagraphStyle("cellb", parent=base, fontName="Helvetica-Bold", fontSize=8.5, leading=10.5),
    }


def table(rows: list[list[object]], widths: list[float]) -> Table:
    """A data table: green header row (repeated on every page), thin rules between rows."""
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), GREEN), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        # The "cell" paragraph style's leading: a figure (plain string) and a name (Paragraph) in a
        # vertically centred row then sit level.
        ("LEADING", (0, 0), (-1, -1), 10.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("BOX", (0, 0), (-1, -1), 0.5, GREEN), ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def page_footer(label: str):  # type: ignore[no-untyped-def]
    """An ``onPage`` callback: the document's name and "Halaman n" at the foot of every page, so a
    printed page that comes loose still says what it belongs to."""
    # The label is a meeting's title or an office's name: "Dār al-Ḥikmah" needs the wide font.
    shown, font = pdf_fonts.drawable(label, "Helvetica")

    def draw(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(GREY)
        width = doc.pagesize[0] - doc.leftMargin - doc.rightMargin - 25 * mm
        text = shown
        while text and canvas.stringWidth(text, font, 8) > width:
            text = text[:-2].rstrip() + "…" if len(text) > 2 else ""
        canvas.drawString(doc.leftMargin, 9 * mm, text)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 9 * mm, f"Halaman {canvas.getPageNumber()}")
        canvas.restoreState()
    return draw
