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


def _fitted(pdf: canvas.Canvas, value: str, font: str, size: float, room: float, smallest: float = 7) -> float:
    """The font size at which ``value`` fits in ``room`` points, from ``size`` down to ``smallest``
    (a long office name shrinks rather than runs off the page or is cut)."""
    while size > smallest and pdf.stringWidth(value, font, size) > room:
        size -= 0.25
    return size


def _centred(pdf: canvas.Canvas, value: str, font: str, size: float, y: float, room: float) -> None:
    size = _fitted(pdf, value, font, size, room)
    pdf.setFont(font, size)
    pdf.drawCentredString(A4[0] / 2, y, value)


def _letterhead(pdf: canvas.Canvas, letter: Letter, fonts: dict[str, str], margin: float) -> None:
    width, height = A4
    room = width - 2 * margin
    pdf.setFillColor(colors.black)
    _centred(pdf, "KEMENTERIAN AGAMA REPUBLIK INDONESIA", fonts["bold"], 13, height - 20 * mm, room)
    _centred(pdf, letter.office.name.upper(), fonts["bold"], 12, height - 26 * mm, room)
    contact = " · ".join(x for x in (letter.office.address, letter.office.phone and f"Telp. {letter.office.phone}",
                                     letter.office.email) if x)
    _centred(pdf, contact, fonts["regular"], 8.5, height - 31 * mm, room)
    pdf.setStrokeColor(colors.black)
    pdf.setLineWidth(1.6)
    pdf.line(margin, height - 34 * mm, width - margin, height - 34 * mm)
    pdf.setLineWidth(0.5)
    pdf.line(margin, height - 35 * mm, width - margin, height - 35 * mm)


def _page_marks(pdf: canvas.Canvas, letter: Letter, fonts: dict[str, str], margin: float) -> None:
    """What every page carries: the draft watermark and the footer saying how to check the letter."""
    width, height = A4
    if letter.draft:  # a watermark nobody can mistake for an issued letter
        pdf.saveState()
        pdf.setFillColor(colors.HexColor("#e3e3e3"))
        pdf.setFont(fonts["bold"], 110)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(45)
        pdf.drawCentredString(0, 0, "DRAF")
        pdf.restoreState()
    pdf.saveState()
    pdf.setFillColor(GREEN)
    pdf.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont(fonts["regular"], 8)
    if letter.draft:
        pdf.drawString(margin, 10 * mm, "Draf: belum ditandatangani dan belum berlaku sebagai surat. Setelah "
                                        "ditandatangani, keasliannya dapat diperiksa di:")
    else:
        pdf.drawString(margin, 10 * mm, "Dokumen ini ditandatangani secara elektronik dan dapat diperiksa keasliannya "
                                        "dengan memindai kode QR atau membuka:")
    pdf.setFont(fonts["bold"], 8)
    pdf.drawString(margin, 5.5 * mm, f"{letter.verify_url}  (token {grouped(letter.token)})")
    pdf.restoreState()


def _signer_block(pdf: canvas.Canvas, letter: Letter, fonts: dict[str, str], margin: float) -> None:
    """Right half, above the footer: place and date, title, QR, name."""
    width = A4[0]
    x = width / 2 + 5 * mm
    room = width - margin - x
    pdf.setFillColor(colors.black)
    place = f"{letter.city}, {letter.date_text}"
    pdf.setFont(fonts["regular"], _fitted(pdf, place, fonts["regular"], 10.5, room))
    pdf.drawString(x, 88 * mm, place)
    block = ParagraphStyle("sig", fontName=fonts["regular"], fontSize=10.5, leading=13)
    title = Paragraph(text(letter.signer_title), block)
    _, h = title.wrap(room, 30 * mm)
    title.drawOn(pdf, x, 83 * mm - h)
    qr_size = 26 * mm
    qr_top = 80 * mm - h
    pdfa.draw_qr(pdf, letter.verify_url, x, qr_top - qr_size, qr_size)
    pdf.setFont(fonts["italic"], 7.5)
    said = ("Draf, belum", "ditandatangani") if letter.draft else ("Ditandatangani secara", "elektronik")
    pdf.drawString(x + qr_size + 2 * mm, qr_top - 8 * mm, said[0])
    pdf.drawString(x + qr_size + 2 * mm, qr_top - 11.5 * mm, said[1])
    pdf.setFont(fonts["regular"], 7.5)
    pdf.drawString(x + qr_size + 2 * mm, qr_top - 16 * mm, f"Token: {grouped(letter.token)}")
    pdf.setFont(fonts["bold"], _fitted(pdf, letter.signer_name, fonts["bold"], 10.5, room))
    pdf.drawString(x, qr_top - qr_size - 6 * mm, letter.signer_name)


