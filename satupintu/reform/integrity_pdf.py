"""The Zona Integritas pack as a PDF: a cover with the completeness of each area, then one
section per area of change with its figures (this year and the year before, source, period),
what to attach where Satu Pintu holds nothing, and the documents it holds. The house style of
core/pdf_style.py; every value from the database through core.pdftext."""

from __future__ import annotations

import io
from functools import partial
from zoneinfo import ZoneInfo

from django.utils.text import Truncator
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from satupintu.core import pdftext
from satupintu.core.pdf_style import GREY, RULE
from satupintu.core.pdf_style import styles as _styles
from satupintu.core.pdf_style import table as _table
from satupintu.reform.integrity import Area, Figure, Pack, format_number, long_date

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BODY_W = PAGE_W - 2 * MARGIN

AREA_PURPOSE = {
    1: "Komitmen dan rencana perubahan, agen perubahan, inovasi unit, dan tindak lanjut arahan pimpinan.",
    2: "Proses bisnis dan SOP, layanan berbasis elektronik (e-government), keterbukaan informasi.",
    3: "Perencanaan dan pengembangan pegawai, kinerja individu, disiplin dan sistem informasi kepegawaian.",
    4: "Keterlibatan pimpinan, pengelolaan akuntabilitas kinerja, pencapaian target layanan.",
    5: "Pengendalian gratifikasi, SPIP, pengaduan masyarakat, whistle-blowing system, benturan kepentingan.",
    6: "Standar pelayanan, budaya pelayanan prima, penilaian kepuasan terhadap pelayanan.",
}


def _x(value: object) -> str:
    return pdftext.text(value)


def _value(figure: Figure, previous: bool = False) -> str:
    measure = figure.previous if previous else figure.current
    if measure is None:
        return "-"
    if measure.value is None:
        return "belum ada data"
    return format_number(measure.value, figure.unit)


def _figures(area: Area, pack: Pack, st: dict[str, ParagraphStyle]) -> list:  # type: ignore[type-arg]
    head: list[object] = ["Indikator", str(pack.year), str(pack.year - 1), "Keterangan dan sumber"]
    rows: list[list[object]] = [head]
    for f in area.figures:
        about = (f.current.detail if f.has_data else f.missing)
        note = f"{_x(about)}<br/><font color='#555555'>{_x(f.source)}; {_x(f.period)}</font>"
        rows.append([Paragraph(_x(f.label), st["cellb"]),
                     Paragraph(_x(_value(f)), st["cellb" if f.has_data else "cell"]),
                     Paragraph(_x(_value(f, previous=True)), st["cell"]), Paragraph(note, st["cell"])])
    out: list = [_table(rows, [48 * mm, 24 * mm, 22 * mm, BODY_W - 94 * mm])]  # type: ignore[type-arg]
    for f in area.figures:
        if f.current.rows:
            detail: list[list[object]] = [["Rincian: " + f.label, ""]] + [[Paragraph(_x(a), st["cell"]), Paragraph(_x(b), st["cell"])]
                                                     for a, b in f.current.rows]
            out += [Spacer(1, 2 * mm), _table(detail, [95 * mm, BODY_W - 95 * mm])]
    return out


def _documents(area: Area, pack: Pack, st: dict[str, ParagraphStyle]) -> list:  # type: ignore[type-arg]
    out: list = [Paragraph("Dokumen yang dimiliki Satu Pintu", st["h2"])]  # type: ignore[type-arg]
    if not area.documents:
        out.append(Paragraph(_x(area.absent_documents), st["p"]))
        return out
    for d in area.documents:
        where = f"berkas <b>{_x(area.folder + '/' + d.filename)}</b> di ZIP" if d.filename else _x(d.note)
        out.append(Paragraph(f"&bull; {_x(d.title)} - {where}", st["p"]))
    return out


# A table row must fit on a page (ReportLab cannot split a cell): the problem in at most 600
# characters on one run of lines; the whole text is on the breakthrough's own page.
PROBLEM_CHARS = 600


