"""The Situation Room in real Chromium, on a desktop screen.

A rumah ibadah dispute in Kabupaten Bogor (Jawa Barat) is reported again and again in the
last hours, over a few days of calm news elsewhere; the detector raises its alerts. The head of
Kanwil Sulawesi Selatan opens the room (it starts at his own province), switches to the whole
country and sees all 38 provinces with Jawa Barat the darkest, filters to Jawa Barat with the
filter form, finds Kabupaten Bogor on the regency map and opens the top issue: he may read it,
but following it up is Jawa Barat's (no buttons). The head of Kanwil Jawa Barat opens the same
issue and acknowledges its alert: the alert page then says "Diterima".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from satupintu.organization.models import Role
from satupintu.situation import maps, trends
from satupintu.situation.models import Alert, AlertKind, AlertStatus, Source, SourceKind
from satupintu.situation.store import shared_analyzer
from tests.conftest import _staff
from tests.e2e.conftest import login
from tests.e2e.shots import shot
from tests.situation.test_room_views import plant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():  # type: ignore[no-untyped-def]
    """The duplicate finder lives per process; the test database does not."""
    shared_analyzer.reset()
    yield
    shared_analyzer.reset()



def test_kanwil_head_finds_the_bogor_spike_on_the_map_and_acknowledges_its_alert(  # type: ignore[no-untyped-def]
        people, new_context, artifacts):
    spike = plant(Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL))
    assert trends.detect()
    alert = Alert.objects.get(kind=AlertKind.ISSUE, issue=spike)

    page = new_context("desktop").new_page()
    login(page, people.kakanwil_sulsel.username)
    page.goto("/situasi/")
    expect(page).to_have_url(re.compile(r"/situasi/\?provinsi=73$"))  # a Kanwil head starts at home
    expect(page.get_by_role("heading", name="Peta kabupaten/kota")).to_be_visible()

    # --- The whole country: 38 provinces, Jawa Barat (the spike) in the darkest class.
    province = page.get_by_label("Provinsi", exact=True)
    province.select_option(label="Seluruh Indonesia")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_role("heading", name="Peta provinsi")).to_be_visible()
    the_map = page.get_by_test_id("map")
    expect(the_map).to_be_visible()
    expect(the_map.locator("path")).to_have_count(38)
    expect(the_map.locator('path[data-code="32"]')).to_have_attribute("fill", maps.palette("volume")[-1])
    expect(the_map.locator('path[data-code="61"]')).to_have_attribute("fill", maps.NEUTRAL)  # nothing reported
    box = the_map.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 200, box
    shot(page.locator(".map-card"), path=artifacts / "40-situation-national-map-desktop.png")

    # --- Jawa Barat through the filter form: the regency map, Kabupaten Bogor coloured.
    province.select_option(label="Jawa Barat")
    page.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(re.compile(r"[?&]provinsi=32(&|$)"))
    expect(page.get_by_role("heading", name="Peta kabupaten/kota")).to_be_visible()
    bogor = page.get_by_test_id("map").locator('path[data-code="32.01"]')
    expect(bogor).to_be_visible()
    expect(bogor).to_have_attribute("fill", maps.palette("volume")[-1])
    assert bogor.locator("title").text_content().startswith("Kabupaten Bogor:")
    shot(page.locator(".map-card"), path=artifacts / "41-situation-jabar-map-desktop.png")

    # --- The top issue, and its alert acknowledged from the issue page.
    top = page.locator("section[aria-labelledby=issues-title] ol.issue-list a").first
    expect(top).to_have_text(spike.title)
    top.click()
    expect(page).to_have_url(re.compile(rf"/situasi/isu/{spike.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(spike.title)
    expect(page.locator(".timeline > li")).to_have_count(spike.item_count)
    shot(page, path=artifacts / "42-situation-issue-desktop.png", full_page=True)
    # Reading is national, acting is the region's: Sulawesi Selatan gets no buttons here.
    expect(page.get_by_test_id("read-only")).to_be_visible()
    expect(page.get_by_role("button", name="Terima peringatan")).to_have_count(0)

    kakanwil_jabar = _staff("kakanwil.jabar", "32", Role.HEAD_OF_OFFICE)
    page = new_context("desktop").new_page()
    login(page, kakanwil_jabar.username)
    page.goto(f"/situasi/isu/{spike.pk}/")
    page.get_by_role("button", name="Terima peringatan").click()
    expect(page).to_have_url(re.compile(rf"/situasi/peringatan/{alert.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("Peringatan diterima.")
    expect(page.get_by_test_id("alert-status")).to_have_text("Diterima")
    expect(page.get_by_role("button", name="Terima peringatan")).to_have_count(0)
    shot(page, path=artifacts / "43-situation-alert-acknowledged-desktop.png", full_page=True)

    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, kakanwil_jabar)