def _height(story: list, room: float) -> float:
    """The height ``story`` takes in a frame ``room`` wide (to tell whether it fits)."""
    total = 0.0
    for i, flowable in enumerate(story):
        _, h = flowable.wrap(room, A4[1])
        total += h + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if i else 0)
    return total


def _fill(frame: Frame, story: list, pdf: canvas.Canvas) -> None:
    """Draw ``story`` into ``frame`` as far as it goes, splitting a paragraph at the frame's end (what
    Frame.addFromList does not: a long paragraph left the rest of the page empty)."""
    while story:
        if frame.add(story[0], pdf, trySplit=1):
            story.pop(0)
            continue
        parts = frame.split(story[0], pdf)
        if len(parts) < 2:
            return  # nothing of it fits here: it starts the next page
        story[0:1] = parts


def draw_letter(letter: Letter) -> bytes:
    """The letter as PDF/A-2b (every font embedded). The text flows onto more pages when the citizen's
    answers make it long (an address of three lines); the signer's block is on the last page."""
    fonts = pdfa.register_fonts()
    regular, bold, italic = fonts["regular"], fonts["bold"], fonts["italic"]
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=regular)
    width, height = A4
    margin = 22 * mm
    room = width - 2 * margin

    title_style = ParagraphStyle("title", fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER)
    number_style = ParagraphStyle("number", fontName=regular, fontSize=10.5, leading=14, alignment=TA_CENTER)
    body_style = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=15, alignment=TA_JUSTIFY,
                                spaceAfter=7)
    number = letter.number or "(diberikan saat ditandatangani)"
    story: list = [para(letter.title.upper(), title_style), para(f"Nomor: {number}", number_style),
                   Spacer(1, 8 * mm)]
    story += [para(p, body_style) for p in letter.paragraphs]

    page = 1
    top = height - 40 * mm  # below the letterhead on the first page
    signer_floor, page_floor = 95 * mm, 24 * mm  # the signer's block, or only the footer, below the text
    while True:
        if page == 1:
            _letterhead(pdf, letter, fonts, margin)
        else:
            pdf.setFont(italic, 8.5)
            pdf.setFillColor(colors.black)
            pdf.drawRightString(width - margin, height - 14 * mm, f"{letter.title} · halaman {page}")
        _page_marks(pdf, letter, fonts, margin)
        needed = _height(story, room)
        last = needed <= top - signer_floor - 2
        floor = signer_floor if last else page_floor
        if not last and needed <= top - page_floor:
            # It would all fit above the footer but not above the signer: carry the end over, so the
            # signer's block never stands on a page alone.
            floor = top - needed + 20 * mm
        frame = Frame(margin, floor, room, top - floor, showBoundary=0,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        _fill(frame, story, pdf)
        if not story:
            _signer_block(pdf, letter, fonts, margin)
            break
        pdf.setFont(italic, 8.5)
        pdf.setFillColor(colors.black)
        pdf.drawRightString(width - margin, page_floor - 5 * mm, "bersambung ke halaman berikutnya")
        pdf.showPage()
        page += 1
        top = height - 22 * mm
        if page > 20:  # a bound: no template and no answer is this long
            break
    pdf.setTitle(letter.title)
    pdf.showPage()
    pdf.save()
    return pdfa.finish_pdfa(buf.getvalue(), title=letter.title, author=letter.office.name,
                            subject=letter.recipient_line, keywords=f"Satu Pintu; token {letter.token}")


def verify_url(token: str) -> str:
    return f"{settings.SITE_URL}/verifikasi/{token}"


def recipient_line(app: Application) -> str:
    return f"{app.applicant_name} (NIK {mask_nik(app.nik)})"
