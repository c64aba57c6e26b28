"""Numbers read from what people and other servers send (``typed_int``), and numbers as the
reader's language writes them: 39,5 and 1.250 in Indonesian, 39.5 and 1,250 in
English. Templates write them so through ``floatformat``; text composed in Python goes through
here, so a sentence never puts "(54.7)" beside a table's "39,5"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

MAX_TYPED_DIGITS = 18  # more than any id, count or size here; int() refuses past 4300 digits (ValueError)


def typed_int(text: str | None, max_digits: int = MAX_TYPED_DIGITS) -> int | None:
    """``text`` as a whole number when it is ASCII digits only (int() reads "²" and "٣" too) and no
    more than ``max_digits`` of them; else None, for the caller's clear 4xx."""
    text = (text or "").strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def _rounded(value: float | Decimal, places: int) -> Decimal:
    # number_format cuts digits off (54.66 -> "54,6"); floatformat rounds half up (54,7), and so do we.
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal(value: float | Decimal, places: int = 1, language: str | None = None, grouped: bool = False) -> str:
    """``value`` with ``places`` decimals in the active language, or in ``language`` (an official
    Indonesian PDF writes 12,5 whoever asked for it); ``grouped``: thousands too (1.234,50)."""
    if language:
        with translation.override(language):
            return decimal(value, places, grouped=grouped)
    return formats.number_format(_rounded(value, places), decimal_pos=places, use_l10n=True, force_grouping=grouped)


def whole(value: float | Decimal) -> str:
    """A count with the thousands grouped: 12.500 in Indonesian, 12,500 in English."""
    return formats.number_format(_rounded(value, 0), decimal_pos=0, use_l10n=True, force_grouping=True)


def compact(value: float | Decimal, places: int = 2) -> str:
    """At most ``places`` decimals, trailing zeros dropped: a weight of 20 reads "20", of 0.75 "0,75"."""
    text = decimal(value, places)
    separator = str(formats.get_format("DECIMAL_SEPARATOR"))
    return text.rstrip("0").rstrip(separator) if separator in text else text


def percent(part: float, whole: float) -> int:
    """``part`` of ``whole`` as a whole percent, half up: 1 of 8 is 13%, where round() said 12
    (Python rounds halves to even). ``whole`` must not be 0."""
    return int(_rounded(100 * part / whole, 0))  # a half is exact in binary: 12.5 stays 12.5
