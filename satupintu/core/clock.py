"""Times of day as the reader's language writes them: 14.30 in Indonesian, 14:30 in English.

Templates and sentences write their date patterns the Indonesian way (``d-m-Y H.i``, Python's
``%H.%M``); ``pattern`` turns the clock's full stop into a colon when the page is in English, so
"Due 06-12-2026 14:30" does not read like a decimal. The day's order (d-m-Y) stays: it is what the
office's letters and receipts say, in either language. Official PDFs are Indonesian whoever asks
(they do not come through here)."""

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


def pattern(fmt: str) -> str:
    """A Django date pattern (``d-m-Y H.i``) for the active language."""
    return _DJANGO_CLOCK.sub(":", fmt) if english() else fmt


def strf(fmt: str) -> str:
    """A Python ``strftime`` pattern (``%d-%m-%Y %H.%M``) for the active language."""
    return _PYTHON_CLOCK.sub(":", fmt) if english() else fmt


def shown(value: date | time | None, fmt: str) -> str:
    """``value`` written with ``fmt`` (a Django pattern) in the active language, as the ``date``
    filter writes it (in the value's zone, month and day names translated), the clock as the reader's."""
    if value in (None, ""):
        return ""
    if isinstance(value, time):
        return dateformat.time_format(value, pattern(fmt))
    return dateformat.format(value, pattern(fmt))  # in the value's own zone (the template made it local)
