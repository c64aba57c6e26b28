"""Each office's social posts, reach and engagement, read from the files the platforms
themselves export (issue #16, the Humas scorecard). Pure: bytes in, rows and problems out.

Files read (see social_exports_files.py): CSV in any usual encoding and delimiter, XLSX, and
YouTube Studio's ZIP. Which platform wrote the file is told by its headers (the ``platform``
argument, when given, is checked against them), and so is its language.

Headers accepted (case and spacing ignored; the full lists are in social_exports_columns.py):
- Meta Business Suite (Insights > Content > Export), Facebook and Instagram post CSV:
  English as Meta writes it: "Post ID", "Page ID"/"Page name" (Facebook) or "Account ID"/
  "Account username"/"Account name" (Instagram), "Title", "Description", "Publish time",
  "Permalink", "Post type", "Date" (the word "Lifetime": ignored), "Views" (or the older
  "Impressions"), "Reach", "Reactions" (Facebook) or "Likes" (Instagram), "Comments", "Shares",
  "Saves", "Reactions, comments and shares". Bahasa Indonesia: "ID Postingan", "ID Halaman"/
  "Nama Halaman", "ID Akun"/"Nama pengguna akun"/"Nama akun", "Judul", "Deskripsi", "Waktu
  publikasi", "Tautan permanen", "Jenis postingan", "Tayangan" (or "Impresi"), "Jangkauan",
  "Reaksi"/"Suka", "Komentar", "Dibagikan"/"Bagikan", "Disimpan", and near variants. The English
  names are those of real exports; the Indonesian ones follow the words of Meta's Indonesian
  interface (no real Indonesian export was at hand to copy), so variants are accepted generously.
  Facebook or Instagram: Page columns or Account columns, else "Post type" values ("IG reel",
  "IG image"...), else the permalinks' site, else the ``platform`` argument, else Facebook.
- TikTok Studio (Analytics > Content > Download data), XLSX or CSV: "Video title", "Video link",
  "Post time", "Total views", "Total likes", "Total comments", "Total shares", "Add to
  favorites"/"Total bookmarks", "Reached audience"; Indonesian "Judul video", "Tautan video",
  "Waktu posting", "Total tayangan", "Total suka", "Total komentar", "Total bagikan", "Favorit".
  The post id is the number in the video link; a post time without its year ("September 4", as
  some exports write it) is read from that id, whose top 32 bits are the Unix time of posting.
- YouTube Studio (Analytics > Advanced mode > Export, the ZIP or its "Table data.csv"):
  "Content" (the video id), "Video title", "Video publish time" ("Nov 3, 2026"), "Views",
  "Unique viewers", "Likes", "Comments added", "Shares"; Indonesian "Konten", "Judul video",
  "Waktu publikasi video", "Penayangan", "Penonton unik", "Suka", "Komentar yang ditambahkan",
  "Berbagi". The "Total" row is skipped. The URL is built from the video id.

Figures: ``views`` is the platform's views (Meta "Views"/"Impressions", TikTok and YouTube
"Views"); ``reach`` is Meta's "Reach", or TikTok's reached audience / YouTube's unique viewers
when exported, else the views; ``engagement`` is reactions or likes + comments + shares + saves
(Meta's combined "Reactions, comments and shares" column when the three are not given apart).

Dates: English Meta and TikTok exports write month/day/year, Indonesian ones day/month/year, so
the header language decides; a part above 12 settles it either way. No zone: Asia/Jakarta.

A bad row never stops the import: it is left out and each of its problems reported with its
row number as a spreadsheet shows it (header = 1; a caption with line breaks is one row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from django.utils.translation import gettext

from satupintu.core.errors import DomainError
from satupintu.core.links import is_web_link
from satupintu.humas.social_exports_columns import (
    COUNTS,
    FOREIGN_HEADERS,
    LAYOUTS,
    META,
    SIGNATURES,
    TIKTOK,
    TOOL_NAMES,
    YOUTUBE,
    expected_headers,
    foreign_headers,
    normalize_header,
)
from satupintu.humas.social_exports_files import SAMPLE_ROWS, Row, read_rows
from satupintu.humas.social_exports_values import (
    JAKARTA,
    NoYear,
    clean_text,
    parse_count,
    parse_when,
    tiktok_id_time,
)

PLATFORMS = ("facebook", "instagram", "tiktok", "youtube")
PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube"}
FAMILY_OF = {"facebook": META, "instagram": META, "tiktok": TIKTOK, "youtube": YOUTUBE}
TITLE_LENGTH = 300
URL_LENGTH = 2000
ID_LENGTH = 255

MISSING_DATE_MESSAGE = "Tanggal terbit kosong, jadi postingan ini tidak bisa dihitung di bulan mana pun."
BAD_DATE_MESSAGE = "Tanggal terbit tidak terbaca."
BAD_NUMBER_MESSAGE = "Angka tidak terbaca (harus bilangan bulat, misalnya 1234, 1.234 atau 1,2 rb)."
MISSING_ID_MESSAGE = "Tidak ada ID postingan maupun tautannya."
BAD_ID_MESSAGE = "ID postingan terlalu panjang."
DUPLICATE_MESSAGE = "Postingan yang sama sudah ada di baris sebelumnya; baris ini dilewati."
PROBLEM_DETAIL_MESSAGE = '%(message)s Kolom "%(column)s": "%(value)s".'
EMPTY_TABLE_MESSAGE = "Berkas ini tidak berisi satu pun postingan (hanya judul kolom)."
UNKNOWN_FORMAT_MESSAGE = ("Berkas ini tidak dikenali sebagai ekspor %(tools)s. Kolom yang dicari, misalnya: "
                          "%(expected)s. Kolom di berkas: %(found)s.")
MISMATCH_MESSAGE = ("Berkas ini ekspor %(found)s, bukan %(chosen)s. Pilih %(found)s sebagai platformnya, atau "
                    "unggah berkas ekspor %(chosen)s.")
LANGUAGE_MESSAGE = ("Judul kolom berkas ini tidak berbahasa Indonesia atau Inggris (misalnya \"%(example)s\"): "
                    "ekspor dibuat dengan tampilan %(tools)s dalam bahasa lain. Ubah bahasa %(tools)s ke Bahasa "
                    "Indonesia atau English, lalu ekspor ulang berkasnya.")


@dataclass(frozen=True)
class SocialRow:
    line: int  # the row's number in the file as a spreadsheet shows it (header = 1)
    platform: str  # one of PLATFORMS
    post_id: str  # the platform's id of the post/video (or its permalink when the export has no id)
    published_at: datetime  # timezone-aware; Asia/Jakarta when the file gives no zone
    title: str  # caption/title, stripped, cut to 300 characters
    url: str  # permalink or '' when absent
    views: int  # views/plays/impressions as the platform names it (0 when absent)
    reach: int  # accounts reached (Meta "Reach"); for TikTok/YouTube = views when the export has no reach
    engagement: int  # reactions/likes + comments + shares (+ saves where given)


@dataclass(frozen=True)
class RowProblem:
    line: int
    code: str  # stable: missing_date, bad_date, bad_number, missing_id, bad_id, duplicate
    message: str  # Bahasa Indonesia, a gettext msgid without values (translate with gettext)
    column: str = ""  # the file's own header of the cell at fault, when there is one
    value: str = ""  # that cell as written (cut to 60 characters)

    def display(self) -> str:
        """The message in the active language, with the column and the value when there are."""
        text = gettext(self.message)
        if not self.column:
            return text
        return gettext(PROBLEM_DETAIL_MESSAGE) % {"message": text, "column": self.column, "value": self.value}


@dataclass
class ParsedExport:
    platform: str
    language: str  # "id" or "en": which header language was recognised
    rows: list[SocialRow]
    problems: list[RowProblem] = field(default_factory=list)


def parse_export(filename: str, data: bytes, platform: str | None = None, zone: tzinfo = JAKARTA) -> ParsedExport:
    """The posts in one export file. ``platform`` is what the person said the file is (checked
    against its headers), or None to tell it from them. ``filename`` is not trusted (kept for the
    callers' logs): the kind of file is told by its bytes. Raises DomainError for a file that cannot be imported at all
    (export_empty, export_unreadable, export_too_large, export_unknown_format,
    export_platform_mismatch, export_language); a bad row is a RowProblem, never an exception.
    ``zone``: the zone of times the file gives without one (the channel's office's)."""
    if platform is not None and platform not in PLATFORMS:
        raise ValueError(f"platform must be one of {PLATFORMS}, not {platform!r}")
    rows = read_rows(data, try_table=lambda table: _find_header(table) is not None)
    found = _find_header(rows)
    if found is None:
        raise _not_recognised(rows, platform)
    header_index, columns = found
    body = rows[header_index + 1:]
    if not any(any(clean_text(c) for c in cells) for _, cells in body):
        raise DomainError("export_empty", EMPTY_TABLE_MESSAGE)
    detected = _platform(columns, body, platform)
    if platform is not None and detected != platform:
        raise DomainError("export_platform_mismatch", MISMATCH_MESSAGE,
                          params={"found": PLATFORM_NAMES[detected], "chosen": PLATFORM_NAMES[platform]})
    parsed = ParsedExport(platform=detected, language=columns.language, rows=[], problems=[])
    seen: dict[str, int] = {}
    for line, cells in body:
        if not any(clean_text(c) for c in cells):
            continue  # an empty row, as spreadsheets leave at the end
        if columns.family == YOUTUBE and _is_total(columns, cells):
            continue
        row, problems = _read_row(columns, detected, line, cells, zone)
        if row is not None and row.post_id in seen:
            problems = [RowProblem(line, "duplicate", DUPLICATE_MESSAGE, columns.header_of("post_id"),
                                   row.post_id[:60])]
            row = None
        if row is not None:
            seen[row.post_id] = line
            parsed.rows.append(row)
        parsed.problems.extend(problems)
    return parsed


# --- recognising the file ----------------------------------------------------------------------


@dataclass
class Columns:
    """Where each field is in this file: field -> column indexes, preferred first."""

    family: str
    language: str
    headers: list[str]  # as written in the file
    at: dict[str, list[int]]

    def header_of(self, name: str) -> str:
        return self.headers[self.at[name][0]] if self.at.get(name) else ""


def _columns_for(family: str, headers: list[Any]) -> Columns | None:
    normalized = [normalize_header(h) for h in headers]
    at: dict[str, list[int]] = {}
    votes = {"id": 0, "en": 0}
    for layout in (lay for lay in LAYOUTS if lay.family == family):
        other = next(lay for lay in LAYOUTS if lay.family == family and lay is not layout)
        other_names = {name for names in other.columns.values() for name in names}
        for name, accepted in layout.columns.items():
            for wanted in accepted:
                for index, header in enumerate(normalized):
                    if header == wanted and index not in at.setdefault(name, []):
                        at[name].append(index)
                        if header not in other_names:  # a header both languages use says nothing
                            votes[layout.language] += 1
    for name, indexes in at.items():  # preferred first: in the order the tables list the headers
        order = [w for lay in LAYOUTS if lay.family == family for w in lay.columns.get(name, ())]
        indexes.sort(key=lambda i: order.index(normalized[i]))
    at = {name: indexes for name, indexes in at.items() if indexes}
    if not all(any(name in at for name in group) for group in SIGNATURES[family]):
        return None
    if not any(name in at for name in COUNTS):
        return None
    language = "id" if votes["id"] > votes["en"] else "en"
    return Columns(family, language, [clean_text(h) for h in headers], at)


def _find_header(rows: list[Row]) -> tuple[int, Columns] | None:
    """The first of the first rows that is a known export's header, and its columns."""
    for index, (_, cells) in enumerate(rows[:SAMPLE_ROWS]):
        candidates = [c for c in (_columns_for(f, cells) for f in (META, TIKTOK, YOUTUBE)) if c is not None]
        if candidates:
            return index, max(candidates, key=lambda c: len(c.at))
    return None


def _not_recognised(rows: list[Row], platform: str | None) -> DomainError:
    family = FAMILY_OF[platform] if platform else None
    tools = TOOL_NAMES[family] if family else " / ".join(TOOL_NAMES.values())
    for _, cells in rows[:SAMPLE_ROWS]:
        written = {normalize_header(c): clean_text(c) for c in cells if clean_text(c)}
        filled = list(written)
        foreign = foreign_headers(filled)
        # Two known headers of another language's export, or a header row mostly in another
        # script; one Japanese caption in a data row is neither.
        if len(foreign) >= 2 and (len(foreign) * 2 >= len(filled) or len(set(foreign) & FOREIGN_HEADERS) >= 2):
            return DomainError("export_language", LANGUAGE_MESSAGE,
                               params={"example": written[foreign[0]][:60], "tools": tools})
    first = next((cells for _, cells in rows if any(clean_text(c) for c in cells)), [])
    found = ", ".join(f'"{clean_text(c)[:40]}"' for c in first[:8] if clean_text(c)) or "-"
    families = [family] if family else [META, TIKTOK, YOUTUBE]
    return DomainError("export_unknown_format", UNKNOWN_FORMAT_MESSAGE, params={
        "tools": tools, "expected": "; ".join(f"{TOOL_NAMES[f]}: {expected_headers(f)}" for f in families),
        "found": found})


_IG_TYPE = re.compile(r"\big\b|instagram", re.IGNORECASE)


def _platform(columns: Columns, body: list[Row], chosen: str | None) -> str:
    """Facebook or Instagram for a Meta export (see the module docstring); the family otherwise."""
    if columns.family != META:
        return columns.family
    if "account" in columns.at and "page" not in columns.at:
        return "instagram"
    if "page" in columns.at and "account" not in columns.at:
        return "facebook"
    types = [clean_text(_cell(cells, columns, "post_type")) for _, cells in body[:200]]
    if any(_IG_TYPE.search(t) for t in types if t):
        return "instagram"
    links = [clean_text(_cell(cells, columns, "url")).lower() for _, cells in body[:200]]
    if any("instagram.com/" in link for link in links):
        return "instagram"
    if any("facebook.com/" in link or "fb.watch/" in link for link in links):
        return "facebook"
    return chosen if chosen in ("facebook", "instagram") else "facebook"


def _cell(cells: list[Any], columns: Columns, name: str) -> Any:
    """The first non-empty cell among the field's columns (None when there is none)."""
    for index in columns.at.get(name, ()):
        if index < len(cells) and clean_text(cells[index]):
            return cells[index]
    return None


def _is_total(columns: Columns, cells: list[Any]) -> bool:
    return normalize_header(_cell(cells, columns, "content")) in ("total", "jumlah", "totals")


# --- one row ---------------------------------------------------------------------------------

_TIKTOK_ID = re.compile(r"/(?:video|photo)/(\d{6,25})")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def _read_row(columns: Columns, platform: str, line: int, cells: list[Any],
              zone: tzinfo = JAKARTA) -> tuple[SocialRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(code: str, message: str, name: str = "") -> None:
        value = clean_text(_cell(cells, columns, name))[:60] if name else ""
        problems.append(RowProblem(line, code, message, columns.header_of(name) if name else "", value))

    url = clean_text(_cell(cells, columns, "url"))
    url = url if is_web_link(url, URL_LENGTH) else ""
    post_id = clean_text(_cell(cells, columns, "post_id" if columns.family != YOUTUBE else "content"))
    if columns.family == TIKTOK and not post_id and (match := _TIKTOK_ID.search(url)):
        post_id = match.group(1)
    if columns.family == YOUTUBE and _YOUTUBE_ID.match(post_id) and not url:
        url = f"https://www.youtube.com/watch?v={post_id}"
    post_id = post_id or url
    if not post_id:
        problem("missing_id", MISSING_ID_MESSAGE)
    elif len(post_id) > ID_LENGTH:
        problem("bad_id", BAD_ID_MESSAGE, "post_id" if columns.family != YOUTUBE else "content")

    published = None
    try:
        published = parse_when(_cell(cells, columns, "published"), day_first=columns.language == "id", zone=zone)
        if published is None:
            problem("missing_date", MISSING_DATE_MESSAGE)
    except NoYear:
        published = tiktok_id_time(post_id) if columns.family == TIKTOK else None
        if published is None:
            problem("bad_date", BAD_DATE_MESSAGE, "published")
    except (ValueError, OverflowError, OSError):  # fromtimestamp(1e20): OSError (errno 75)
        problem("bad_date", BAD_DATE_MESSAGE, "published")

    counts: dict[str, int] = {}
    apart_given = any(n in columns.at for n in ("likes", "comments", "shares"))
    for name in COUNTS:
        if name in columns.at and not (name == "interactions" and apart_given):
            try:
                counts[name] = parse_count(_cell(cells, columns, name))
            except (ValueError, OverflowError):  # "111…1k" becomes infinity
                problem("bad_number", BAD_NUMBER_MESSAGE, name)
    if problems or published is None:
        return None, problems
    views = counts.get("views", 0)
    apart = [counts[n] for n in ("likes", "comments", "shares") if n in counts]
    engagement = sum(apart) if apart else counts.get("interactions", 0)
    return SocialRow(
        line=line, platform=platform, post_id=post_id, published_at=published,
        title=clean_text(_cell(cells, columns, "title"), TITLE_LENGTH), url=url, views=views,
        reach=counts["reach"] if "reach" in columns.at else views,
        engagement=engagement + counts.get("saves", 0),
    ), []
