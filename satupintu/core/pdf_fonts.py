"""The fonts of Satu Pintu's PDFs, and the characters the standard ones cannot show.

Reports draw in Helvetica, one of the 14 fonts every PDF reader has. It knows only the Western
European letters (WinAnsi), and reportlab writes anything else as a black square that is lost
for good, in the copy and in its text: "Ṣāliḥ", "Dār al-Ḥikmah", "Ğ" came out as "■■li■". So
``wide_runs()`` (used by ``core.pdftext`` for every value a user or a file gave) puts such
characters in DejaVu Sans, shipped here (``fonts/``, Bitstream Vera licence, LICENSE beside it):
a superset of Bitstream Vera with Latin Extended, Greek, Cyrillic and many symbols. The issued
letters and receipts (PDF/A, every font embedded) draw wholly in it: its Western European glyphs
have Vera's widths, so their layout is as it was. Only the glyphs used are embedded.

Not covered: emoji and scripts DejaVu Sans lacks still show as a box; Arabic has glyphs but
reportlab does not join or order them right to left, so it is not offered as Arabic.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import ps2tt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FOLDER = Path(__file__).resolve().parent / "fonts"
FAMILY = "SatuPintuSans"
FONT_FILES = {"regular": (FAMILY, "DejaVuSans.ttf"), "bold": (f"{FAMILY}-Bold", "DejaVuSans-Bold.ttf"),
              "italic": (f"{FAMILY}-Italic", "DejaVuSans-Oblique.ttf"),
              "bold_italic": (f"{FAMILY}-BoldItalic", "DejaVuSans-BoldOblique.ttf")}


@cache
def register() -> dict[str, str]:
    """Register the family with reportlab once per process; returns its font names by style
    (``regular``, ``bold``, ``italic``, ``bold_italic``). About 50 ms, on the first PDF."""
    names = {}
    for style, (name, filename) in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FOLDER / filename)))
        names[style] = name
    pdfmetrics.registerFontFamily(FAMILY, normal=names["regular"], bold=names["bold"], italic=names["italic"],
                                  boldItalic=names["bold_italic"])
    return names


def _winansi(ch: str) -> bool:
    try:
        ch.encode("cp1252")  # reportlab's WinAnsiEncoding for the standard fonts
    except UnicodeEncodeError:
        return False
    return True


# A run of characters the standard fonts cannot show. Escaped markup (&amp; &lt; ...) is ASCII, so
# it never falls inside one.
_OUTSIDE_WINANSI = re.compile(r"[^\x00-\x7f]+")


def face_for(font_name: str | None) -> str:
    """The member of the family that matches ``font_name``'s weight and slant ("Helvetica-Bold":
    the bold one). A ``<b>`` or ``<i>`` around it still applies (reportlab maps within the family)."""
    if not font_name:
        return FAMILY
    try:
        _, bold, italic = ps2tt(font_name)
    except ValueError:  # a font reportlab has no family for: plain
        return FAMILY
    style = {(0, 0): "regular", (1, 0): "bold", (0, 1): "italic", (1, 1): "bold_italic"}[(bold, italic)]
    return FONT_FILES[style][0]


def wide_runs(markup: str, face: str = FAMILY) -> str:
    """Paragraph ``markup`` with each run of characters outside WinAnsi set in DejaVu Sans (``face``:
    which member, see ``face_for``). Text the standard fonts can show keeps the paragraph's font."""
    def wrap(found: re.Match[str]) -> str:
        run = found.group(0)
        if all(_winansi(ch) for ch in run):
            return run
        register()
        return f'<font face="{face}">{run}</font>'

    return _OUTSIDE_WINANSI.sub(wrap, markup)
