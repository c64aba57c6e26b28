"""Django's {# #} comment ends at the line's end: one that runs over two lines is printed as text
(the staff security page showed a developer's note to every officer)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "satupintu" / "templates"


def test_no_template_comment_runs_over_a_line():
    broken = [f"{p.relative_to(TEMPLATES)}:{text[:m.start()].count(chr(10)) + 1}"
              for p in sorted(TEMPLATES.rglob("*.html")) for text in [p.read_text(encoding="utf-8")]
              for m in re.finditer(r"\{#(?:(?!#\}).)*\n", text)]
    assert not broken, f"use {{% comment %}} for these: {broken}"
