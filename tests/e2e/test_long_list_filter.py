"""Long lists narrowed by typing, in real Chromium at phone size (static/satupintu/select-filter.js).

A phone's picker cannot be searched, and a complaint's office is one of 550, a field report's
regency one of 514. A box above each list narrows it as people type: "luwu" leaves the Luwus,
"luwu utara" only one, which is then chosen; the count is read out; the list keeps its name and
value, so the form posts as before."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from satupintu.organization.models import Role
from tests.conftest import _staff
from tests.e2e.conftest import open_field_app
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOWN = "(sel) => Array.from(document.querySelector(sel).options).filter(o => o.value && !o.hidden).map(o => o.text)"


def test_the_complaint_office_list_narrows_as_people_type(new_context, artifacts):
    page = new_context("phone").new_page()
    page.goto("/pengaduan/")
    everything = len(page.evaluate(SHOWN, "#office"))
    assert everything > 500
    search = page.get_by_label("Cari di daftar")
    search.fill("luwu")
    luwus = page.evaluate(SHOWN, "#office")
    assert 3 <= len(luwus) < 10 and all("luwu" in name.lower() for name in luwus), luwus
    expect(page.locator("#office-filter-count")).to_have_text(f"{len(luwus)} pilihan cocok; buka daftar untuk memilih.")
    search.fill("LUWU  utara")  # case and spacing as people type them
    assert page.evaluate(SHOWN, "#office") == ["Kabupaten Luwu Utara"]
    expect(page.get_by_label("Kantor yang dilaporkan / lokasi Anda")).to_have_value("73.22")  # the only one: chosen
    expect(page.locator("#office-filter-count")).to_have_text("1 pilihan cocok dan sudah dipilih.")
    shot(page, path=artifacts / "long-list-complaint-office.png")
    search.fill("tidak ada kantor begini")
    expect(page.locator("#office-filter-count")).to_have_text("Tidak ada yang cocok; hapus sebagian kata.")
    # The chosen office stays in the list even when the words no longer fit it.
    assert page.evaluate(SHOWN, "#office") == ["Kabupaten Luwu Utara"]
    expect(page.locator("#office")).to_have_value("73.22")
    search.fill("")
    assert len(page.evaluate(SHOWN, "#office")) == everything
    # Enter in the box does not send the half-filled form.
    search.press("Enter")
    assert page.url.endswith("/pengaduan/")
    expect(page.locator("#error-summary")).to_have_count(0)


def test_the_field_report_regency_list_narrows_in_english_too(new_context):
    _staff("penyuluh.daftar", "73.22", Role.FIELD_REPORTER)
    page = new_context("phone").new_page()
    open_field_app(page, "penyuluh.daftar")
    page.evaluate("document.cookie = 'django_language=en; path=/'")
    page.reload()
    regency = page.locator("select[name=regency_code]")
    search = page.get_by_label("Search the list")
    search.fill("kota makassar")
    assert page.evaluate(SHOWN, "select[name=regency_code]") == ["Kota Makassar"]
    expect(regency).to_have_value("73.71")
    expect(page.locator(f"#{regency.get_attribute('id')}-filter-count")).to_have_text("1 choice matches and is chosen.")
    search.fill("kota")
    cities = page.evaluate(SHOWN, "select[name=regency_code]")
    assert len(cities) > 90 and all("kota" in name.lower() for name in cities), cities[:3]
    expect(page.locator(f"#{regency.get_attribute('id')}-filter-count")).to_have_text(
        f"{len(cities)} choices match; open the list to choose.")

