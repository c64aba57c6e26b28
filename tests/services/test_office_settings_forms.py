"""The office settings are forms: a time, a number of days or a choice that cannot be read
comes back at its field with the error summary (400), nothing saved, what was typed kept."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from satupintu.feedback.models import KioskDevice
from satupintu.organization.models import Office
from satupintu.services.catalog import offer_for, service_get
from satupintu.services.models import OfficeService, Requirement, Service

pytestmark = pytest.mark.django_db
SLUG = "legalisir-ijazah-madrasah"


@pytest.fixture
def admin(people) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(people.kakan_lutra)
    return c


def _form(**changes):  # type: ignore[no-untyped-def]
    office = Office.objects.get(code="73.22")
    services = [s for s in Service.objects.filter(is_active=True) if office.level in s.levels]
    data = {"office": "73.22", "opens_at": "08:00", "closes_at": "16:00", "weekday": list("12345"),
            "enabled": [str(s.pk) for s in services]}
    data.update(changes)
    return data


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def test_times_and_days_that_cannot_be_read_are_said_at_their_fields(admin):  # type: ignore[no-untyped-def]
    legalisir, kiblat = service_get(SLUG), service_get("pengukuran-arah-kiblat")
    response = admin.post("/petugas/kantor/", _form(opens_at="25:99", closes_at="16.30", **{
        f"days-{legalisir.pk}": "abc", f"days-{kiblat.pk}": "-3"}))
    assert response.status_code == 400
    page = _page(response)
    assert 'id="error-summary"' in page
    assert 'href="#s-opens_at"' in page and "Tulis jam dengan format JJ:MM, mis. 08:00." in page
    assert 'href="#s-closes_at"' not in page  # 16.30 is a time as people write it
    # the unreadable days and the out-of-range days are both said at once
    assert f'href="#s-days-{legalisir.pk}"' in page and f'href="#s-days-{kiblat.pk}"' in page
    assert "Waktu penyelesaian 'Pengukuran Arah Kiblat' harus 1-365 hari kerja." in page
    for typed in ('value="25:99"', 'value="16.30"', 'value="abc"', 'value="-3"'):
        assert typed in page
    office = Office.objects.get(code="73.22")
    assert (office.opens_at.hour, office.closes_at.hour) == (8, 16)
    assert not OfficeService.objects.filter(office=office).exists()


def test_hours_the_wrong_way_round_and_no_day_are_refused_together(admin):  # type: ignore[no-untyped-def]
    response = admin.post("/petugas/kantor/", _form(opens_at="17:00", closes_at="08:00", weekday=[]))
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#s-closes_at"' in page and "jam tutup harus setelah jam buka" in page
    assert 'href="#s-weekday_0"' in page and "Pilih minimal satu hari layanan." in page
    assert Office.objects.get(code="73.22").opens_at.hour == 8


def test_good_settings_are_saved(admin):  # type: ignore[no-untyped-def]
    service = service_get(SLUG)
    response = admin.post("/petugas/kantor/", _form(opens_at="07.30", closes_at="15:30", weekday=list("123456"),
                                                    **{f"days-{service.pk}": "3"}))
    assert response.status_code == 302
    office = Office.objects.get(code="73.22")
    assert office.working_weekdays == "123456" and office.opens_at.minute == 30
    assert offer_for(service, office).working_days == 3


def test_the_settings_page_marks_what_is_required_and_shows_english(admin):  # type: ignore[no-untyped-def]
    page = admin.get("/petugas/kantor/").content.decode()
    assert '<label for="s-opens_at">Buka <span class="mark">(wajib)</span></label>' in page
    assert '<label for="c-address">Alamat <span class="mark">(opsional)</span></label>' in page
    admin.cookies["django_language"] = "en"
    page = _page(admin.post("/petugas/kantor/", _form(opens_at="abc")))
    assert "Write the time as HH:MM, e.g. 08:00." in page


def test_wrong_contacts_come_back_as_typed(admin):  # type: ignore[no-untyped-def]
    response = admin.post("/petugas/kantor/", {"office": "73.22", "section": "contacts", "email": "bukan-email",
                                               "address": "Jl. Simpurusiang"})
    assert response.status_code == 400
    page = _page(response)
    assert 'id="error-summary"' in page and '<label for="c-email">Email <span class="mark">(opsional)</span>' in page
    assert 'href="#c-email"' in page and 'value="bukan-email"' in page and 'value="Jl. Simpurusiang"' in page
    assert Office.objects.get(code="73.22").address == ""


def test_a_requirement_rule_or_extra_name_that_cannot_be_taken_saves_nothing(admin):  # type: ignore[no-untyped-def]
    url = f"/petugas/kantor/layanan/{SLUG}/?office=73.22"
    assert admin.get(url).status_code == 200
    assert not OfficeService.objects.exists()  # looking at the page changes nothing
    response = admin.post(url, {"office": "73.22", "req-ktp": "kadang-kadang", "req-ijazah_asli": "hidden"})
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#req-ktp"' in page and "Pilih salah satu aturan yang tersedia." in page
    assert '<option value="hidden" selected>' in page
    response = admin.post(url, {"office": "73.22", "req-ktp": "optional", "extra_name": "Surat " + "x" * 300})
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#extra_name"' in page and "Nama persyaratan maksimal 300 karakter." in page
    assert 'value="Surat xxx' in page
    assert not OfficeService.objects.exists() and not Requirement.objects.filter(office__isnull=False).exists()
    response = admin.post(url, {"office": "73.22", "req-ktp": "optional", "extra_name": "Surat pengantar",
                                "extra_mandatory": "on"})
    assert response.status_code == 302
    reqs = {r.code: r for r in offer_for(service_get(SLUG), Office.objects.get(code="73.22")).requirements}
    assert reqs["ktp"].mandatory is False and reqs["tambahan_1"].mandatory is True


def test_an_extra_requirement_sent_twice_is_added_once(admin):  # type: ignore[no-untyped-def]
    # A double click, or the form sent again after "back": citizens must not upload a paper twice.
    url = f"/petugas/kantor/layanan/{SLUG}/?office=73.22"
    for name in ("Surat pengantar madrasah", "surat  pengantar MADRASAH", "Surat rekomendasi"):
        assert admin.post(url, {"office": "73.22", "extra_name": name}).status_code == 302
    extras = Requirement.objects.filter(office__code="73.22", service__slug=SLUG).order_by("code")
    assert [(r.code, r.name) for r in extras] == [("tambahan_1", "Surat pengantar madrasah"),
                                                 ("tambahan_2", "Surat rekomendasi")]


def test_a_kiosk_name_that_is_too_short_comes_back_at_its_field(admin):  # type: ignore[no-untyped-def]
    response = admin.post("/petugas/kantor/kios/?office=73.22", {"office": "73.22", "name": "x"})
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#kiosk-name"' in page and "Beri nama kios" in page and re.search(r'value="x"', page)
    assert '<label for="kiosk-name">Nama kios <span class="mark">(wajib)</span></label>' in page
    assert KioskDevice.objects.count() == 0


def test_revoking_an_unknown_kiosk_is_said_on_the_page(admin):  # type: ignore[no-untyped-def]
    response = admin.post("/petugas/kantor/kios/?office=73.22", {"office": "73.22", "revoke": "424242"})
    assert response.status_code == 404 and "Kios tidak ditemukan di kantor ini." in _page(response)
    response = admin.post("/petugas/kantor/kios/?office=73.22", {"office": "73.22", "revoke": "abc"})
    assert response.status_code == 400 and "Kios tidak ditemukan di kantor ini." in _page(response)
