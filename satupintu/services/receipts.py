"""The receipt (bukti permohonan): a one-page PDF with a QR code to the tracking page.

It carries no NIK or phone number: a receipt is printed, photographed and shared.
"""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from django.conf import settings
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from satupintu.core.pdftext import para
from satupintu.core.privacy import mask_nik
from satupintu.services import catalog
from satupintu.services.messages import tracking_url
from satupintu.services.models import Application, DocumentKind

GREEN = colors.HexColor("#0b6e4f")


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def receipt_pdf(app: Application, *, token: str | None = None) -> bytes:
    """``token``: the verification token of the sealed receipt (documents.issuing.receipt_document)."""
    from reportlab.pdfgen import canvas

    tz = ZoneInfo(app.office.timezone)
    tzl = app.office.timezone_label
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Bukti Permohonan {app.tracking_code}")
    pdf.setAuthor(app.office.name)
    width, height = A4
    margin = 18 * mm

    pdf.setFillColor(GREEN)
    pdf.rect(0, height - 32 * mm, width, 32 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(margin, height - 15 * mm, "BUKTI PERMOHONAN LAYANAN")
    pdf.setFont("Helvetica", 10)
    pdf.drawString(margin, height - 22 * mm, "Pelayanan Terpadu Satu Pintu (PTSP) Kementerian Agama")
    pdf.drawString(margin, height - 27 * mm, app.office.name)

    url = tracking_url(app)
    qr_size = 42 * mm
    renderPDF.draw(_qr(url, qr_size), pdf, width - margin - qr_size, height - 82 * mm)
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(margin, height - 45 * mm, "Kode lacak")
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawString(margin, height - 56 * mm, app.tracking_code)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(margin, height - 63 * mm, "Pindai kode QR atau buka alamat ini untuk melacak permohonan:")
    pdf.drawString(margin, height - 68 * mm, url)

    # Values are user or catalogue text: para() shows them literally (a name is not markup).
    style = ParagraphStyle("cell", fontName="Helvetica", fontSize=10, leading=13)
    bold = ParagraphStyle("cellb", parent=style, fontName="Helvetica-Bold")
    rows = [
        ("Layanan", app.service.name),
        ("Unit", app.unit.name),
        ("Kantor", app.office.name),
        ("Pemohon", app.applicant_name),
        ("NIK", mask_nik(app.nik)),
        ("Diajukan", f"{app.submitted_at.astimezone(tz):%d-%m-%Y %H.%M} {tzl}"),
        ("Perkiraan selesai", f"{app.due_at.astimezone(tz):%d-%m-%Y %H.%M} {tzl}" if app.due_at else "-"),
        ("Biaya", "Gratis" if app.service.fee == 0 else f"Rp{app.service.fee:,}".replace(",", ".")),
        ("Produk", app.service.product or "-"),
    ]
    table = Table(
        [[Paragraph(k, bold), para(v, style)] for k, v in rows], colWidths=[40 * mm, width - 2 * margin - 40 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    _, table_height = table.wrapOn(pdf, width - 2 * margin, height)
    top = height - 92 * mm
    table.drawOn(pdf, margin, top - table_height)

    uploaded = {d.requirement_code for d in app.documents.all() if d.kind == DocumentKind.REQUIREMENT}
    y = top - table_height - 10 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(margin, y, "Berkas persyaratan")
    requirements = list(catalog.requirements_for(app.service, app.office))  # switched off since or not
    # Each requirement wrapped to the page's width (a long national one ran past the margin, cut at a
    # character count); above the seal and the footer, and what does not fit is counted, not lost.
    line = ParagraphStyle("req", fontName="Helvetica", fontSize=10, leading=12.5, leftIndent=7 * mm,
                          firstLineIndent=-7 * mm)
    floor = 46 * mm
    y -= 2 * mm
    for i, req in enumerate(requirements):
        mark = "[v]" if req.code in uploaded else ("[ ]" if req.mandatory else "[-]")
        item = para(f"{mark} {req.name}" + ("" if req.mandatory else " (opsional)"), line)
        _, h = item.wrap(width - 2 * margin, height)
        if y - h < floor + (0 if i == len(requirements) - 1 else 5 * mm):
            pdf.setFont("Helvetica-Oblique", 9)
            pdf.drawString(margin, y - 4 * mm, f"... dan {len(requirements) - i} persyaratan lain: lihat {url}")
            break
        y -= h + 1.5 * mm
        item.drawOn(pdf, margin, y)
    if token:  # the seal: anyone can check this receipt is ours and unchanged
        from satupintu.documents.tokens import grouped

        verify = f"{settings.SITE_URL}/verifikasi/{token}"
        small = 22 * mm
        renderPDF.draw(_qr(verify, small), pdf, width - margin - small, 20 * mm)
        pdf.setFont("Helvetica", 8)
        pdf.setFillColor(colors.black)
        pdf.drawRightString(width - margin - small - 2 * mm, 34 * mm, "Periksa keaslian bukti ini:")
        pdf.drawRightString(width - margin - small - 2 * mm, 30 * mm, verify)
        pdf.drawRightString(width - margin - small - 2 * mm, 26 * mm, f"Token {grouped(token)}")
    pdf.setFont("Helvetica-Oblique", 8)
    pdf.setFillColor(colors.HexColor("#555555"))
    pdf.drawString(margin, 15 * mm, "Dokumen ini dibuat otomatis oleh Satu Pintu dan disegel secara elektronik."
                   if token else "Dokumen ini dibuat otomatis oleh Satu Pintu dan sah tanpa tanda tangan.")
    pdf.drawString(margin, 11 * mm, f"Layanan ini tidak dipungut biaya kecuali tertera. Pengaduan: {settings.SITE_URL}")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def receipt_response_body(app: Application) -> bytes:
    """The sealed receipt (made once, then served as stored), or a fresh unsealed one while the
    seal cannot be made (documents.issuing.receipt_document says why in the log)."""
    from satupintu.documents.issuing import receipt_document

    doc = receipt_document(app)
    if doc is None:
        return receipt_pdf(app)
    with doc.file.open("rb") as fh:
        return fh.read()
