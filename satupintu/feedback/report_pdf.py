"""The SKM report (Laporan Survei Kepuasan Masyarakat) of one office for one period, as a PDF.

The usual shape of the report under PermenPANRB 14/2017: a cover with the index, BAB I on the
method, BAB II with the results (per element, per unit, per service, per office below, and the
respondents' profile) and BAB III with the conclusion and the elements to improve first.
It renders with zero respondents too (the index is then "-").

The look and the notation (colours, geometry, numbers, styles, the table) are in report_pdf_style,
what is drawn on the canvas (the cover, the header and footer of the inner pages) in
report_pdf_pages; this module writes the chapters and puts the document together.
"""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from functools import partial

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
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

from satupintu.core import pdf_style
from satupintu.core.pdftext import text as _x
from satupintu.feedback.elements import (
    AGE_CHOICES,
    EDUCATION_CHOICES,
    ELEMENTS,
    GRADES,
    OCCUPATION_CHOICES,
    SEX_CHOICES,
)
from satupintu.feedback.ikm import IkmResult
from satupintu.feedback.report_pdf_pages import cover_page, inner_page
from satupintu.feedback.report_pdf_style import BODY_W, HEADER_H, LIGHT_RED, MARGIN, RED

# Short local names for the shared helpers: the many f-strings that use them stay readable.
from satupintu.feedback.report_pdf_style import count_text as _int
from satupintu.feedback.report_pdf_style import decimal_text as _num
from satupintu.feedback.report_pdf_style import grade_text as _grade_text
from satupintu.feedback.report_pdf_style import period_text as _period
from satupintu.feedback.report_pdf_style import report_styles as _styles
from satupintu.feedback.report_pdf_style import report_table as _table
from satupintu.feedback.report_pdf_style import weighted_nrr_text as _weighted_nrr
from satupintu.feedback.selectors import Period, Row
from satupintu.organization.models import Office

PROFILE_SECTIONS = (
    ("sex", "Jenis kelamin", SEX_CHOICES),
    ("age_group", "Kelompok umur", AGE_CHOICES),
    ("education", "Pendidikan terakhir", EDUCATION_CHOICES),
    ("occupation", "Pekerjaan", OCCUPATION_CHOICES),
)


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
                "cover", frames=[frame], onPage=partial(cover_page, office=office, period=period, result=result)
            ),
            PageTemplate("inner", frames=[frame], onPage=partial(inner_page, office=office, period=period)),
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
