"""Offices tell citizens where and when: address, phone, WhatsApp, e-mail, hours and a map
(our own SVG of the region with a marker), edited in the office settings."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.organization.contacts import ContactErrors, OfficeContacts, office_update_contacts
from satupintu.organization.models import Office
from satupintu.organization.office_map import office_map

pytestmark = pytest.mark.django_db

LUTRA = dict(address="Jl. Simpurusiang, Masamba", phone="(0473) 21001", whatsapp="0812 3456 9022",
             email="PTSP.Lutra@contoh.go.id", opening_hours_text="Senin–Kamis 08.00–16.00, Jumat 08.00–16.30",
             latitude="-2.553", longitude="120.326")


def _admin_client(people):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(people.kakan_lutra)
    return c


def test_office_settings_edit_contacts_shown_on_the_public_page(people):  # type: ignore[no-untyped-def]
    c = _admin_client(people)
    page = c.get("/petugas/kantor/").content.decode()
    for name in ("address", "phone", "whatsapp", "email", "opening_hours_text", "latitude", "longitude"):
        assert f'name="{name}"' in page
    response = c.post("/petugas/kantor/", {"office": "73.22", "section": "contacts", **LUTRA})
    assert response.status_code == 302
    office = Office.objects.get(code="73.22")
    assert office.whatsapp == "+6281234569022" and office.email == "ptsp.lutra@contoh.go.id"
    assert str(office.latitude) == "-2.55300"
    page = Client().get("/kantor/73.22/").content.decode()
    for text in ("Jl. Simpurusiang, Masamba", 'href="tel:(0473)21001"', 'href="https://wa.me/6281234569022"',
                 'href="mailto:ptsp.lutra@contoh.go.id"', "Senin–Kamis 08.00–16.00, Jumat 08.00–16.30"):
        assert text in page
    # The map is our own inline SVG: the regency's shape and a marker, nothing fetched from elsewhere.
    svg = re.search(r'<figure class="office-map" id="office-map">.*?</figure>', page, re.S).group(0)
    assert "<svg" in svg and 'class="region"' in svg and "<circle" in svg and "Luwu Utara" in svg
    # SVG and map links take numbers with a decimal point, whatever the page's language writes.
    assert re.search(r'<circle cx="\d+(\.\d+)?" cy="\d+(\.\d+)?"', svg), svg
    assert re.search(r'mlat=-?\d+\.\d+&amp;mlon=\d+\.\d+', svg), svg
    assert "tile" not in page.lower() and "leaflet" not in page.lower()


def test_wrong_contacts_are_all_refused_at_once(people):  # type: ignore[no-untyped-def]
    c = _admin_client(people)
    response = c.post("/petugas/kantor/", {
        "office": "73.22", "section": "contacts", "phone": "telp <script>", "whatsapp": "12",
        "email": "bukan-email", "latitude": "25.5", "longitude": "20.3", "address": "x" * 301,
    })
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("phone", "whatsapp", "email", "latitude", "longitude", "address"):
        assert f'href="#c-{field}"' in page
    assert Office.objects.get(code="73.22").phone == ""
    # A point in another regency is refused (Makassar is not Luwu Utara).
    with pytest.raises(ContactErrors) as info:
        office_update_contacts(Office.objects.get(code="73.22"), OfficeContacts(latitude="-5.154", longitude="119.436"))
    assert [e.code for e in info.value.errors] == ["location_outside"]
    for odd in ("NaN", "-nan", "Infinity", "sNaN", "1e999999"):  # NaN used to pass quantize, then fail the range: a 500
        with pytest.raises(ContactErrors) as info:
            office_update_contacts(Office.objects.get(code="73.22"), OfficeContacts(latitude=odd, longitude="120.3"))
        assert [e.code for e in info.value.errors] == ["invalid_location"], odd
    assert isinstance(info.value, DomainError)


def test_only_the_office_administrators_edit_contacts(people):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(people.fo_lutra)
    assert c.post("/petugas/kantor/", {"office": "73.22", "section": "contacts", **LUTRA}).status_code == 403
    assert Office.objects.get(code="73.22").address == ""


def test_map_without_coordinates_shows_the_region_only():
    lutra = office_map(Office.objects.get(code="73.22"))
    assert lutra is not None and not lutra.exact and lutra.region_path.startswith("M")
    kanwil = office_map(Office.objects.get(code="73"))
    assert kanwil is not None and "Sulawesi Selatan" in kanwil.region_name
    page = Client().get("/kantor/73.22/").content.decode()
    assert 'id="office-map"' in page and "<circle" not in page and "letak kantor belum diisi" in page


def test_demo_offices_have_contacts(db):  # type: ignore[no-untyped-def]
    from satupintu.demo import _office_contacts

    _office_contacts()  # every demo point lies in its own region (the check would refuse it otherwise)
    for code in ("73.22", "73.71", "73"):
        office = Office.objects.get(code=code)
        assert office.address and office.phone and office.whatsapp and office.email and office.latitude
    assert "<circle" in Client().get("/kantor/73.71/").content.decode()


def test_api_lists_office_contacts(db):  # type: ignore[no-untyped-def]
    from satupintu.demo import _office_contacts

    _office_contacts()
    offices = {o["code"]: o for o in Client().get("/api/v1/offices", {"province": "73"}).json()}
    lutra = offices["73.22"]
    assert lutra["whatsapp"].startswith("+62") and lutra["address"] and lutra["latitude"] == pytest.approx(-2.553)
    assert offices["73.01"]["address"] == "" and offices["73.01"]["latitude"] is None


def test_an_email_over_254_characters_is_refused_not_saved(people):  # type: ignore[no-untyped-def]
    """Django's validator takes 320 characters, Office.email holds 254: PostgreSQL refused the rest
    (a 500 on the settings page). The applicant's rule applies (identity.clean_email)."""
    long_email = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + "@contoh.go.id"  # 256
    with pytest.raises(ContactErrors) as info:
        office_update_contacts(Office.objects.get(code="73.22"), OfficeContacts(**{**LUTRA, "email": long_email}))
    assert [(e.code, e.field) for e in info.value.errors] == [("invalid_email", "email")]
    assert "terlalu panjang (maksimal 254 karakter)" in info.value.message
    assert Office.objects.get(code="73.22").email == ""
    response = _admin_client(people).post("/petugas/kantor/", {"office": "73.22", "section": "contacts",
                                                               **LUTRA, "email": long_email})
    assert response.status_code == 400 and "maksimal 254 karakter" in response.content.decode()
    # 254 characters still fit
    office = office_update_contacts(Office.objects.get(code="73.22"),
                                    OfficeContacts(**{**LUTRA, "email": long_email[:60] + long_email[62:]}))
    assert len(office.email) == 254
