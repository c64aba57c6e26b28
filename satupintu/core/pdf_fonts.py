"""The fonts of Satu Pintu's PDFs, and the characters the standard ones cannot show.

Reports draw in Helvetica, one of the 14 fonts every PDF reader has. It knows only the Western
European letters (WinAnsi), and reportlab writes anything else as a black square that is lost
for good, in the copy and in its text: "Ṣāliḥ", "Dār al-Ḥikmah", "Ğ" came out as "■■li■". So
``wide_runs()`` (used by ``core.pdftext`` for every value a user or a file gave) puts such
characters in DejaVu Sans, shipped here (``fonts/``, Bitstream Vera licence, LICENSE beside it):
a superset of Bitstream Vera with Latin Extended, Greek, Cyrillic and many symbols. The issued
letters (PDF/A, every font embedded) draw wholly in it: its Western European glyphs have Vera's
widths, so their layout is as it was. Only the glyphs used are embedded. A value written with
``text()`` alone (no ``font``) inside a bold paragraph style gets the regular weight for those
characters; ``<b>`` around it, or ``para()``, gives the bold.

Arabic script: reportlab neither joins the letters nor writes them right to left, so a run of
Arabic words is joined by arabic-reshaper (its presentation forms, which DejaVu Sans has) and put
in visual order by python-bidi before it is drawn. A phrase that wraps onto a second line reads
from its end on the first; names and short phrases, which is what people type, come out right.
The text of the PDF then holds the presentation forms, in visual order.

Not covered: emoji and scripts DejaVu Sans lacks still show as a box.
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


# Arabic words, with the spaces between them (a phrase is reordered whole, not word by word), or
# else a run of characters the standard fonts may not show. Escaped markup (&amp; &lt; ...) is
# ASCII, so it never falls inside one.
_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_RUN = re.compile(rf"(?P<arabic>[{_ARABIC_LETTERS}]+(?:[ \u00a0]+[{_ARABIC_LETTERS}]+)*)|[^\x00-\x7f]+")


@cache
def _arabic_reshaper():  # type: ignore[no-untyped-def]
    import arabic_reshaper

    # No ligatures: DejaVu Sans lacks some (the one for "Allah", U+FDF2), and the letters joined
    # one by one read the same.
    return arabic_reshaper.ArabicReshaper(configuration={"support_ligatures": False})


def arabic_for_drawing(phrase: str) -> str:
    """Arabic ``phrase`` (logical order, as typed) as reportlab must draw it: letters in their
    joined forms, right to left."""
    from bidi import get_display

    return str(get_display(_arabic_reshaper().reshape(phrase)))


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


def drawable(value: str, font: str) -> tuple[str, str]:
    """``value`` and the font to draw it in on a canvas (``drawString``, not a Paragraph: one font
    per string): ``font`` when the standard fonts show all of it, else DejaVu Sans of the same weight,
    Arabic joined and right to left."""
    if all(_winansi(ch) for ch in value):
        return value, font
    register()
    shown = _RUN.sub(lambda m: arabic_for_drawing(m.group(0)) if m.group("arabic") else m.group(0), value)
    return shown, face_for(font)


def wide_runs(markup: str, face: str = FAMILY) -> str:
    """Paragraph ``markup`` with each run of characters outside WinAnsi set in DejaVu Sans (``face``:
    which member, see ``face_for``). Text the standard fonts can show keeps the paragraph's font."""
    def wrap(found: re.Match[str]) -> str:
        run = found.group(0)
        if found.group("arabic"):
            run = arabic_for_drawing(run)
        elif all(_winansi(ch) for ch in run):
            return run
        register()
        return f'<font face="{face}">{run}</font>'

    return _RUN.sub(wrap, markup)
