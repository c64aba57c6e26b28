"""An uploaded export's bytes into rows of cells, whatever the container: CSV (UTF-8 with or
without BOM, UTF-16 with tabs as Meta sometimes writes, Windows-1252; comma, semicolon or tab),
XLSX (streamed through core.spreadsheets, which checks the zip before any XML is parsed), or
YouTube Studio's ZIP (its "Table data.csv" read with a size limit).

The kind of file is told by its bytes, never by its name: a PDF renamed .csv is still a PDF.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from satupintu.core.errors import DomainError
from satupintu.core.spreadsheets import MAX_COLUMNS, XlsxRows

MAX_BYTES = 25 * 1024 * 1024  # a year of daily posts with long captions is a few MB
MAX_ROWS = 20_000  # posts in one file: an office posting 20 a day for two and a half years
MAX_ZIP_MEMBERS = 50  # YouTube's export holds three files
SAMPLE_ROWS = 10  # the header is looked for in the first rows (some exports put a title above it)

Row = tuple[int, list[Any]]  # (the row's number as a spreadsheet shows it, its cells)

# Members of YouTube Studio's ZIP, English and Indonesian names: the table first; the chart and the
# totals are never the posts.
TABLE_MEMBERS = ("table data.csv", "data tabel.csv", "tabel data.csv")
OTHER_MEMBERS = ("chart data.csv", "totals.csv", "data diagram.csv", "data bagan.csv", "total.csv")

UNREADABLE_MESSAGE = ("Berkas tidak bisa dibaca sebagai CSV atau XLSX. Unggah berkas ekspor asli dari "
                      "Meta Business Suite, TikTok Studio, atau YouTube Studio (CSV, XLSX, atau ZIP dari YouTube).")
PDF_MESSAGE = ("Berkas ini PDF, bukan data ekspor. Ekspor datanya sebagai CSV atau XLSX dari Meta Business "
               "Suite, TikTok Studio, atau YouTube Studio.")
OLD_EXCEL_MESSAGE = ("Berkas ini Excel lama (.xls) atau dilindungi kata sandi. Buka di Excel, hapus kata "
                     "sandinya bila ada, lalu simpan sebagai .xlsx atau CSV.")
ZIP_MESSAGE = "Berkas ZIP ini tidak berisi tabel ekspor YouTube Studio (Table data.csv)."
EMPTY_MESSAGE = "Berkas kosong."
UNCLOSED_QUOTE_MESSAGE = ("Tanda kutip (\") di baris %(line)d tidak pernah ditutup, jadi sisa berkas terbaca sebagai "
                          "satu kolom. Berkas terpotong atau diubah: ekspor ulang dari platformnya.")
TOO_LARGE_MESSAGE = ("Berkas terlalu besar (%(size)d MB; maksimal %(limit)d MB). Ekspor rentang tanggal yang "
                     "lebih pendek, misalnya per bulan.")
TOO_MANY_ROWS_MESSAGE = ("Berkas berisi lebih dari %(n)d baris. Ekspor rentang tanggal yang lebih pendek, "
                         "misalnya per bulan.")


def unreadable(message: str = UNREADABLE_MESSAGE) -> DomainError:
    return DomainError("export_unreadable", message)


def too_large(size: int) -> DomainError:
    mb = 1024 * 1024
    return DomainError("export_too_large", TOO_LARGE_MESSAGE, params={"size": -(-size // mb), "limit": MAX_BYTES // mb})


def too_many_rows() -> DomainError:
    return DomainError("export_too_large", TOO_MANY_ROWS_MESSAGE, params={"n": MAX_ROWS})


def read_rows(data: bytes, try_table: Callable[[list[Row]], bool] | None = None) -> list[Row]:
    """Every row of the file (at most `MAX_ROWS` after a header found in the first rows), or a
    DomainError for a file that is not a readable export. For a ZIP, ``try_table`` says whether
    a member's rows are the table wanted (the first that is, or the first member, is read)."""
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8 + codecs.BOM_UTF16_LE + codecs.BOM_UTF16_BE):
        raise DomainError("export_empty", EMPTY_MESSAGE)
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if data.startswith(b"%PDF"):
        raise unreadable(PDF_MESSAGE)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: .xls, or an encrypted .xlsx
        raise unreadable(OLD_EXCEL_MESSAGE)
    if data.startswith(b"PK"):
        return _from_zip(data, try_table)
    return _csv_rows(decode_text(data))


