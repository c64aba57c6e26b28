"""The Situation Room's minute refresh in real Chromium (room.js), with the page's clock driven
by the test: a refresh replaces the body and says so in a short status line ("Diperbarui HH.MM");
while the keyboard focus is inside the body nothing is replaced (the focus stays where it is);
once the session has ended, the sign-in page the refresh is sent to is not put into the room.
And on an issue page each item's checkbox is named by the item's title."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from satupintu.organization.models import Role
from satupintu.situation.models import Item, Source, SourceKind
from satupintu.situation.store import shared_analyzer
from tests.conftest import _staff
from tests.e2e.conftest import login
from tests.situation.test_room_views import plant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MINUTE = 61_000
MARKED = "!!document.querySelector('#room-body [data-old]')"  # the body from before is still there


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():  # type: ignore[no-untyped-def]
    shared_analyzer.reset()
    yield
    shared_analyzer.reset()


def _mark_the_body(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("document.querySelector('#room-body > *').setAttribute('data-old', '1')")


def _a_minute_passes(page, answers: list[str], *, asks: bool) -> None:  # type: ignore[no-untyped-def]
    """Let the refresh timer fire. ``asks``: a refresh is expected, so wait for its final answer
    (not a fixed pause: on a busy machine the answer came after it, and the test read none)."""
    if not asks:
        page.clock.run_for(MINUTE)
        page.wait_for_timeout(300)  # time enough for a request that should not be sent to show
        return
    with page.expect_response(lambda r: r.request.resource_type == "fetch" and r.status < 300, timeout=30_000):
        page.clock.run_for(MINUTE)
    page.wait_for_load_state("networkidle")


def test_the_room_refreshes_politely(people, new_context):  # type: ignore[no-untyped-def]
    plant(Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL))
    context = new_context("desktop")
    page = context.new_page()
    login(page, people.kakanwil_sulsel.username)
    answers: list[str] = []  # the refreshes' answers, after any redirect
    page.on("response", lambda r: answers.append(r.url) if r.request.resource_type == "fetch" else None)
    page.clock.install()
    page.goto("/situasi/?provinsi=32")
    body, status = page.locator("#room-body"), page.locator("#room-status")
    expect(body).to_contain_text("Penolakan rumah ibadah")
    expect(body).not_to_have_attribute("aria-live", re.compile(".*"))
    expect(status).to_have_text("")

    # A minute: the body is replaced, and the status line (a live region) says when.
    _mark_the_body(page)
    _a_minute_passes(page, answers, asks=True)
    assert answers and "partial=1" in answers[-1]
    expect(status).to_have_text(re.compile(r"^Diperbarui \d\d\.\d\d$"))  # set once the body is replaced
    assert not page.evaluate(MARKED)

    # The keyboard is on a link inside the body: another minute replaces nothing.
    link = body.locator("nav.crumbs a").first
    link.focus()
    _mark_the_body(page)
    seen = len(answers)
    _a_minute_passes(page, answers, asks=False)
    assert len(answers) == seen  # not even asked
    assert page.evaluate(MARKED)
    expect(link).to_be_focused()

    # The session ends; the focus is back on the filters. The refresh is sent to the sign-in
    # page: that page stays out of the room, which keeps what it showed.
    page.get_by_label("Periode").focus()
    context.clear_cookies(name="sessionid")
    _a_minute_passes(page, answers, asks=True)
    assert any("/masuk/" in url for url in answers[seen:]), answers[seen:]
    assert page.evaluate(MARKED)
    expect(body.get_by_label("Kata sandi")).to_have_count(0)
    expect(body).to_contain_text("Penolakan rumah ibadah")


def test_each_item_checkbox_is_named_by_its_title(new_context):  # type: ignore[no-untyped-def]
    issue = plant(Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL))
    kakanwil_jabar = _staff("kakanwil.jabar", "32", Role.HEAD_OF_OFFICE)  # may split the Bogor issue
    page = new_context("desktop").new_page()
    login(page, kakanwil_jabar.username)
    page.goto(f"/situasi/isu/{issue.pk}/")
    titles = list(Item.objects.filter(issue=issue).values_list("title", flat=True))
    assert len(titles) > 1
    for title in titles:
        box = page.get_by_role("checkbox", name=f"pilih {title}", exact=True)
        expect(box).to_have_count(1)
    page.get_by_role("checkbox", name=f"pilih {titles[0]}", exact=True).check()
    expect(page.locator("input[name=items]:checked")).to_have_count(1)
