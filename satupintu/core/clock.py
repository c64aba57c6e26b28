"""Dates and times of day as the reader's language writes them: 07-12-2026 14.30 in Indonesian,
7 Dec 2026 14:30 in English.

Templates and sentences write their date patterns the Indonesian way (``d-m-Y H.i``, Python's
``%d-%m-%Y %H.%M``); ``pattern`` and ``strf`` turn them into the English way when the page is in
English: the clock's full stop becomes a colon (so "14.30" does not read like a decimal), and a
day written as numbers gets its month's name ("02-12" reads as 12 February to many English
readers; "2 Dec" reads one way only). Official PDFs are Indonesian whoever asks (they do not come
through here)."""

from __future__ import annotations

import re
from datetime import date, time

from django.utils import dateformat, translation

# Django's H.i / H.i.s and Python's %H.%M / %H.%M.%S; nothing else in a pattern has a full stop
# between two clock letters.
_DJANGO_CLOCK = re.compile(r"(?<=[HGhg])\.(?=i)|(?<=i)\.(?=s)")
_PYTHON_CLOCK = re.compile(r"(?<=%H)\.(?=%M)|(?<=%M)\.(?=%S)")


def english() -> bool:
    return (translation.get_language() or "").split("-")[0] == "en"


# A day as numbers, day first, with or without its year: d-m-Y, d/m/Y, d-m, d/m (Django) and
# %d-%m-%Y ... (Python).
_DJANGO_DAY = re.compile(r"\bd([-/])m(?:\1Y)?\b")
_PYTHON_DAY = re.compile(r"%d([-/])%m(?:\1%Y)?")


def pattern(fmt: str) -> str:
    """A Django date pattern (``d-m-Y H.i``) for the active language."""
    if not english():
        return fmt
    fmt = _DJANGO_DAY.sub(lambda m: "j M Y" if m.group().endswith("Y") else "j M", fmt)
    return _DJANGO_CLOCK.sub(":", fmt)


def strf(fmt: str) -> str:
    """A Python ``strftime`` pattern (``%d-%m-%Y %H.%M``) for the active language. English month
    names come from the C library (``%b``): these are for English readers only."""
    if not english():
        return fmt
    fmt = _PYTHON_DAY.sub(lambda m: "%-d %b %Y" if m.group().endswith("%Y") else "%-d %b", fmt)
    return _PYTHON_CLOCK.sub(":", fmt)


def shown(value: date | time | None, fmt: str) -> str:
    """``value`` written with ``fmt`` (a Django pattern) in the active language, as the ``date``
    filter writes it (in the value's zone, month and day names translated), the clock as the reader's."""
    if value in (None, ""):
        return ""
    if isinstance(value, time):
        return dateformat.time_format(value, pattern(fmt))
    return dateformat.format(value, pattern(fmt))  # in the value's own zone (the template made it local)
