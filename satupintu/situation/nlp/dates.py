"""Dates in Indonesian news, resolved to ISO dates.

Humas and newspapers write dates in a few fixed ways: "Senin, 05 April 2021", "5 Apr 2021",
"05/04/2021", "2021-04-05", ranges "5-7 April 2021", the newspaper style "Rabu (14/3)" that
leaves the year to the reader, relative words ("kemarin", "besok") and a weekday alone
("pada hari Rabu"). Everything without a year needs the publication date to resolve; without
one only dates that carry their year are returned.

One alternation, most specific form first, is tried where a date can begin (a digit, a bracket,
a weekday or a relative word): the first form that fits wins, so "Senin, (5/4)" is one mention
and not a weekday plus a date.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

# Old spellings (Pebruari, Nopember) are still common in regional releases; English names
# turn up in copied agency text.
MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agust": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6, "ahad": 6}
RELATIVE_DAYS = {"hari ini": 0, "kemarin": -1, "kemarin lusa": -2, "besok": 1, "lusa": 2}

# A yearless date is put in the year nearest the publication date, but never more than this
# far after it: news reports what happened, and announces events weeks, not a year, ahead.
MAX_FUTURE_DAYS = 180

MONTH_PATTERN = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?(?![\w])"
WEEKDAY_PATTERN = r"(?:senin|selasa|rabu|kamis|jum['’]?at|sabtu|minggu|ahad)(?![\w'’])"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_RANGE_SEP = r"\s*(?:-|–|—|s\.?\s?d\.?|sampai(?:\s+dengan)?|hingga)\s*"
_WD_LEAD = rf"(?:{WEEKDAY_PATTERN}\s*,?\s*(?:tanggal\s+|tgl\.?\s*)?)?"

_DATES = re.compile(
    r"(?<![\w/.])(?:"
    # 30 Maret - 2 April 2021
    rf"(?P<x>{_WD_LEAD}(?P<x_d1>\d{{1,2}})\s+(?P<x_m1>{MONTH_PATTERN})(?:\s*(?P<x_y1>{_YEAR}))?{_RANGE_SEP}"
    rf"(?P<x_d2>\d{{1,2}})\s+(?P<x_m2>{MONTH_PATTERN})(?:\s*,?\s*(?P<x_y2>{_YEAR}))?)"
    # 5-7 April 2021, 5 dan 6 April
    rf"|(?P<r>{_WD_LEAD}(?P<r_d1>\d{{1,2}})(?:{_RANGE_SEP}|\s+dan\s+)(?P<r_d2>\d{{1,2}})\s+"
    rf"(?P<r_m>{MONTH_PATTERN})(?:\s*,?\s*(?P<r_y>{_YEAR}))?)"
    # Senin, 05 April 2021 / 5 Apr 2021 / 5 April
    rf"|(?P<f>{_WD_LEAD}(?P<f_d>\d{{1,2}})\s+(?P<f_m>{MONTH_PATTERN})(?:\s*,?\s*(?P<f_y>{_YEAR}))?)"
    # 2021-04-05
    rf"|(?P<i>(?P<i_y>{_YEAR})-(?P<i_m>\d{{1,2}})-(?P<i_d>\d{{1,2}})(?!\d))"
    # 05/04/2021, 05-04-2021, 05.04.2021
    rf"|(?P<n>{_WD_LEAD}(?P<n_d>\d{{1,2}})(?P<n_sep>[/.-])(?P<n_m>\d{{1,2}})(?P=n_sep)(?P<n_y>{_YEAR}))"
    # Rabu (14/3), Senin, (5/4), (14/3/2018), Senin-Rabu (5-7/4)
    rf"|(?P<p>(?:{WEEKDAY_PATTERN}(?:{_RANGE_SEP}{WEEKDAY_PATTERN})?\s*,?\s*)?\(\s*(?:{WEEKDAY_PATTERN}\s*,?\s*)?"
    r"(?P<p_d>\d{1,2})(?:\s*[-–]\s*(?P<p_d2>\d{1,2}))?\s*/\s*(?P<p_m>\d{1,2})"
    r"(?:\s*/\s*(?P<p_y>(?:19|20)\d\d|\d\d))?\s*\))"
    r"|(?P<rel>kemarin\s+lusa|hari\s+ini|kemarin|besok|lusa)(?![\w])"
    # a weekday alone; a weekday range ("Senin - Jumat", office hours) is matched to be skipped
    rf"|(?P<w>(?:pada\s+)?(?:hari\s+)?(?P<w_day>{WEEKDAY_PATTERN})(?!\s*,?\s*\(?\s*\d)"
    rf"(?P<w_range>{_RANGE_SEP}{WEEKDAY_PATTERN})?(?:\s+(?P<w_mod>kemarin|lalu|depan|mendatang|ini)(?![\w]))?)"
    r")",
    re.IGNORECASE,
)
# Where a date can begin: a digit, a bracket, a weekday or a relative word.
_ANCHOR_WORDS = ("senin", "selasa", "rabu", "kamis", "jum", "sabtu", "minggu", "ahad", "pada", "hari", "kemarin",
                 "besok", "lusa")
_ANCHOR_DIGIT = re.compile(r"(?<![\w/.])\d|\(")
# Words that make a weekday a habit ("setiap Senin") or a prayer ("salat Jumat"), not a date.
_NOT_A_DAY_BEFORE = re.compile(r"(?:setiap|tiap|saban|per|salat|shalat|sholat|solat|sembahyang)\s+(?:hari\s+)?$",
                               re.IGNORECASE)
# "Tahun 2023 kemarin", "saat Rakernas kemarin": kemarin meaning "recent", not "yesterday".
_KEMARIN_AS_RECENT = re.compile(
    r"(?:tahun|bulan|minggu|pekan|periode|semester|masa|saat|ketika|sewaktu|pada|acara|kegiatan)"
    r"(?:\s+\S+)?\s+$",
    re.IGNORECASE,
)
# Header lines of Kemenag pages: "Senin, 05 April 2021 | 13:46  Dibaca 35 kali".
_HEADER_SEARCH_CHARS = 800
_HEADER_MAX_LINE = 120
_HEADER_MAX_LEAD = 30


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: datetime.date
    end_date: datetime.date | None = None


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def safe_date(year: int, month: int, day: int) -> datetime.date | None:
    """The date, or None for one that does not exist ("31 Februari")."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def resolve_day_month(day: int, month: int, reference: datetime.date | None) -> datetime.date | None:
    """The year that puts day/month nearest the reference date, at most MAX_FUTURE_DAYS ahead."""
    if reference is None:
        return None
    best: datetime.date | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        candidate = safe_date(year, month, day)
        if candidate is None or (candidate - reference).days > MAX_FUTURE_DAYS:
            continue
        if best is None or abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    return best


