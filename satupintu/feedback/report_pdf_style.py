"""The SKM report's look and its way of writing things (feedback/report_pdf.py and report_pdf_pages.py).

Apart because both the chapters and the drawn cover use them: the report's own colours (the
weakest elements in red, a colour per grade), the page geometry, dates, numbers and the index in
Indonesian notation, and the paragraph styles and table derived from core.pdf_style. User text
goes into Paragraphs through core.pdftext, imported where the Paragraphs are made.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from satupintu.core import pdf_style
from satupintu.feedback.ikm import IkmResult
from satupintu.feedback.selectors import Period

# The SKM report's own colours (the weakest elements, the grades); the rest is core.pdf_style.
RED = colors.HexColor("#c0392b")
LIGHT_RED = colors.HexColor("#fbeaea")
GRADE_COLORS = {
    "A": pdf_style.GREEN,
    "B": colors.HexColor("#2e8b57"),
    "C": colors.HexColor("#d68910"),
    "D": RED,
}

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
HEADER_H = 12 * mm
BODY_W = PAGE_W - 2 * MARGIN

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


# --- formatting ------------------------------------------------------------------------------------


def date_text(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def period_text(period: Period) -> str:
    return f"{date_text(period.start)} - {date_text(period.end)}"


def decimal_text(value: Decimal | float | None, places: int = 2) -> str:
    """Indonesian notation: decimal comma, dot for thousands ("1.234,56")."""
    if value is None:
        return "-"
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def count_text(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def weighted_nrr_text(ikm: Decimal) -> str:
    """NRR tertimbang = IKM / 25, exact (at most four decimals), at least two shown."""
    value = ikm / 25
    places = max(2, min(4, -value.normalize().as_tuple().exponent))  # type: ignore[operator]
    return decimal_text(value, places)


def grade_text(result: IkmResult) -> str:
    if result.ikm is None:
        return "-"
    return f"{result.grade} ({result.grade_label})"


def index_headline(result: IkmResult) -> str:
    if result.ikm is None:
        return "IKM belum tersedia"
    return f"IKM {decimal_text(result.ikm)} - {result.grade} ({result.grade_label})"


# --- styles ----------------------------------------------------------------------------------------


def report_styles() -> dict[str, ParagraphStyle]:
    """The house styles (core.pdf_style) plus the report's own: justified body text, centred
    chapter headings (BAB), headings kept with what follows, notes and bullets."""
    st = pdf_style.styles()
    body = ParagraphStyle("body", parent=st["p"], fontSize=10, leading=14.5, alignment=TA_JUSTIFY, spaceAfter=6)
    return {
        **st,
        "body": body,
        "bab": ParagraphStyle("bab", parent=st["h1"], alignment=TA_CENTER, spaceAfter=2),
        "bab_title": ParagraphStyle("bab_title", parent=st["h1"], fontSize=13, leading=17, alignment=TA_CENTER,
                                    spaceAfter=14),
        "h2": ParagraphStyle("h2", parent=st["h2"], keepWithNext=1),
        "note": ParagraphStyle("note", parent=st["muted"], fontName="Helvetica-Oblique", spaceBefore=3, spaceAfter=6),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=2, spaceAfter=3),
    }


def report_table(
    data: list[list[object]],
    widths: list[float],
    *,
    align_right_from: int | None = None,
    total_row: bool = False,
    extra: list[tuple] | None = None,
    padding: float = 3.5,
) -> Table:
    """The house table (core.pdf_style), cells centred vertically, optional bold total row."""
    table = pdf_style.table(data, widths)
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    if align_right_from is not None:
        style.append(("ALIGN", (align_right_from, 0), (-1, -1), "RIGHT"))
    if total_row:
        style += [
            ("BACKGROUND", (0, -1), (-1, -1), pdf_style.LIGHT_GREEN),
            ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
            ("LINEABOVE", (0, -1), (-1, -1), 0.75, pdf_style.GREEN),
        ]
    table.setStyle(TableStyle(style + (extra or [])))
    return table

