"""Cells of a platform export into counts, instants and plain text.

Counts: "1234", "1,234" and "1.234" (thousands in English and Indonesian), "1.234.567",
"1 234", "1.2K", "3,4 rb", "1,5 jt", "2M"; an empty cell or a dash is 0. A count is whole: a
fraction without a K/rb/jt/M suffix ("12.5") is refused, since no export writes one for a count
and it means a wrong column.

Instants: ISO 8601 (with or without a zone), "11/03/2026 08:15" (month first when the export
is in English, day first in Indonesian; a part above 12 settles it either way), "2026/11/03",
"Nov 3, 2026", "3 Nov 2026", "3 November 2026 08.15", Indonesian month names ("3 Agu 2026",
"Okt", "Des", "Nop"), AM/PM, a WIB/WITA/WIT/UTC suffix, Excel's own date cells and serials.
No zone in the file: Asia/Jakarta.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
_ZONES: dict[str, tzinfo] = {"wib": JAKARTA, "wita": ZoneInfo("Asia/Makassar"), "wit": ZoneInfo("Asia/Jayapura"),
          "utc": timezone.utc, "gmt": timezone.utc, "z": timezone.utc}
MAX_COUNT = 10**12  # more than anyone has ever viewed anything: a wrong column, not a figure
EARLIEST = datetime(2004, 1, 1, tzinfo=timezone.utc)  # before Facebook, so not a post's date
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
_EXCEL_EPOCH = datetime(1899, 12, 30)


class NoYear(ValueError):
    """A date without its year ("September 4"): TikTok writes these; its video id has the year."""


# --- counts ------------------------------------------------------------------------------------

_SUFFIXES = {"k": 1_000, "rb": 1_000, "ribu": 1_000, "m": 1_000_000, "mn": 1_000_000, "jt": 1_000_000,
             "juta": 1_000_000, "mio": 1_000_000}
_SHORT = re.compile(r"^(\d+(?:[.,]\d+)?)(k|rb|ribu|mn|m|jt|juta|mio)\.?$")
_GROUPED = re.compile(r"^\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*$")
_EMPTY = {"", "-", "\u2013", "\u2014", "n/a", "na", "none", "null"}
_IGNORED_IN_NUMBERS = str.maketrans("", "", " \u00a0\u202f'\u2019_")


def parse_count(value: object) -> int:
    """A count as an int (0 for an empty cell); ValueError when it is not one."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or not value.is_integer():  # NaN or a fraction
            raise ValueError(value)
        number = int(value)
    else:
        number = _count_from_text(str(value))
    if not 0 <= number <= MAX_COUNT:
        raise ValueError(value)
    return number


def _count_from_text(raw: str) -> int:
    text = raw.strip().lower().translate(_IGNORED_IN_NUMBERS)
    if text in _EMPTY:
        return 0
    if text.isdigit():
        return int(text)
    if _GROUPED.match(text):
        return int(text.replace(".", "").replace(",", ""))
    short = _SHORT.match(text)
    if short:
        return round(float(short.group(1).replace(",", ".")) * _SUFFIXES[short.group(2)])
    # "1,234.00" or "1.234,00": the last separator is the decimal one, and its digits must be zeros.
    match = re.fullmatch(r"(\d[\d.,]*?)([.,])(\d+)", text)
    if match and set(match.group(3)) == {"0"}:
        whole = match.group(1)
        other = "," if match.group(2) == "." else "."
        if whole.isdigit() or _GROUPED.match(whole) and other in whole:
            return int(whole.replace(other, ""))
    raise ValueError(raw)


# --- instants ----------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "january": 1, "januari": 1, "feb": 2, "february": 2, "februari": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "march": 3, "maret": 3, "apr": 4, "april": 4, "may": 5, "mei": 5, "jun": 6, "june": 6,
    "juni": 6, "jul": 7, "july": 7, "juli": 7, "aug": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8,
    "agustus": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "okt": 10, "oktober": 10,
    "nov": 11, "november": 11, "nop": 11, "nopember": 11, "dec": 12, "december": 12, "des": 12,
    "desember": 12,
}
_TIME = r"(?:(?:,|\s|t|pukul|jam|at)+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?P<ampm>am|pm)?)?"
_ZONE = r"(?:\s*(?P<zone>wib|wita|wit|utc|gmt|z)?(?P<offset>[+-]\d{2}:?\d{2})?)?"
_WEEKDAY = r"(?:[a-z]+,?\s+)?"
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})" + _TIME + _ZONE + "$")
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})[/.-](?P<b>\d{1,2})[/.-](?P<a>\d{1,2})" + _TIME + _ZONE + "$")
_MONTH_FIRST = re.compile(r"^" + _WEEKDAY + r"(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:,?\s+(?P<y>\d{4}))?" + _TIME + _ZONE + "$")
_DAY_FIRST = re.compile(r"^" + _WEEKDAY + r"(?P<d>\d{1,2})\s+(?P<mon>[a-z]+)\.?(?:\s+(?P<y>\d{4}))?" + _TIME
                        + _ZONE + "$")