def last_day_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _with_year(day: int, month: int, year: str | None, reference: datetime.date | None) -> datetime.date | None:
    if year:
        y = int(year)
        if y < 100:
            y += 2000
        return safe_date(y, month, day)
    return resolve_day_month(day, month, reference)


def _month_name_date(m: re.Match[str], prefix: str, reference: datetime.date | None) -> tuple | None:
    month = month_number(m.group(f"{prefix}_m"))
    if month is None:
        return None
    start = _with_year(int(m.group(f"{prefix}_d")), month, m.group(f"{prefix}_y"), reference)
    return (start, None) if start else None


def _cross_month_range(m: re.Match[str], reference: datetime.date | None) -> tuple | None:
    # The year is usually written once, at the end: "30 Maret - 2 April 2021".
    year = m.group("x_y1") or m.group("x_y2")
    month1, month2 = month_number(m.group("x_m1")), month_number(m.group("x_m2"))
    if month1 is None or month2 is None:
        return None
    start = _with_year(int(m.group("x_d1")), month1, year, reference)
    end = _with_year(int(m.group("x_d2")), month2, m.group("x_y2") or year, reference)
    if start and end and end < start and not m.group("x_y1"):  # "28 Desember - 2 Januari 2022"
        start = safe_date(start.year - 1, start.month, start.day)
    return (start, end) if start else None


