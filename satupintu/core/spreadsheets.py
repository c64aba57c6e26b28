"""Spreadsheets in and out, safely.

Out (CSV and XLSX exports): a cell that starts with ``= + - @`` (or a tab, CR or LF) is read
by Excel and LibreOffice as a formula, so a reporter's title ``=HYPERLINK("http://...")``
would become a live link in an officer's spreadsheet. Every export writes its rows through
`safe_row` (or `csv_writer`), which puts an apostrophe before such a string. Numbers stay
numbers: ``-3`` as an int is a value, only text is neutralised.

In (XLSX imports): an .xlsx is a zip of XML, so a 500 KB upload can hold 300,000 rows or
gigabytes of XML. `XlsxRows` refuses a workbook whose uncompressed size, member count or
declared sheet size is absurd before parsing it, then streams the first sheet (openpyxl's
read-only mode) and stops as soon as the row limit is passed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from satupintu.core.errors import DomainError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

# A real survey sheet of 50,000 rows is about 25 MB of XML; four times that is no spreadsheet.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000  # parts in the zip (sheets, styles, images...)
MAX_COLUMNS = 200  # our imports have at most a few dozen columns; XFD (16,384) is an attack


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should store it: text that would start a formula gets a
    leading apostrophe (shown as text, never evaluated); numbers, dates and None unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class _SafeWriter:
    """csv.writer whose every row goes through `safe_row`."""

    def __init__(self, stream: io.StringIO | Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: io.StringIO | Any, **kwargs: Any) -> _SafeWriter:
    """The only CSV writer exports use (tests/core/test_spreadsheets.py checks that)."""
    return _SafeWriter(stream, **kwargs)


def xlsx_bytes(sheets: dict[str, Iterable[Iterable[Any]]]) -> bytes:
    """A workbook with one sheet per entry (in order), every row through `safe_row`: the only
    way exports write XLSX (openpyxl would store a string starting with "=" as a formula)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(safe_row(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# --- reading -----------------------------------------------------------------------------------


def _unreadable() -> DomainError:
    return DomainError("unreadable_file", "Berkas XLSX rusak atau bukan XLSX.")


def _too_many_rows(max_rows: int) -> DomainError:
    return DomainError("too_many_rows", "Maksimal %(n)d baris per berkas.", max_rows=max_rows,
                       params={"n": max_rows})


def check_xlsx_container(data: bytes) -> None:
    """Refuse a zip that would unpack to something no spreadsheet is, before any XML is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable() from None
    if len(members) > MAX_MEMBERS:
        raise DomainError("file_too_large", "Berkas XLSX berisi terlalu banyak bagian (maksimal %(n)d).",
                          params={"n": MAX_MEMBERS})
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DomainError(
            "file_too_large",
            "Isi berkas XLSX terlalu besar setelah dibuka (%(size)d MB; maksimal %(limit)d MB). Bagi menjadi "
            "beberapa berkas atau simpan sebagai CSV.",
            params={"size": total // (1024 * 1024), "limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)},
        )


class XlsxRows:
    """The first sheet's rows as tuples of values (trailing empty cells dropped), header
    included; at most ``max_rows + 1`` rows are read (the header and ``max_rows`` more) before a
    `DomainError` ``too_many_rows``. ``read`` counts the rows taken from the file so far."""

    def __init__(self, data: bytes, *, max_rows: int) -> None:
        self.max_rows = max_rows
        self.read = 0
        check_xlsx_container(data)
        from openpyxl import load_workbook

        try:
            self._book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            self._sheet = self._book.worksheets[0]
        except Exception:  # openpyxl raises many kinds for a broken file
            raise _unreadable() from None
        # The sheet's own <dimension>: a file that says it is bigger than allowed is refused unread.
        declared_rows, declared_cols = self._sheet.max_row, self._sheet.max_column
        if declared_rows is not None and declared_rows > max_rows + 1:
            self._book.close()
            raise _too_many_rows(max_rows)
        if declared_cols is not None and declared_cols > MAX_COLUMNS:
            self._book.close()
            raise DomainError("too_many_columns", "Maksimal %(n)d kolom per lembar.",
                              params={"n": MAX_COLUMNS})
        # A declared size may also be too small (some writers get it wrong): read by the real rows.
        self._sheet.reset_dimensions()

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        try:
            for row in self._sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                self.read += 1
                if self.read > self.max_rows + 1:
                    raise _too_many_rows(self.max_rows)
                end = len(row)
                while end and row[end - 1] is None:
                    end -= 1
                yield tuple(row[:end])
        except DomainError:
            raise
        except Exception:  # a sheet that breaks half-way is as broken as one that never opens
            raise _unreadable() from None
        finally:
            self._book.close()