def _from_zip(data: bytes, try_table: Callable[[list[Row]], bool] | None) -> list[Row]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "[Content_Types].xml" in names:
                archive.close()
                return _xlsx_rows(data)
            if len(members) > MAX_ZIP_MEMBERS:
                raise unreadable(ZIP_MESSAGE)
            tables = _table_members(members)
            if not tables:
                raise unreadable(ZIP_MESSAGE)
            # Each member is judged by its head, and only the chosen one is read whole: fifty members
            # of 24 MB in a 3.6 MB ZIP used to be parsed one after another (36 s, 1 GB).
            chosen = tables[0]
            if try_table is not None:
                for member in tables:
                    if try_table(_head_rows(archive, member)):
                        chosen = member
                        break
            return _csv_rows(decode_text(_read_member(archive, chosen)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError,
            EOFError):
        # A broken, encrypted (RuntimeError) or unsupported (NotImplementedError) archive.
        raise unreadable() from None


def _table_members(members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    csvs = [m for m in members if not m.is_dir() and m.filename.lower().endswith(".csv")]
    named = {PurePosixPath(m.filename).name.lower(): m for m in csvs}
    preferred = [named[name] for name in TABLE_MEMBERS if name in named]
    others = [m for m in csvs if PurePosixPath(m.filename).name.lower() not in TABLE_MEMBERS + OTHER_MEMBERS]
    return preferred + others


HEAD_BYTES = 64 * 1024  # enough for a header and the first rows of any export


def _head_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> list[Row]:
    """The first rows of a member, from its first HEAD_BYTES (cut at a line end); [] if unreadable."""
    with archive.open(member) as stream:
        head = stream.read(HEAD_BYTES)
    if len(head) == HEAD_BYTES and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head[:head.rfind(b"\n") + 1] or head
    try:
        return _csv_rows(decode_text(head))
    except DomainError:
        return []


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    # The size in the directory can lie: read one byte past the limit and look.
    if member.file_size > MAX_BYTES:
        raise too_large(member.file_size)
    with archive.open(member) as stream:
        content = stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise too_large(len(content))
    return content


def _xlsx_rows(data: bytes) -> list[Row]:
    try:
        sheet = XlsxRows(data, max_rows=MAX_ROWS + SAMPLE_ROWS)
        return [(number, list(cells)) for number, cells in enumerate(sheet, start=1)]
    except DomainError as exc:
        # core.spreadsheets' codes, as this import's: the limits are "too large", the rest "unreadable".
        if exc.code in ("too_many_rows", "file_too_large", "too_many_columns"):
            if exc.code == "too_many_rows":
                raise too_many_rows() from None
            raise DomainError("export_too_large", exc.text, params=exc.params) from None
        raise unreadable() from None


# --- text ------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes) -> str:
    """The file as text: by its BOM, as UTF-16 when every other byte of its start is NUL (Meta's
    tab-separated exports come like that without a BOM too), UTF-8, else Windows-1252 (Excel's
    "CSV" on Windows). Refused when the result is not text (a binary file, an image...)."""
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            break
    else:
        head = data[:200]
        if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and not head[0::2].count(0):
            text = data.decode("utf-16-le", errors="replace")
        elif len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and not head[1::2].count(0):
            text = data.decode("utf-16-be", errors="replace")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
    sample = text[:8192]
    strange = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n"))
    if not sample.strip() or strange > max(2, len(sample) // 100):
        raise unreadable()
    return text.lstrip("\ufeff")


# --- CSV -------------------------------------------------------------------------------------


def _unclosed_quote(text: str, delimiter: str) -> int | None:
    """The line where a quoted field opens and the file ends before it closes, if one does. Read
    leniently (as below), the rest of the file is that one field: its rows were then reported as
    posts with no publish date."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last = 0
    try:
        for _ in itertools.islice(reader, MAX_ROWS + SAMPLE_ROWS + 1):
            last = reader.line_num
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            return last + 1
    return None  # well formed, or loose quoting elsewhere that spreadsheets read too


def _csv_rows(text: str) -> list[Row]:
    delimiter = _delimiter(text)
    if (line := _unclosed_quote(text, delimiter)) is not None:
        raise DomainError("export_unreadable", UNCLOSED_QUOTE_MESSAGE, params={"line": line})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(itertools.islice(reader, MAX_ROWS + SAMPLE_ROWS + 1))
        if next(reader, None) is not None:
            raise too_many_rows()
    except csv.Error:  # a field over csv's limit (128 KB), a NUL: not an export
        raise unreadable() from None
    # As wide as XLSX may be: a line of 100,000 commas would otherwise keep the header matching
    # busy for a minute.
    if any(len(row) > MAX_COLUMNS for row in rows):
        raise unreadable()
    # A spreadsheet numbers records (a caption with line breaks is one row), so do we.
    return [(number, row) for number, row in enumerate(rows, start=1)]


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most equal, widest rows. Captions are full
    of commas, so the sniffer alone can be fooled; the header and the rows under it cannot."""
    sample = text[:65536]
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        try:
            rows = [r for r in itertools.islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter),
                                                SAMPLE_ROWS) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = [len(r) for r in rows]
        common = max(set(widths), key=widths.count)
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best