def _day_range(m: re.Match[str], reference: datetime.date | None) -> tuple | None:
    month = month_number(m.group("r_m"))
    if month is None:
        return None
    start = _with_year(int(m.group("r_d1")), month, m.group("r_y"), reference)
    end = _with_year(int(m.group("r_d2")), month, m.group("r_y"), reference)
    if not start:
        return None
    return (start, end if end and end > start else None)


def _newspaper(m: re.Match[str], reference: datetime.date | None) -> tuple | None:
    month = int(m.group("p_m"))
    start = _with_year(int(m.group("p_d")), month, m.group("p_y"), reference) if 1 <= month <= 12 else None
    if not start:
        return None
    end = None
    if m.group("p_d2"):
        end = safe_date(start.year, start.month, int(m.group("p_d2")))
    return (start, end if end and end > start else None)


def _relative(text: str, m: re.Match[str], reference: datetime.date | None) -> tuple | None:
    word = " ".join(m.group("rel").lower().split())
    if reference is None:
        return None
    if word == "kemarin" and _KEMARIN_AS_RECENT.search(text, max(0, m.start() - 30), m.start()):
        return None
    return (reference + datetime.timedelta(days=RELATIVE_DAYS[word]), None)


def _weekday_alone(text: str, m: re.Match[str], reference: datetime.date | None) -> tuple | None:
    day_word = m.group("w_day")
    modifier = (m.group("w_mod") or "").lower()
    if reference is None or m.group("w_range") or not day_word[0].isupper():
        return None  # lower case "minggu" is mostly "week"
    if day_word.lower() == "minggu" and modifier in {"lalu", "depan", "ini"}:
        return None  # "Minggu lalu" is as often "last week" as "last Sunday"
    if _NOT_A_DAY_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        return None
    weekday = WEEKDAYS[day_word.lower().replace("'", "").replace("’", "")]
    if modifier in {"depan", "mendatang"}:
        return (reference + datetime.timedelta(days=(weekday - reference.weekday()) % 7 or 7), None)
    back = (reference.weekday() - weekday) % 7
    if back == 0 and modifier in {"lalu", "kemarin"}:
        back = 7
    return (reference - datetime.timedelta(days=back), None)


def _resolve(text: str, m: re.Match[str], reference: datetime.date | None) -> tuple | None:
    kind = m.lastgroup
    if kind == "x":
        return _cross_month_range(m, reference)
    if kind == "r":
        return _day_range(m, reference)
    if kind == "f":
        return _month_name_date(m, "f", reference)
    if kind == "i":
        found = safe_date(int(m.group("i_y")), int(m.group("i_m")), int(m.group("i_d")))
        return (found, None) if found else None
    if kind == "n":
        found = safe_date(int(m.group("n_y")), int(m.group("n_m")), int(m.group("n_d")))
        return (found, None) if found else None
    if kind == "p":
        return _newspaper(m, reference)
    if kind == "rel":
        return _relative(text, m, reference)
    return _weekday_alone(text, m, reference)


def word_starts(lowered: str, words: tuple[str, ...]) -> list[int]:
    """Sorted positions where one of the words starts a word of the lower-cased text.

    str.find over a few words is many times faster than letting a regex of alternatives try
    every position, so the patterns here are only tried where they can begin.
    """
    found = []
    for word in words:
        pos = lowered.find(word)
        while pos >= 0:
            if pos == 0 or not lowered[pos - 1].isalnum():
                found.append(pos)
            pos = lowered.find(word, pos + 1)
    return sorted(found)


def _candidate_starts(text: str) -> list[int]:
    starts = word_starts(text.lower(), _ANCHOR_WORDS)
    starts.extend(m.start() for m in _ANCHOR_DIGIT.finditer(text))
    return sorted(starts)


def date_mentions(text: str, published_at: datetime.date | None) -> list[DateMention]:
    """Every resolvable date mention with its position, in order, duplicates kept."""
    if isinstance(published_at, datetime.datetime):
        published_at = published_at.date()
    return list(_date_mentions(text or "", published_at))


