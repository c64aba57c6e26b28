"""The yearly Humas report for the Rakor Kehumasan (a Kanwil with its offices, or national) as
a PDF: the year's totals, stories per month, the ranking, the award categories and how the
score is computed. Office names go through core.pdftext like every value not written here."""

from __future__ import annotations

import io

from django.db.models import Sum
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from satupintu.core import pdf_style, pdftext
from satupintu.core.numbers import decimal, whole
from satupintu.documents.rendering import MONTHS  # the Indonesian month names, one list for every PDF
from satupintu.humas import selectors
from satupintu.humas.models import MonthlyFigure
from satupintu.humas.score import PART_LABELS, SOCIAL_POSTS_DEFAULT_PER_MONTH, WEIGHTS
from satupintu.organization.models import Office

# How the score is made (score.py's docstring), for the meeting: in words, not the code's keys.
SCORE_EXPLAINED = (
    "Skor 0-100 = jumlah (bobot x nilai bagian) dibagi jumlah bobot bagian yang berlaku. Bagian dan bobotnya: "
    "%(parts)s. Target berita: berita dibanding target mingguan kali jumlah minggu (paling tinggi 100%%); bulan "
    "yang sedang berjalan dihitung sampai hari ini saja. Orisinalitas: berita orisinal dibanding semua berita; "
    "berita yang mengulang berita kantor lain atau Pusat yang terbit lebih dulu adalah ulangan, dan berita "
    "kantor sendiri yang terbit dua kali dihitung sekali. Media sosial: separuh jumlah unggahan dibanding "
    "target (tanpa target: %(posts)d sebulan), separuh tingkat interaksi (interaksi dibagi jangkauan, penuh pada 5%%). "
    "Nada pemberitaan luar: berita positif bernilai penuh, netral separuh, negatif nol; berlaku bila ada "
    "liputan. Respons WhatsApp: percakapan yang dijawab dalam satu jam kerja dibanding semua percakapan yang "
    "diserahkan ke kantor; percakapan yang diserahkan lalu tidak dijawab lewat dari satu jam kerja dihitung "
    "gagal. Bagian yang tidak berlaku tidak mengurangi skor.")
NATIONAL_ROWS = 60  # the national table lists the leaders; the CSV/XLSX export has all 553


def _table(data: list[list[object]], widths: list[float]) -> Table:
    """The house table (core.pdf_style), figures right-aligned in the middle of their row."""
    table = pdf_style.table(data, widths)
    table.setStyle(TableStyle([("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(pdf_style.GREY)
    canvas.drawString(20 * mm, 10 * mm, "Laporan Kinerja Humas - Satu Pintu Kementerian Agama")
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Halaman {canvas.getPageNumber()}")
    canvas.restoreState()


def yearly_report_pdf(period: selectors.Period, *, kanwil: Office | None) -> bytes:
    """In Indonesian (its numbers grouped "21.649") whatever language the asking page was in."""
    with translation.override("id"):
        return _yearly_report_pdf(period, kanwil=kanwil)


def _yearly_report_pdf(period: selectors.Period, *, kanwil: Office | None) -> bytes:
    st = pdf_style.styles()
    rows = selectors.scorecard(period, kanwil=kanwil)
    scope = kanwil.name if kanwil else "Kementerian Agama (nasional)"
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"Laporan Kinerja Humas {period.year} - {scope}",
                            author="Satu Pintu", creator="Satu Pintu")
    story: list = [
        Paragraph(f"Laporan Kinerja Humas Tahun {period.year}", st["h1"]),
        Paragraph(pdftext.text(scope), st["h2"]),
        Paragraph(f"Bahan Rapat Koordinasi Kehumasan. Periode: Januari - "
                  f"{MONTHS[period.months[-1].month - 1] if period.months else 'Desember'} {period.year}.", st["p"]),
    ]
    totals = {k: sum(getattr(r.figures, k) for r in rows) for k in ("stories", "original", "repeats", "social_posts",
                                                                   "social_engagement")}
    story += [Paragraph("Ringkasan", st["h2"]), _table([
        ["Ukuran", "", "Jumlah"],
        ["Kantor dinilai", "", whole(len(rows))], ["Berita terbit", "", whole(totals["stories"])],
        ["Berita orisinal", "", whole(totals["original"])], ["Berita ulangan", "", whole(totals["repeats"])],
        ["Unggahan media sosial", "", whole(totals["social_posts"])],
        ["Interaksi media sosial", "", whole(totals["social_engagement"])],
    ], [80 * mm, 20 * mm, 40 * mm])]
    per_month = dict(MonthlyFigure.objects.filter(month__in=period.months, office_id__in=[r.office_id for r in rows])
                     .values("month").annotate(n=Sum("stories")).order_by().values_list("month", "n"))
    story += [Paragraph("Berita per bulan", st["h2"]), _table(
        [["Bulan", "", "Berita"], *([MONTHS[m.month - 1], "", whole(per_month.get(m, 0))]
                                    for m in period.months)],  # type: ignore[list-item]
        [80 * mm, 20 * mm, 40 * mm])]
    shown = rows if kanwil else rows[:NATIONAL_ROWS]
    story += [Paragraph("Peringkat" + ("" if kanwil else f" ({len(shown)} teratas)"), st["h2"]), _table(
        [["No", "Kantor", "Berita", "Orisinal", "Target", "Medsos", "Skor"],
         *([r.rank_kanwil if kanwil else r.rank_national, Paragraph(pdftext.text(r.name, breaks=False), st["cell"]),
            whole(r.figures.stories), whole(r.figures.original), f"{r.progress_percent}%" if r.progress_percent is not None else "-",
            whole(r.figures.social_posts), decimal(r.score, 1, "id")] for r in shown)],
        [10 * mm, 70 * mm, 17 * mm, 17 * mm, 17 * mm, 17 * mm, 17 * mm])]
    award = selectors.awards(rows)
    story.append(Paragraph("Kategori penghargaan", st["h2"]))
    for title, winners, measure in (
            ("Kontributor berita website", award.website, lambda r: f"{whole(r.figures.original)} berita orisinal"),
            ("Media sosial", award.social, lambda r: f"{whole(r.figures.social_engagement)} interaksi"),
            ("Layanan WhatsApp", award.whatsapp,
             lambda r: f"{whole(r.figures.wa_within_target)} dari {whole(r.figures.wa_handled)} dijawab dalam 1 jam kerja")):
        names = "; ".join(f"{i}. {pdftext.text(r.name)} ({measure(r)})" for i, r in enumerate(winners, 1))
        story.append(Paragraph(f"<b>{title}</b>: {names or 'belum ada calon'}", st["p"]))
    story += [Spacer(1, 6), Paragraph("Cara menghitung skor", st["h2"]), Paragraph(SCORE_EXPLAINED % {
        "parts": ", ".join(f"{PART_LABELS[k].lower()} {w}" for k, w in WEIGHTS.items()),
        "posts": SOCIAL_POSTS_DEFAULT_PER_MONTH}, st["p"])]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buf.getvalue()
