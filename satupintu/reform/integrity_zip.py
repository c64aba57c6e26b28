"""The Zona Integritas pack as a ZIP: the PDF, every figure as CSV and XLSX (core.spreadsheets:
cells that would start a formula are neutralised), and the documents Satu Pintu makes (the SKM
report, Rakor minutes), one folder per area of change (``1-manajemen-perubahan/...``), with
README.txt as the index. Uploaded breakthrough evidence is listed, not packed (why: the
docstring of reform/integrity.py).

Written into a temporary file on disk, never whole in memory. At most MAX_MINUTES minutes are
rendered (a Kanwil or Pusat holds and joins many meetings a year) and once the files added pass
MAX_CONTENT_BYTES the rest are named in the README instead, with where to find them. Names
inside the ZIP are ours (integrity.safe_name): a title typed by someone never becomes a path.
"""

from __future__ import annotations

import io
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from zoneinfo import ZoneInfo

from satupintu.core import spreadsheets
from satupintu.reform.integrity import DocumentRef, Pack, format_number, long_date

log = logging.getLogger(__name__)

MAX_CONTENT_BYTES = 200 * 1024 * 1024  # what goes in, before compression
MAX_MINUTES = 60  # minutes PDFs rendered per pack; more are listed with where to download them
HEADER = ["area", "kode", "indikator", "tahun", "nilai", "satuan", "nilai (teks)", "keterangan", "tahun sebelumnya",
          "nilai tahun sebelumnya", "sumber", "periode", "status"]


def figure_rows(pack: Pack) -> Iterator[list[Any]]:
    """One row per figure, then one per breakdown line (per unit, per month...)."""
    yield HEADER
    for area in pack.areas:
        for f in area.figures:
            prev = f.previous.value if f.previous is not None else None
            value = f.current.value
            yield [f"{area.number}. {area.title}", f.key, f.label, pack.year,
                   float(value) if value is not None else None, f.unit, format_number(value, f.unit),
                   f.current.detail if f.has_data else f.missing, pack.year - 1 if f.previous is not None else None,
                   float(prev) if prev is not None else None, f.source, f.period,
                   "ada data" if f.has_data else "belum ada data"]
            for label, text in f.current.rows:
                yield [f"{area.number}. {area.title}", f.key, f"{f.label}: {label}", pack.year, None, "", text, "",
                       None, None, f.source, f.period, "rincian"]


def document_rows(pack: Pack) -> Iterator[list[Any]]:
    """The documents after the figures, in the same columns (status "dokumen")."""
    for a in pack.areas:
        for d in a.documents:
            yield [f"{a.number}. {a.title}", d.kind, d.title, pack.year, None, "",
                   f"{a.folder}/{d.filename}" if d.filename else "", d.note, None, None, "Satu Pintu", "", "dokumen"]


def figures_csv(pack: Pack) -> bytes:
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)
    writer.writerows(figure_rows(pack))
    writer.writerows(document_rows(pack))
    return out.getvalue().encode("utf-8-sig")  # the BOM: Excel then reads the text as UTF-8


def figures_xlsx(pack: Pack) -> bytes:
    docs = [["area", "dokumen", "berkas di ZIP", "catatan"]] + [
        [f"{a.number}. {a.title}", d.title, f"{a.folder}/{d.filename}" if d.filename else "", d.note]
        for a in pack.areas for d in a.documents]
    return spreadsheets.xlsx_bytes({"Angka": figure_rows(pack), "Dokumen": docs})


def _document_bytes(doc: DocumentRef, pack: Pack) -> bytes:
    if doc.kind == "skm_report":
        from satupintu.feedback.report_pdf import skm_report_pdf
        from satupintu.feedback.selectors import Period, dashboard

        period = Period(pack.start, pack.end)
        board = dashboard(pack.office, period)
        return skm_report_pdf(office=pack.office, period=period, result=board.result, units=board.units,
                              services=board.services, children=[])
    if doc.kind == "minutes" and doc.ref is not None:
        from satupintu.rakor.minutes_pdf import minutes_pdf
        from satupintu.rakor.models import Meeting

        return minutes_pdf(Meeting.objects.select_related("office").get(pk=doc.ref))
    raise ValueError(doc.kind)