@lru_cache(maxsize=32)
def _date_mentions(text: str, published_at: datetime.date | None) -> tuple[DateMention, ...]:
    # Cached: resolve_dates and find_meeting read the same article.
    found: list[DateMention] = []
    done = 0
    for pos in _candidate_starts(text):
        m = _DATES.match(text, pos) if pos >= done else None
        if m is None:
            continue
        done = m.end()
        resolved = _resolve(text, m, published_at)
        if resolved and resolved[0]:
            start, end = resolved
            found.append(DateMention(m.start(), m.end(), " ".join(m.group().split()).rstrip("."), start, end))
    return tuple(found)


def resolve_dates(text: str, published_at: datetime.date | None) -> list[dict]:
    """[{"text": "Rabu (14/3)", "date": "2018-03-14"}, ...] in order, one entry per date.

    A range adds "end". When the same start date comes again as a range, the end is kept.
    """
    by_date: dict[datetime.date, dict] = {}
    for mention in date_mentions(text, published_at):
        entry = by_date.get(mention.date)
        if entry is None:
            entry = by_date[mention.date] = {"text": mention.text, "date": mention.date.isoformat()}
        if mention.end_date and "end" not in entry:
            entry["end"] = mention.end_date.isoformat()
    return list(by_date.values())


def publication_mention(text: str) -> DateMention | None:
    """The article's own date line near the top ("Senin, 05 April 2021 | 13:46"), if any.

    Only a short line that starts with the date and is not a sentence counts, so a lead that
    names the event's day ("..., Senin, 8 Januari 2024.") is not taken for the publication date.
    """
    head = (text or "")[:_HEADER_SEARCH_CHARS]
    line_start = 0
    for line in head.split("\n"):
        if 0 < len(line.strip()) <= _HEADER_MAX_LINE and not line.rstrip().endswith("."):
            for mention in date_mentions(line, None):
                if mention.start <= _HEADER_MAX_LEAD:
                    return DateMention(line_start + mention.start, line_start + mention.end, mention.text,
                                       mention.date, mention.end_date)
                break
        line_start += len(line) + 1
    return None


def published_date_from_text(text: str) -> datetime.date | None:
    mention = publication_mention(text)
    return mention.date if mention else None


# -- a reference date when the item has no publication date ----------------------------------------------------

_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})(?:/(\d{1,2}))?(?=/|$)")
_URL_DATE_DMY = re.compile(r"/(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?=/|$)")
_YEAR_IN_TEXT = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)(?![\w/])")
# "Selasa (15/4)", "Jumat, 20 April": a weekday with a day and month and no year.
_WEEKDAY_DAY_MONTH = re.compile(
    r"(?<![\w])(?P<w>senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)\s*,?\s*(?:\(\s*)?(?:tanggal\s+)?"
    rf"(?P<d>\d{{1,2}})(?:\s*/\s*(?P<m>\d{{1,2}})|\s+(?P<mn>{MONTH_PATTERN}))(?!\s*/?\s*\d)",
    re.IGNORECASE,
)


def date_from_url(url: str) -> datetime.date | None:
    """The date a page's address carries ("/2023/02/23/", "/29/05/2024/"); a month alone is its last day."""
    path = url.split("?", 1)[0]
    m = _URL_DATE.search(path)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return None
        return safe_date(year, month, int(m.group(3))) if m.group(3) else last_day_of_month(year, month)
    m = _URL_DATE_DMY.search(path)
    if m and 1 <= int(m.group(2)) <= 12:
        return safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def date_from_weekday_and_year(text: str) -> datetime.date | None:
    """The first "Selasa (15/4)" whose weekday fits exactly one year the text names ("tahun 2025").

    News gives the year once ("program 2025") and the day without it; the weekday tells which
    of the years named it is.
    """
    years = {int(y) for y in _YEAR_IN_TEXT.findall(text)}
    if not years:
        return None
    for m in _WEEKDAY_DAY_MONTH.finditer(text):
        month = int(m.group("m")) if m.group("m") else month_number(m.group("mn"))
        if not month or not 1 <= month <= 12:
            continue
        weekday = WEEKDAYS[m.group("w").lower().replace("'", "")]
        fits = [d for y in years if (d := safe_date(y, month, int(m.group("d")))) and d.weekday() == weekday]
        if len(fits) == 1:
            return fits[0]
    return None