def _innovations(pack: Pack, st: dict[str, ParagraphStyle]) -> list:  # type: ignore[type-arg]
    if not pack.innovations:
        return []
    rows: list[list[object]] = [["Terobosan", "Unit, mulai", "Indikator: sebelum -> sesudah"]]
    for i in pack.innovations:  # the title on one line: titles saved before were kept with their line breaks
        effect = "; ".join(f"{label}: {text}" for label, text in i.effects) or "-"
        rows.append([Paragraph(f"<b>{pdftext.text(i.title, breaks=False)}</b><br/>{pdftext.text(Truncator(i.problem).chars(PROBLEM_CHARS), breaks=False)}", st["cell"]),
                     Paragraph(_x(f"{i.unit}, {long_date(i.started_on)}"), st["cell"]),
                     Paragraph(_x(effect), st["cell"])])
    return [Paragraph("Terobosan dan dampaknya", st["h2"]), _table(rows, [70 * mm, 35 * mm, BODY_W - 105 * mm])]


def _cover(pack: Pack, st: dict[str, ParagraphStyle]) -> list:  # type: ignore[type-arg]
    local = pack.generated_at.astimezone(ZoneInfo(pack.office.timezone))
    rows: list[list[object]] = [["Area perubahan", "Indikator berdata", "Dokumen"]]
    for a in pack.areas:
        rows.append([Paragraph(_x(f"{a.number}. {a.title}"), st["cell"]),
                     f"{a.with_data} dari {len(a.figures)} ({a.percent}%)", str(len(a.documents))])
    return [
        Spacer(1, 30 * mm), Paragraph("PAKET BUKTI ZONA INTEGRITAS", st["muted"]),
        Paragraph("Menuju Wilayah Bebas dari Korupsi (WBK) dan Wilayah Birokrasi Bersih dan Melayani (WBBM)",
                  st["p"]),
        Spacer(1, 6 * mm), Paragraph(_x(pack.office.name), st["cover"]),
        Paragraph(_x(f"Tahun {pack.year}: {long_date(pack.start)} - {long_date(pack.end)}"), st["h2"]),
        Spacer(1, 8 * mm), _table(rows, [90 * mm, 45 * mm, BODY_W - 135 * mm]), Spacer(1, 8 * mm),
        Paragraph("Angka dan dokumen yang tercatat di Satu Pintu, dipetakan ke enam area perubahan "
                  "(PermenPANRB 90/2021), sebagai bahan penilaian mandiri (LKE). Berisi angka agregat, terobosan "
                  "(NIK dan nomor telepon di judul dan masalahnya disamarkan), laporan SKM dan notulen rapat "
                  "sebagaimana dicatat penyelenggara. Berkas bukti terobosan tidak disertakan karena belum "
                  "diperiksa dari data pribadi; tempatnya disebutkan. Indikator yang belum berdata di Satu Pintu "
                  "disebutkan beserta dokumen yang perlu dilampirkan dari sumber lain.", st["p"]),
        Spacer(1, 4 * mm),
        Paragraph(_x(f"Dibuat {long_date(local.date())} pukul {local:%H.%M} {pack.office.timezone_label} "
                     "oleh Satu Pintu Kementerian Agama."), st["muted"]),
    ]


def _page(canvas, doc, *, pack: Pack) -> None:  # type: ignore[no-untyped-def]
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, 9.5 * mm, f"Zona Integritas {pack.year} - {pack.office.short_name}"[:110])
    canvas.drawRightString(PAGE_W - MARGIN, 9.5 * mm, f"Halaman {canvas.getPageNumber()}")
    canvas.restoreState()


def integrity_pdf(pack: Pack) -> bytes:
    st = _styles()
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
                          bottomMargin=20 * mm, title=f"Paket Zona Integritas {pack.year} - {pack.office.name}",
                          author=pack.office.name, subject="Zona Integritas", creator="Satu Pintu")
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=partial(_page, pack=pack))])
    story: list = _cover(pack, st) + [NextPageTemplate("page"), PageBreak()]  # type: ignore[type-arg]
    for area in pack.areas:
        story.append(KeepTogether([Paragraph(_x(f"Area {area.number}. {area.title}"), st["h1"]),
                                   Paragraph(_x(AREA_PURPOSE[area.number]), st["muted"]), Spacer(1, 3 * mm)]))
        story += _figures(area, pack, st)
        if area.number == 1:
            story += _innovations(pack, st)
        story += _documents(area, pack, st)
        story.append(Spacer(1, 8 * mm))
    doc.build(story)
    return buf.getvalue()