class _Writer:
    """Adds members and keeps count of the bytes that went in, and of what was left out."""

    def __init__(self, archive: zipfile.ZipFile, stamp: tuple[int, int, int, int, int, int]) -> None:
        self.archive = archive
        self.stamp = stamp  # the folders carry the pack's time, not 1980
        self.total = 0
        self.minutes = 0  # minutes PDFs rendered so far
        self.left_out: list[tuple[str, str]] = []  # (title, why)

    def room_for(self, size: int) -> bool:
        return self.total + size <= MAX_CONTENT_BYTES

    def add_bytes(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)
        self.total += len(data)


def _readme(pack: Pack, included: set[tuple[int, str]], left_out: list[tuple[str, str]]) -> str:
    local = pack.generated_at.astimezone(ZoneInfo(pack.office.timezone))
    lines = [f"PAKET BUKTI ZONA INTEGRITAS - {pack.office.name}",
             f"Tahun {pack.year} ({long_date(pack.start)} - {long_date(pack.end)})",
             f"Dibuat {long_date(local.date())} pukul {local:%H.%M} {pack.office.timezone_label} oleh Satu Pintu.",
             "",
             "Isi:",
             f"  {pack.stem}.pdf          ringkasan per area perubahan (angka, sumber, dokumen)",
             f"  angka-{pack.stem}.csv    semua angka (juga .xlsx, dengan daftar dokumen)",
             "  <nomor>-<area>/" + " " * (len(pack.stem) - 1) + "dokumen yang disimpan Satu Pintu untuk area itu",
             "",
             "Isi paket: angka agregat; judul dan masalah terobosan dengan NIK dan nomor telepon disamarkan;",
             "laporan SKM (angka agregat); notulen rapat sebagaimana dicatat penyelenggara (catatan",
             "pembahasan dapat menyebut nama pejabat; kehadiran dihitung per kantor, bukan nama peserta).",
             "Berkas bukti terobosan TIDAK disertakan: berkas unggahan itu belum diperiksa dari data pribadi.",
             "Buka di halaman terobosan (alamat di bawah), periksa, lalu lampirkan sendiri.",
             ""]
    for area in pack.areas:
        lines.append(f"{area.folder}/  ({area.title}: {area.with_data} dari {len(area.figures)} indikator berdata)")
        for f in area.figures:
            shown = format_number(f.current.value, f.unit) if f.has_data else f.missing
            lines.append(f"  - {f.label}: {shown}")
        if not area.documents:
            lines.append(f"  Dokumen: {area.absent_documents}")
        for d in area.documents:
            if (area.number, d.filename) in included:
                lines.append(f"  * {d.filename}  ({d.title})")
            else:
                lines.append(f"  * {d.title}: {d.note or 'tidak disertakan'}")
        lines.append("")
    if left_out:
        lines.append("Tidak disertakan:")
        lines += [f"  * {title}: {why}" for title, why in left_out]
    return "\n".join(lines) + "\n"


def write_pack_zip(pack: Pack, pdf: bytes, target: IO[bytes]) -> None:
    """The whole ZIP into ``target`` (a file opened for writing)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        local = pack.generated_at.astimezone(ZoneInfo(pack.office.timezone))
        w = _Writer(archive, (local.year, local.month, local.day, local.hour, local.minute, local.second))
        w.add_bytes(f"{pack.stem}.pdf", pdf)
        w.add_bytes(f"angka-{pack.stem}.csv", figures_csv(pack))
        w.add_bytes(f"angka-{pack.stem}.xlsx", figures_xlsx(pack))
        included: set[tuple[int, str]] = set()
        for area in pack.areas:
            archive.writestr(zipfile.ZipInfo(f"{area.folder}/", date_time=w.stamp), b"")  # the folder, even empty
            for doc in area.documents:
                if not doc.filename:
                    continue
                if doc.kind == "minutes":
                    if w.minutes >= MAX_MINUTES:
                        w.left_out.append((doc.title, "melebihi %d notulen per paket; unduh dari halaman rapat "
                                                      "/rakor/%d/" % (MAX_MINUTES, doc.ref or 0)))
                        continue
                    w.minutes += 1
                data = _document_bytes(doc, pack)
                if not w.room_for(len(data)):
                    w.left_out.append((doc.title, "melebihi batas ukuran paket"))
                    continue
                w.add_bytes(f"{area.folder}/{doc.filename}", data)
                included.add((area.number, doc.filename))
        archive.writestr("README.txt", _readme(pack, included, w.left_out))


def pack_zip_file(pack: Pack, pdf: bytes) -> Any:
    """The ZIP in a temporary file, rewound; it disappears when closed (FileResponse closes it)."""
    target = tempfile.TemporaryFile(suffix=".zip")
    try:
        write_pack_zip(pack, pdf, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target
