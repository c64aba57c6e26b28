"""The SKM report (Laporan Survei Kepuasan Masyarakat) of one office for one period, as a PDF.

The usual shape of the report under PermenPANRB 14/2017: a cover with the index, BAB I on the
method, BAB II with the results (per element, per unit, per service, per office below, and the
respondents' profile) and BAB III with the conclusion and the elements to improve first.
It renders with zero respondents too (the index is then "-").
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from satupintu.core import pdf_style, pdftext
from satupintu.feedback.elements import (
    AGE_CHOICES,
    EDUCATION_CHOICES,
    ELEMENTS,
    GRADES,
    OCCUPATION_CHOICES,
    SEX_CHOICES,
)
from satupintu.feedback.ikm import IkmResult
from satupintu.feedback.selectors import Period, Row
from satupintu.organization.models import Office

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

PROFILE_SECTIONS = (
    ("sex", "Jenis kelamin", SEX_CHOICES),
    ("age_group", "Kelompok umur", AGE_CHOICES),
    ("education", "Pendidikan terakhir", EDUCATION_CHOICES),
    ("occupation", "Pekerjaan", OCCUPATION_CHOICES),
)


# --- formatting ------------------------------------------------------------------------------------


def _date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _period(period: Period) -> str:
    return f"{_date(period.start)} - {_date(period.end)}"


def _num(value: Decimal | float | None, places: int = 2) -> str:
    """Indonesian notation: decimal comma, dot for thousands ("1.234,56")."""
    if value is None:
        return "-"
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _weighted_nrr(ikm: Decimal) -> str:
    """NRR tertimbang = IKM / 25, exact (at most four decimals), at least two shown."""
    value = ikm / 25
    places = max(2, min(4, -value.normalize().as_tuple().exponent))  # type: ignore[operator]
    return _num(value, places)


def _grade_text(result: IkmResult) -> str:
    if result.ikm is None:
        return "-"
    return f"{result.grade} ({result.grade_label})"


def _headline(result: IkmResult) -> str:
    if result.ikm is None:
        return "IKM belum tersedia"
    return f"IKM {_num(result.ikm)} - {result.grade} ({result.grade_label})"


def _x(text: object) -> str:
    return pdftext.text(text)


# --- styles ----------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
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


def _table(
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


# --- page decoration -------------------------------------------------------------------------------


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


def _inner_page(canvas, doc, *, office: Office, period: Period) -> None:  # type: ignore[no-untyped-def]
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


def _cover_page(canvas, doc, *, office: Office, period: Period, result: IkmResult) -> None:  # type: ignore[no-untyped-def]
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


# --- content ---------------------------------------------------------------------------------------


def _bab(number: str, title: str, st: dict[str, ParagraphStyle]) -> list:
    return [Paragraph(f"BAB {number}", st["bab"]), Paragraph(title.upper(), st["bab_title"])]


def _method(result: IkmResult, st: dict[str, ParagraphStyle]) -> list:
    body = st["body"]
    out = _bab("I", "Metode Survei", st)
    out.append(Paragraph("A. Dasar Hukum", st["h2"]))
    out.append(
        Paragraph(
            "Survei Kepuasan Masyarakat (SKM) dilaksanakan berdasarkan Undang-Undang Nomor 25 Tahun 2009 tentang "
            "Pelayanan Publik dan Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
            "(<b>PermenPANRB</b>) <b>Nomor 14 Tahun 2017</b> tentang Pedoman Penyusunan Survei Kepuasan Masyarakat "
            "Unit Penyelenggara Pelayanan Publik. Survei ini mengukur secara menyeluruh tingkat kepuasan masyarakat "
            "atas kualitas layanan yang diberikan, sebagai bahan perbaikan pelayanan secara berkelanjutan.",
            body,
        )
    )

    out.append(Paragraph("B. Unsur dan Skala Penilaian", st["h2"]))
    out.append(
        Paragraph(
            "Kuesioner memuat sembilan unsur pelayanan sesuai PermenPANRB 14/2017. Setiap unsur dijawab dengan skala "
            "1 sampai 4, yaitu 1 (tidak baik), 2 (kurang baik), 3 (baik) dan 4 (sangat baik), dengan rumusan jawaban "
            "yang disesuaikan dengan masing-masing unsur:",
            body,
        )
    )
    names = [
        [
            Paragraph(f"U{i}", st["cellb"]),
            Paragraph(_x(e.name), st["cell"]),
            Paragraph(_x(f"1 = {e.answers[0]}; 4 = {e.answers[3]}"), st["cell"]),
        ]
        for i, e in enumerate(ELEMENTS, 1)
    ]
    out.append(
        _table(
            [["Kode", "Unsur pelayanan", "Skala jawaban (ujung)"], *names],
            [12 * mm, 68 * mm, BODY_W - 80 * mm],
            padding=2.5,
        )
    )

    out.append(Paragraph("C. Perhitungan Indeks", st["h2"]))
    out.append(
        Paragraph(
            "Untuk setiap unsur dihitung <b>nilai rata-rata (NRR) per unsur</b>, yaitu jumlah nilai jawaban dibagi "
            "jumlah responden. Setiap unsur memiliki <b>bobot yang sama, 1/9</b> (bobot = jumlah bobot / jumlah unsur "
            "= 1/9). <b>NRR tertimbang</b> adalah jumlah NRR per unsur dikalikan bobot tersebut, dan "
            "<b>IKM = NRR tertimbang × 25</b>, sehingga indeks berada pada rentang 25 sampai 100. Perhitungan "
            "dilakukan dengan pecahan eksak dan hanya hasil akhir yang dibulatkan ke dua angka desimal, sehingga "
            "skor sempurna bernilai tepat 100,00.",
            body,
        )
    )
    out.append(Paragraph("Mutu pelayanan ditentukan dari nilai IKM menurut tabel interval berikut:", body))
    rows: list[list[object]] = [["Mutu pelayanan", "Nilai interval konversi (IKM)", "Kinerja unit pelayanan"]]
    upper = Decimal("100.00")
    achieved = None
    for i, (lowest, grade, label) in enumerate(GRADES, 1):
        rows.append([grade, f"{_num(lowest)} - {_num(upper)}", label])
        if grade == result.grade:
            achieved = i
        upper = lowest - Decimal("0.01")
    extra = [("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (1, 0), (1, -1), "CENTER")]
    if achieved:
        extra += [
            ("BACKGROUND", (0, achieved), (-1, achieved), pdf_style.LIGHT_GREEN),
            ("FONTNAME", (0, achieved), (-1, achieved), "Helvetica-Bold"),
        ]
    out.append(_table(rows, [34 * mm, 60 * mm, 50 * mm], extra=extra, padding=2.5))
    if achieved:
        out.append(Paragraph("Baris yang disorot adalah mutu pelayanan yang dicapai pada periode ini.", st["note"]))

    out.append(Paragraph("D. Responden", st["h2"]))
    if result.respondents:
        out.append(
            Paragraph(
                f"Responden adalah pengguna layanan yang mengisi kuesioner setelah menerima pelayanan. Jumlah "
                f"responden pada periode ini sebanyak <b>{_int(result.respondents)} orang</b>.",
                body,
            )
        )
    else:
        out.append(
            Paragraph(
                "Responden adalah pengguna layanan yang mengisi kuesioner setelah menerima pelayanan. Pada periode "
                "ini <b>belum ada jawaban survei</b> (0 responden).",
                body,
            )
        )
    return out


def _chart(result: IkmResult) -> Drawing:
    """Horizontal bars of the nine element scores (25-100), the weakest three in red."""
    weakest = {e.code for e in result.weakest}
    label_w = 70 * mm
    bar_w = BODY_W - label_w - 4 * mm
    row_h = 7.2 * mm
    top_pad, bottom_pad = 4 * mm, 16 * mm
    height = top_pad + row_h * len(result.elements) + bottom_pad
    d = Drawing(BODY_W, height)
    x0 = label_w

    def x_of(v: float) -> float:
        return x0 + bar_w * (v - 0) / 100

    plot_top = height - top_pad
    plot_bottom = bottom_pad
    for tick in (0, 25, 50, 75, 100):
        d.add(Line(x_of(tick), plot_bottom, x_of(tick), plot_top, strokeColor=pdf_style.RULE, strokeWidth=0.4))
        d.add(
            String(
                x_of(tick),
                plot_bottom - 9,
                str(tick),
                fontName="Helvetica",
                fontSize=7.5,
                fillColor=pdf_style.GREY,
                textAnchor="middle",
            )
        )
    # Threshold of grade B (good service), dashed, behind the bars.
    b_line = float(GRADES[1][0])
    d.add(
        Line(
            x_of(b_line),
            plot_bottom,
            x_of(b_line),
            plot_top,
            strokeColor=pdf_style.GREEN,
            strokeWidth=0.7,
            strokeDashArray=[2, 2],
        )
    )
    for i, e in enumerate(result.elements):
        y = plot_top - (i + 1) * row_h
        red = e.code in weakest
        colour = RED if red else pdf_style.GREEN
        bar_h = row_h * 0.62
        by = y + (row_h - bar_h) / 2
        d.add(Rect(x0, by, x_of(float(e.ikm)) - x0, bar_h, fillColor=colour, strokeColor=None))
        font = "Helvetica-Bold" if red else "Helvetica"
        label = f"U{i + 1}  {e.name}"
        while stringWidth(label, font, 8) > label_w - 5 and len(label) > 6:
            label = label[:-2].rstrip() + "…"
        d.add(
            String(
                x0 - 5,
                by + bar_h / 2 - 2.8,
                label,
                fontName=font,
                fontSize=8,
                fillColor=RED if red else colors.black,
                textAnchor="end",
            )
        )
        d.add(
            String(
                x_of(float(e.ikm)) - 3,
                by + bar_h / 2 - 2.8,
                _num(e.ikm),
                fontName="Helvetica-Bold",
                fontSize=8,
                fillColor=colors.white,
                textAnchor="end",
            )
        )
    d.add(Line(x0, plot_bottom, x0, plot_top, strokeColor=colors.black, strokeWidth=0.6))
    # Legend.
    ly = 1.5 * mm
    d.add(Rect(x0, ly, 8, 6, fillColor=pdf_style.GREEN, strokeColor=None))
    d.add(String(x0 + 11, ly + 0.6, "Unsur lain", fontName="Helvetica", fontSize=7.5, fillColor=pdf_style.GREY))
    d.add(Rect(x0 + 52, ly, 8, 6, fillColor=RED, strokeColor=None))
    d.add(
        String(x0 + 63, ly + 0.6, "Tiga unsur terendah", fontName="Helvetica", fontSize=7.5, fillColor=pdf_style.GREY)
    )
    d.add(
        Line(x0 + 145, ly + 3, x0 + 157, ly + 3, strokeColor=pdf_style.GREEN, strokeWidth=0.7, strokeDashArray=[2, 2])
    )
    d.add(
        String(
            x0 + 160,
            ly + 0.6,
            f"Batas mutu B ({_num(GRADES[1][0])})",
            fontName="Helvetica",
            fontSize=7.5,
            fillColor=pdf_style.GREY,
        )
    )
    return d


def _rows_table(rows: list[Row], first_header: str, st: dict[str, ParagraphStyle]) -> Table:
    data: list[list[object]] = [["No", first_header, "Responden", "IKM", "Mutu pelayanan"]]
    for i, row in enumerate(rows, 1):
        r = row.result
        data.append(
            [
                str(i),
                Paragraph(_x(row.label), st["cell"]),
                _int(r.respondents),
                _num(r.ikm) if r.respondents else "-",
                _grade_text(r) if r.respondents else "-",
            ]
        )
    extra = [("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 0), (3, -1), "RIGHT")]
    for i, row in enumerate(rows, 1):
        if row.result.grade in ("C", "D"):
            extra.append(("TEXTCOLOR", (3, i), (4, i), RED))
        if not row.result.respondents:
            extra.append(("TEXTCOLOR", (0, i), (-1, i), pdf_style.GREY))
    return _table(
        data, [10 * mm, BODY_W - 10 * mm - 22 * mm - 20 * mm - 30 * mm, 22 * mm, 20 * mm, 30 * mm], extra=extra
    )


def _profile_table(
    title: str, counts: Counter[str], choices: tuple[tuple[str, str], ...], total: int, width: float
) -> Table:
    labels = dict(choices)
    entries = [(label, counts.get(code, 0)) for code, label in choices]
    entries += [(code, n) for code, n in counts.items() if code not in labels and code != "-" and n]
    if counts.get("-", 0):
        entries.append(("Tidak diisi", counts["-"]))
    data: list[list[object]] = [[title, "Jumlah", "%"]]
    for label, n in entries:
        data.append([label, _int(n), _num(Decimal(n) * 100 / total, 1) if total else "-"])
    data.append(["Jumlah", _int(total), "100,0" if total else "-"])
    return _table(data, [width - 32 * mm, 16 * mm, 16 * mm], align_right_from=1, total_row=True)


def _profile(result: IkmResult, letter: str, st: dict[str, ParagraphStyle]) -> list:
    out: list = [CondPageBreak(80 * mm), Paragraph(f"{letter}. Profil Responden", st["h2"])]
    if not result.respondents:
        out.append(
            Paragraph(
                "Belum ada responden pada periode ini, sehingga profil responden tidak dapat disajikan.", st["body"]
            )
        )
        return out
    out.append(
        Paragraph(
            "Sebaran responden menurut jenis kelamin, kelompok umur, pendidikan terakhir dan pekerjaan, dalam jumlah "
            "orang dan persentase terhadap seluruh responden.",
            st["body"],
        )
    )
    gap = 6 * mm
    col = (BODY_W - gap) / 2
    tables = [
        _profile_table(title, result.profile.get(key, Counter()), choices, result.respondents, col)
        for key, title, choices in PROFILE_SECTIONS
    ]
    grid = Table([[tables[0], "", tables[1]], [tables[2], "", tables[3]]], colWidths=[col, gap, col], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    out.append(grid)
    return out


def _results(
    office: Office,
    result: IkmResult,
    units: list[Row],
    services: list[Row],
    children: list[Row],
    st: dict[str, ParagraphStyle],
) -> list:
    body = st["body"]
    out = _bab("II", "Hasil Survei", st)
    out.append(Paragraph("A. Nilai per Unsur Pelayanan", st["h2"]))
    weakest = {e.code for e in result.weakest}
    data: list[list[object]] = [["No", "Unsur pelayanan", "NRR", "NRR × 25"]]
    if result.respondents:
        out.append(
            Paragraph(
                f"Dari {_int(result.respondents)} responden diperoleh nilai rata-rata (NRR) per unsur dan indeks "
                f"kepuasan masyarakat sebagai berikut. Tiga unsur dengan nilai terendah ditandai merah.",
                body,
            )
        )
        for i, e in enumerate(result.elements, 1):
            data.append([str(i), Paragraph(_x(e.name), st["cell"]), _num(e.average), _num(e.ikm)])
        assert result.ikm is not None
        data.append(
            [
                "",
                Paragraph(f"<b>Indeks Kepuasan Masyarakat (IKM)</b> - mutu {_x(_grade_text(result))}", st["cell"]),
                _weighted_nrr(result.ikm),
                _num(result.ikm),
            ]
        )
    else:
        out.append(Paragraph("Belum ada jawaban survei pada periode ini; nilai per unsur belum dapat dihitung.", body))
        for i, element in enumerate(ELEMENTS, 1):
            data.append([str(i), Paragraph(_x(element.name), st["cell"]), "-", "-"])
        data.append(["", Paragraph("<b>Indeks Kepuasan Masyarakat (IKM)</b>", st["cell"]), "-", "-"])
    extra = [("ALIGN", (0, 0), (0, -1), "CENTER")]
    for i, e in enumerate(result.elements, 1):
        if e.code in weakest:
            extra += [
                ("BACKGROUND", (0, i), (-1, i), LIGHT_RED),
                ("TEXTCOLOR", (2, i), (-1, i), RED),
                ("FONTNAME", (2, i), (-1, i), "Helvetica-Bold"),
            ]
    out.append(
        _table(
            data,
            [10 * mm, BODY_W - 10 * mm - 2 * 24 * mm, 24 * mm, 24 * mm],
            align_right_from=2,
            total_row=True,
            extra=extra,
        )
    )
    out.append(
        Paragraph(
            "NRR: nilai rata-rata per unsur (skala 1-4). NRR × 25: nilai unsur pada skala 25-100. "
            "Pada baris IKM, kolom NRR berisi NRR tertimbang (jumlah NRR × 1/9).",
            st["note"],
        )
    )

    out.append(Paragraph("B. Grafik Nilai per Unsur", st["h2"]))
    if result.elements:
        out.append(KeepTogether([_chart(result)]))
    else:
        out.append(Paragraph("Grafik belum dapat ditampilkan karena belum ada jawaban survei.", body))

    out.append(CondPageBreak(40 * mm))
    out.append(Paragraph("C. Indeks per Unit Layanan", st["h2"]))
    out.append(
        _rows_table(units, "Unit layanan", st)
        if units
        else Paragraph("Belum ada jawaban survei per unit layanan pada periode ini.", body)
    )
    out.append(CondPageBreak(40 * mm))
    out.append(Paragraph("D. Indeks per Jenis Layanan", st["h2"]))
    out.append(
        _rows_table(services, "Jenis layanan", st)
        if services
        else Paragraph("Belum ada jawaban survei per jenis layanan pada periode ini.", body)
    )
    if children:
        below = "Kantor Wilayah" if office.level == "pusat" else "Kantor Kementerian Agama Kabupaten/Kota"
        out.append(CondPageBreak(40 * mm))
        out.append(Paragraph(f"E. Indeks {below} di Bawahnya", st["h2"]))
        answered = sum(1 for r in children if r.result.respondents)
        out.append(
            Paragraph(
                f"{_int(answered)} dari {_int(len(children))} kantor di bawah {_x(office.name)} memiliki jawaban survei "
                f'pada periode ini; kantor tanpa responden ditandai "-".',
                body,
            )
        )
        prefix = "Kantor Wilayah Kementerian Agama " if office.level == "pusat" else "Kantor Kementerian Agama "
        short = [Row(r.key, r.label.removeprefix(prefix), r.result) for r in children]
        out.append(_rows_table(short, "Kantor", st))
    out += _profile(result, "F" if children else "E", st)
    return out


def _conclusion(office: Office, period: Period, result: IkmResult, st: dict[str, ParagraphStyle]) -> list:
    body = st["body"]
    out = _bab("III", "Kesimpulan", st)
    if not result.respondents or result.ikm is None:
        out.append(
            Paragraph(
                f"Pada periode {_period(period)} <b>belum ada jawaban survei</b> kepuasan masyarakat untuk "
                f"{_x(office.name)}, sehingga Indeks Kepuasan Masyarakat (IKM) belum dapat dihitung dan tidak ada unsur "
                f"yang dapat ditetapkan sebagai prioritas perbaikan.",
                body,
            )
        )
        out.append(
            Paragraph(
                "Disarankan agar unit pelayanan mengajak setiap pengguna layanan mengisi survei setelah menerima "
                "pelayanan, agar penilaian dapat disusun pada periode berikutnya.",
                body,
            )
        )
        return out
    out.append(
        Paragraph(
            f"Berdasarkan jawaban {_int(result.respondents)} responden pada periode {_period(period)}, Indeks Kepuasan "
            f"Masyarakat (IKM) {_x(office.name)} adalah <b>{_num(result.ikm)}</b>, dengan mutu pelayanan "
            f"<b>{_x(result.grade)}</b> dan kinerja unit pelayanan <b>{_x(result.grade_label)}</b>.",
            body,
        )
    )
    weakest = result.weakest
    out.append(
        Paragraph("Unsur pelayanan dengan nilai terendah, yang menjadi <b>prioritas perbaikan</b>, adalah:", body)
    )
    for e in weakest:
        out.append(
            Paragraph(
                f"<b>{_x(e.name)}</b>: NRR {_num(e.average)} (nilai {_num(e.ikm)}).", st["bullet"], bulletText="•"
            )
        )
    best = max(result.elements, key=lambda e: (e.average, e.code))
    out.append(Spacer(1, 4))
    out.append(
        Paragraph(
            f"Unsur dengan nilai tertinggi adalah <b>{_x(best.name)}</b> (NRR {_num(best.average)}; nilai "
            f"{_num(best.ikm)}), yang perlu dipertahankan.",
            body,
        )
    )
    out.append(
        Paragraph(
            "Unit pelayanan disarankan menyusun rencana tindak lanjut atas unsur-unsur prioritas tersebut, "
            "melaksanakannya, dan menilai kembali hasilnya pada periode survei berikutnya. Hasil survei ini "
            "dipublikasikan kepada masyarakat sebagai bentuk akuntabilitas pelayanan publik.",
            body,
        )
    )
    return out


def skm_report_pdf(
    *, office: Office, period: Period, result: IkmResult, units: list[Row], services: list[Row], children: list[Row]
) -> bytes:
    """The SKM report of ``office`` for ``period`` as PDF bytes."""
    st = _styles()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=HEADER_H + 12 * mm,
        bottomMargin=22 * mm,
        title=f"Laporan Survei Kepuasan Masyarakat - {office.name}",
        author=office.name,
        subject=f"SKM {_period(period)}",
        creator="Satu Pintu",
        pageCompression=1,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "cover", frames=[frame], onPage=partial(_cover_page, office=office, period=period, result=result)
            ),
            PageTemplate("inner", frames=[frame], onPage=partial(_inner_page, office=office, period=period)),
        ]
    )
    story: list = [Spacer(1, 1), NextPageTemplate("inner"), PageBreak()]
    story += _method(result, st)
    story.append(PageBreak())
    story += _results(office, result, units, services, children, st)
    story.append(PageBreak())
    story += _conclusion(office, period, result, st)
    doc.build(story)
    return buf.getvalue()
