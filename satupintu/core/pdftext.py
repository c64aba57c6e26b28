"""Text for reportlab Paragraphs: what a user typed is shown, never obeyed.

A Paragraph reads its text as markup: `<b>`, `<a href>` (a live link), `<img src>` (a file
read from the server's disk), `<font>`, entities, and an unclosed tag is a crash. So every
value that did not come from our own source code goes through `text()` (or `para()`), which
escapes it and keeps the writer's line breaks. Our own markup (bold labels) is written around
the escaped value, never inside it. Characters the standard fonts cannot show (outside Western
European) are set in the shipped DejaVu Sans (``core.pdf_fonts``), not lost as black squares.
"""

from __future__ import annotations

import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from satupintu.core.pdf_fonts import face_for, wide_runs

# Characters XML 1.0 forbids (reportlab's parser is an XML-ish one): shown as nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def text(value: object, *, breaks: bool = True, font: str | None = None) -> str:
    """``value`` as Paragraph markup that renders exactly the characters given.

    ``breaks``: a newline becomes a line break (``<br/>``); otherwise it is a space, as in a
    one-line cell. ``font``: the paragraph's font, so what the standard fonts cannot show is set in
    the matching weight of DejaVu Sans (``para`` passes its style's)."""
    raw = _CONTROL.sub("", "" if value is None else str(value))
    escaped = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    lines = escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return wide_runs(("<br/>" if breaks else " ").join(lines), face_for(font))


def para(value: object, style: ParagraphStyle, *, breaks: bool = True) -> Paragraph:
    """A Paragraph showing ``value`` literally (the usual way to put user text in a PDF)."""
    return Paragraph(text(value, breaks=breaks, font=style.fontName), style)
