"""What a phone shows, measured in real Chromium at 390 px: the focus ring is seen on every
background, a card of actions is a stack of full-width forms under its heading."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _luminance(rgb: str) -> float:
    import re

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (float(x) for x in re.findall(r"\d+(?:\.\d+)?", rgb)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_focus_ring_shows_on_white_and_on_the_green_header(new_context):
    """WCAG 1.4.11: the focus indicator has 3:1 against what surrounds it. The yellow ring alone was
    1.9:1 on white; a near-black ring around it reads on white, the yellow on the green header."""
    page = new_context("phone").new_page()
    page.goto("/pengaduan/")
    box = page.get_by_label("Cari di daftar")
    box.focus()
    style = box.evaluate("e => { const s = getComputedStyle(e); return [s.outlineColor, s.boxShadow]; }")
    outline, shadow = style
    assert _contrast(shadow, "rgb(255, 255, 255)") >= 3, style
    header = page.locator("header.top").evaluate("e => getComputedStyle(e).backgroundColor")
    assert _contrast(outline, header) >= 3, (outline, header)



def test_the_officer_actions_card_stacks_its_forms_under_its_heading(new_context, people, submit):
    """The heading sat beside the first button and each form had its own width (a flex row)."""
    app = submit()
    page = new_context("phone").new_page()
    login(page, "fo.lutra")
    page.goto(f"/petugas/permohonan/{app.tracking_code}/")
    card = page.locator("#tindakan")
    heading = card.locator("h2").bounding_box()
    forms = [f.bounding_box() for f in card.locator(":scope > form").all()]
    assert len(forms) >= 2 and heading is not None
    assert all(f["y"] >= heading["y"] + heading["height"] for f in forms)
    widths = {round(f["width"]) for f in forms}
    assert len(widths) == 1, widths
