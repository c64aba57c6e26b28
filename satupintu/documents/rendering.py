"""A service's letter, drawn from its template as PDF/A: the office's letterhead, the letter
number, the text with the application's data filled in, the signer's block with the QR code
and the token that lead to /verifikasi/<token>.

Template text is the office's, values are the citizen's: both go into the PDF through
core.pdftext (shown, never obeyed). Placeholders are a closed list (``{{ nama }}``, a form
field's name...): nothing in a template can reach Python attributes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph, Spacer

from satupintu.core.pdftext import para, text
from satupintu.core.privacy import mask_nik
from satupintu.documents import pdfa
from satupintu.documents.tokens import grouped
from satupintu.organization.models import Office
from satupintu.services.models import Application

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
# The fixed placeholders; a service's form fields are available under their own names.
PLACEHOLDERS = {
    "nama": "Nama pemohon",
    "nik": "NIK pemohon",
    "kode_lacak": "Kode lacak permohonan",
    "layanan": "Nama layanan",
    "produk": "Produk layanan",
    "kantor": "Nama kantor",
    "unit": "Unit pelayanan",
    "tanggal_permohonan": "Tanggal permohonan",
    "tanggal": "Tanggal surat",
}
GREEN = colors.HexColor("#0b6e4f")


def tanggal(value: datetime, tz: str) -> str:
    local = value.astimezone(ZoneInfo(tz))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def values_for(app: Application, *, at: datetime) -> dict[str, str]:
    tz = app.office.timezone
    values = {
        "nama": app.applicant_name, "nik": app.nik, "kode_lacak": app.tracking_code,
        "layanan": app.service.name, "produk": app.service.product or app.service.name, "kantor": app.office.name,
        "unit": app.unit.name, "tanggal_permohonan": tanggal(app.submitted_at, tz), "tanggal": tanggal(at, tz),
    }
    for name, value in (app.form_data or {}).items():
        if re.fullmatch(r"[a-z_][a-z0-9_]*", str(name)) and name not in values:
            values[str(name)] = "" if value is None else _as_written(str(value))
    return values


def _as_written(value: str) -> str:
    """A date from the form (stored as 2027-01-04) as the letter writes dates: "4 Januari 2027"."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return value


def unknown_placeholders(body: str, field_names: set[str]) -> list[str]:
    """Placeholders a template uses that neither the fixed list nor the service's form has."""
    known = set(PLACEHOLDERS) | field_names
    return sorted({m.group(1) for m in PLACEHOLDER.finditer(body)} - known)


def fill(body: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), "…"), body)


@dataclass(frozen=True)
class Letter:
    office: Office
    title: str
    number: str  # "" on a draft: given when signed
    paragraphs: list[str]
    recipient_line: str
    city: str
    date_text: str
    signer_title: str
    signer_name: str
    verify_url: str
    token: str
    draft: bool


def draw_letter(letter: Letter) -> bytes:
    """The letter as PDF/A-2b (every font embedded)."""
    fonts = pdfa.register_fonts()
    regular, bold, italic = fonts["regular"], fonts["bold"], fonts["italic"]
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=regular)
    width, height = A4
    margin = 22 * mm

    # Letterhead (kop surat).
    pdf.setFillColor(colors.black)
    pdf.setFont(bold, 13)
    pdf.drawCentredString(width / 2, height - 20 * mm, "KEMENTERIAN AGAMA REPUBLIK INDONESIA")
    pdf.setFont(bold, 12)
    pdf.drawCentredString(width / 2, height - 26 * mm, letter.office.name.upper()[:80])
    pdf.setFont(regular, 8.5)
    contact = " · ".join(x for x in (letter.office.address, letter.office.phone and f"Telp. {letter.office.phone}",
                                     letter.office.email) if x)
    pdf.drawCentredString(width / 2, height - 31 * mm, contact[:130])
    pdf.setStrokeColor(colors.black)
    pdf.setLineWidth(1.6)
    pdf.line(margin, height - 34 * mm, width - margin, height - 34 * mm)
    pdf.setLineWidth(0.5)
    pdf.line(margin, height - 35 * mm, width - margin, height - 35 * mm)

    if letter.draft:  # a watermark nobody can mistake for an issued letter
        pdf.saveState()
        pdf.setFillColor(colors.HexColor("#e3e3e3"))
        pdf.setFont(bold, 110)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(45)
        pdf.drawCentredString(0, 0, "DRAF")
        pdf.restoreState()

    title_style = ParagraphStyle("title", fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER)
    number_style = ParagraphStyle("number", fontName=regular, fontSize=10.5, leading=14, alignment=TA_CENTER)
    body_style = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=15, alignment=TA_JUSTIFY,
                                spaceAfter=7)
    number = letter.number or "(diberikan saat ditandatangani)"
    story: list = [para(letter.title.upper(), title_style), para(f"Nomor: {number}", number_style),
                   Spacer(1, 8 * mm)]
    story += [para(p, body_style) for p in letter.paragraphs]
    frame = Frame(margin, 95 * mm, width - 2 * margin, height - 40 * mm - 95 * mm, showBoundary=0,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame.addFromList(story, pdf)
    if story:  # the text did not fit: say so rather than cut it silently
        pdf.setFont(italic, 9)
        pdf.drawString(margin, 97 * mm, "[isi surat terpotong: perpendek templat]")

    # Signer block, right half: place and date, title, QR, name.
    x = width / 2 + 5 * mm
    pdf.setFillColor(colors.black)
    pdf.setFont(regular, 10.5)
    pdf.drawString(x, 88 * mm, f"{letter.city}, {letter.date_text}"[:60])
    block = ParagraphStyle("sig", fontName=regular, fontSize=10.5, leading=13)
    title = Paragraph(text(letter.signer_title), block)
    _, h = title.wrap(width / 2 - margin - 5 * mm, 30 * mm)
    title.drawOn(pdf, x, 83 * mm - h)
    qr_size = 26 * mm
    qr_top = 80 * mm - h
    pdfa.draw_qr(pdf, letter.verify_url, x, qr_top - qr_size, qr_size)
    pdf.setFont(italic, 7.5)
    pdf.drawString(x + qr_size + 2 * mm, qr_top - 8 * mm, "Ditandatangani secara")
    pdf.drawString(x + qr_size + 2 * mm, qr_top - 11.5 * mm, "elektronik")
    pdf.setFont(regular, 7.5)
    pdf.drawString(x + qr_size + 2 * mm, qr_top - 16 * mm, f"Token: {grouped(letter.token)}")
    pdf.setFont(bold, 10.5)
    pdf.drawString(x, qr_top - qr_size - 6 * mm, letter.signer_name[:60])

    # Footer: how anyone checks it.
    pdf.setFillColor(GREEN)
    pdf.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont(regular, 8)
    pdf.drawString(margin, 10 * mm, "Dokumen ini ditandatangani secara elektronik dan dapat diperiksa keasliannya "
                                   "dengan memindai kode QR atau membuka:")
    pdf.setFont(bold, 8)
    pdf.drawString(margin, 5.5 * mm, f"{letter.verify_url}  (token {grouped(letter.token)})")
    pdf.setTitle(letter.title)
    pdf.showPage()
    pdf.save()
    return pdfa.finish_pdfa(buf.getvalue(), title=letter.title, author=letter.office.name,
                            subject=letter.recipient_line, keywords=f"Satu Pintu; token {letter.token}")


def verify_url(token: str) -> str:
    return f"{settings.SITE_URL}/verifikasi/{token}"


def recipient_line(app: Application) -> str:
    return f"{app.applicant_name} (NIK {mask_nik(app.nik)})"
