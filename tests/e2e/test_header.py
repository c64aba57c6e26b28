"""The header at phone size: the menu scrolls sideways (staff have a dozen links), but signing in
and out stays in sight; both used to sit at the end of the scrolling line, off the screen."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOUCHABLE = ("el => { const r = el.getBoundingClientRect(); const x = r.x + r.width / 2, y = r.y + r.height / 2;"
             " return x > 0 && x < innerWidth && el.contains(document.elementFromPoint(x, y)); }")


def test_sign_in_and_sign_out_are_in_sight_on_a_phone(new_context, people):  # type: ignore[no-untyped-def]
    page = new_context("phone").new_page()
    page.goto("/")
    assert page.get_by_role("link", name="Masuk", exact=True).evaluate(TOUCHABLE)
    login(page, "kakan.lutra")
    assert page.get_by_role("button", name="Keluar").evaluate(TOUCHABLE)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # the page itself does not widen
