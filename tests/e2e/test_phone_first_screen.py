"""At 390 px: the staff queue starts on the first screen, and the language control does
nothing until it is pressed (WCAG 3.2.2: ArrowDown on it used to reload the page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_HEIGHT = 844


def test_staff_queue_starts_on_a_phones_first_screen(people, submit, new_context):  # type: ignore[no-untyped-def]
    submit()
    submit(service="pengukuran-arah-kiblat")
    page = new_context("phone").new_page()
    login(page, "fo.lutra")
    expect(page.locator("details.filter-panel")).not_to_have_attribute("open", "")
    first = page.locator("table.queue tbody tr").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    # The whole first application (code, service, status, deadline) is on the first screen.
    assert box is not None and box["y"] + box["height"] <= PHONE_HEIGHT, f"the first application is at {box} px"
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] <= 110, f"the header is {header['height']} px tall"
    # The filters are one tap away.
    page.get_by_text("Saring antrean").click()
    expect(page.get_by_label("Status")).to_be_visible()


def test_language_control_changes_nothing_until_pressed(new_context):  # type: ignore[no-untyped-def]
    page = new_context("phone").new_page()
    page.goto("/layanan/")
    english = page.get_by_role("button", name="EN")
    english.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.wait_for_timeout(300)
    expect(page).to_have_url(f"{page.url.split('/layanan/')[0]}/layanan/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    english.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{page.url.split('/layanan/')[0]}/layanan/")