def parse_when(value: object, *, day_first: bool, zone: tzinfo = JAKARTA) -> datetime | None:
    """The instant in a cell (None for an empty cell), aware; ValueError when it is not one,
    NoYear when it has no year. A time that names no zone is ``zone``'s: the office's own, whose
    page the export is of (a Papua page's 23:30 is 23:30 WIT)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _checked(value if value.tzinfo else value.replace(tzinfo=zone))
    if isinstance(value, date):
        return _checked(datetime.combine(value, time(), tzinfo=zone))
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return _checked(_from_number(float(value), zone))
    text = " ".join(str(value).split()).lower()
    if text in _EMPTY:
        return None
    return _checked(_from_text(text, day_first, zone))


def _from_number(number: float, zone: tzinfo) -> datetime:
    if number > 10**11:  # epoch milliseconds
        return datetime.fromtimestamp(number / 1000, tz=timezone.utc)
    if number > 10**8:  # epoch seconds
        return datetime.fromtimestamp(number, tz=timezone.utc)
    if 1 < number < 2958466:  # an Excel date serial (days since 1899-12-30) stored as a plain number
        return (_EXCEL_EPOCH + timedelta(days=number)).replace(tzinfo=zone)
    raise ValueError(number)


def _from_text(text: str, day_first: bool, zone: tzinfo) -> datetime:
    try:
        iso = datetime.fromisoformat(text.upper().replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2}", text)
                                     else text)
        return iso if iso.tzinfo else iso.replace(tzinfo=zone)
    except ValueError:
        pass
    if match := _NUMERIC.match(text):
        first, second = int(match["a"]), int(match["b"])
        if first > 12 or (day_first and second <= 12):
            day, month = first, second
        else:
            month, day = first, second
        year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
        return _build(year, month, day, match, zone)
    if match := _YEAR_FIRST.match(text):
        return _build(int(match["y"]), int(match["b"]), int(match["a"]), match, zone)
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        if (match := pattern.match(text)) and match["mon"].rstrip(".") in MONTHS:
            if not match["y"]:
                raise NoYear(text)
            return _build(int(match["y"]), MONTHS[match["mon"].rstrip(".")], int(match["d"]), match, zone)
    raise ValueError(text)


def _build(year: int, month: int, day: int, match: re.Match[str], default_zone: tzinfo) -> datetime:
    hour, minute, second = int(match["h"] or 0), int(match["mi"] or 0), int(match["s"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(hour)
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    zone = default_zone
    if match["offset"]:
        sign = -1 if match["offset"][0] == "-" else 1
        digits = match["offset"][1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    elif match["zone"]:
        zone = _ZONES[match["zone"]]
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)  # ValueError for 31/02


def _checked(when: datetime) -> datetime:
    if not EARLIEST <= when < LATEST:
        raise ValueError(when)
    return when


def tiktok_id_time(video_id: str) -> datetime | None:
    """When a TikTok video was posted, from its id (the top 32 bits are the Unix time)."""
    if not video_id.isdigit() or len(video_id) < 15:
        return None
    try:
        return _checked(datetime.fromtimestamp(int(video_id) >> 32, tz=timezone.utc))
    except (ValueError, OverflowError, OSError):
        return None


# --- text --------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object, limit: int | None = None) -> str:
    """A cell as plain text: control characters dropped (a NUL cannot even be stored in
    PostgreSQL), surrounding spaces stripped, cut to ``limit`` characters. Never evaluated: a
    caption starting with "=" stays that text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in a spreadsheet
    text = _CONTROL.sub("", str(value)).strip()
    return text[:limit].rstrip() if limit is not None else text
