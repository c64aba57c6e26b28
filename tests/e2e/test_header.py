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


def test_every_box_people_type_in_is_a_finger_sized_box(new_context):  # type: ignore[no-untyped-def]
    # The field report's "Waktu kejadian" (datetime-local) and boxes without a type were bare, 21 px tall.
    from satupintu.organization.models import Role
    from tests.conftest import _staff
    from tests.e2e.conftest import open_field_app

    reporter = _staff("penyuluh.kotak", "73.22", Role.FIELD_REPORTER)
    page = new_context("phone").new_page()
    open_field_app(page, reporter.username)
    when = page.locator("input[type=datetime-local]")
    assert when.bounding_box()["height"] >= 40
    assert when.evaluate("el => getComputedStyle(el).borderRadius") == "8px"
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<input id=bare>')")
    assert page.locator("#bare").bounding_box()["height"] >= 40
