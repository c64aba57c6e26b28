"""Bulk social-media exports (JSONL or CSV, as monitoring tools and spreadsheets write them).

One bad row never spoils an upload: it is skipped with a message naming its line
("Baris 3: kolom text kosong") and the other rows come in.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import PurePath

from satupintu.core.links import is_web_link
from satupintu.situation.ingest.encoding import decode_bytes
from satupintu.situation.ingest.raw import LOCAL_TZ, RawItem, stable_id

# The names tools actually use for our five columns (compared lower-case).
ALIASES = {
    "text": ("text", "teks", "isi", "content", "message", "full_text", "body"),
    "author": ("author", "penulis", "username", "user", "screen_name", "akun"),
    "time": ("time", "waktu", "created_at", "timestamp", "published_at", "date", "tanggal"),
    "url": ("url", "link", "permalink", "tautan"),
    "id": ("id", "post_id", "tweet_id"),
}
MAX_ERRORS = 100  # a wrong file must not bury the officer under a hundred thousand messages
_EPOCH_MS = 10**11  # an epoch above this is in milliseconds (10**11 s is the year 5138)
_OLDEST = datetime(2000, 1, 1, tzinfo=timezone.utc)  # earlier is an empty epoch field, not a post


class RowError(ValueError):
    """One row's problem, in Indonesian, without the row number."""


Row = tuple[int, dict | None, str]  # (line number, the row's fields or None, why it has none)


def parse_time(value: object) -> datetime | None:
    """ISO 8601, epoch seconds (or milliseconds), or "2024-01-08 10:00:00" read as WIB."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RowError(f"waktu {value!r} tidak dikenali")
    raw = str(value).strip()
    try:
        if isinstance(value, (int, float)) or raw.replace(".", "", 1).isdigit():
            seconds = float(raw)
            when = datetime.fromtimestamp(seconds / 1000 if seconds > _EPOCH_MS else seconds, tz=timezone.utc)
        else:
            when = datetime.fromisoformat(raw)
    except (ValueError, OverflowError, OSError) as exc:
        raise RowError(f"waktu '{raw}' tidak dikenali (pakai ISO 8601, detik epoch, "
                       "atau 2024-01-08 10:00:00)") from exc
    when = when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)
    if not _OLDEST <= when <= datetime.now(timezone.utc) + timedelta(days=1):
        raise RowError(f"waktu '{raw}' di luar rentang yang wajar")
    return when


def _field(row: dict, name: str) -> object:
    for key in ALIASES[name]:
        if row.get(key) not in (None, ""):
            return row[key]
    return None


def _string(value: object, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise RowError(f"kolom {column} harus berupa teks")
    return str(value).strip()


def row_to_item(row: dict) -> RawItem:
    text = _string(_field(row, "text"), "text")
    if not text:
        raise RowError("kolom text kosong")
    author = _string(_field(row, "author"), "author")
    published = parse_time(_field(row, "time"))
    url = _string(_field(row, "url"), "url")
    if not is_web_link(url):
        url = ""  # not a link anyone could open; the post itself is still worth reading
    external_id = _string(_field(row, "id"), "id")
    if not external_id:
        # The same post exported twice (even with another time format) gets the same id.
        instant = published.astimezone(timezone.utc).isoformat() if published else ""
        external_id = stable_id(author, instant, text)
    return RawItem(external_id=external_id, text=text, author=author, url=url, published_at=published)


def _column(name: object) -> str:
    # A BOM left inside the first header (a file re-saved by a tool that added a second one).
    return str(name).strip().lstrip("\ufeff").strip().lower()


def _lowered(row: dict) -> dict:
    return {_column(k): v for k, v in row.items() if k is not None}


UNREADABLE_JSON = "JSON tidak dapat dibaca (angka terlalu panjang atau terlalu bersarang)"


def _json_rows(text: str) -> Iterator[Row]:
    stripped = text.lstrip()
    if stripped.startswith("["):  # a plain JSON array: rows are numbered by position
        try:
            rows = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield exc.lineno, None, "bukan JSON yang sah"
            return
        except (ValueError, RecursionError):  # a number of thousands of digits, arrays nested thousands deep
            yield 1, None, UNREADABLE_JSON
            return
        for number, row in enumerate(rows, start=1):
            yield (number, _lowered(row), "") if isinstance(row, dict) else (number, None, "bukan objek JSON")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            yield number, None, "bukan JSON yang sah"
            continue
        except (ValueError, RecursionError):  # valid JSON syntax Python will not read: this row only
            yield number, None, UNREADABLE_JSON
            continue
        yield (number, _lowered(row), "") if isinstance(row, dict) else (number, None, "bukan objek JSON")


def _has_text_column(header: list[str]) -> bool:
    return any(_column(h) in ALIASES["text"] for h in header)


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The sniffed dialect when it splits the header into our columns; else the delimiter that does."""
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        header = next(csv.reader(io.StringIO(sample), dialect), [])
        if _has_text_column(header):
            return dialect
    except csv.Error:
        pass
    # Indonesian prose is full of commas, which can fool the sniffer; the header line cannot.
    first_line = sample.splitlines()[0] if sample else ""
    for delimiter in (";", ",", "\t", "|"):
        if _has_text_column(next(csv.reader([first_line], delimiter=delimiter), [])):
            return type("Found", (csv.excel,), {"delimiter": delimiter})
    return csv.excel


def _csv_rows(text: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = next(reader, None)
        if header is None:
            return
        if not _has_text_column(header):
            yield 1, None, "kolom text tidak ada di baris judul"
            return
        names = [_column(h) for h in header]
        first_line = reader.line_num + 1
        for fields in reader:
            # line_num is where the row ended; a quoted field may span lines, so count from the start.
            number, first_line = first_line, reader.line_num + 1
            if not any(f.strip() for f in fields):
                continue
            yield number, dict(zip(names, fields, strict=False)), ""
    except csv.Error as exc:
        # The csv module cannot resume after a broken row (e.g. a NUL byte): stop here, say where.
        yield reader.line_num, None, f"format CSV rusak ({exc}); baris sesudahnya tidak dibaca"


def _is_json(filename: str, text: str) -> bool:
    suffix = PurePath(filename.lower()).suffix
    if suffix in (".jsonl", ".ndjson", ".json"):
        return True
    if suffix in (".csv", ".tsv", ".txt"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def read_social_export(data: bytes, filename: str) -> tuple[list[RawItem], list[str]]:
    """The export's posts, and one Indonesian message per row that was skipped."""
    text = decode_bytes(data)
    rows = _json_rows(text) if _is_json(filename, text) else _csv_rows(text)
    items: list[RawItem] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row, problem in rows:
        try:
            if row is None:
                raise RowError(problem)
            item = row_to_item(row)
            if item.external_id in seen:
                raise RowError(f"sama dengan baris {seen[item.external_id]}, dilewati")
        except RowError as exc:
            errors.append(f"Baris {number}: {exc}")
            continue
        seen[item.external_id] = number
        items.append(item)
    if len(errors) > MAX_ERRORS:
        errors = errors[:MAX_ERRORS] + [f"... dan {len(errors) - MAX_ERRORS} baris lain yang bermasalah"]
    return items, errors
