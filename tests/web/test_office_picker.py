"""From a service page to its form in one step: the office picked from the list, typed by place
name (typos forgiven), or found from where the citizen stands."""

import re

import pytest
from django.test import Client

from satupintu.organization.geo import regency_code_at
from satupintu.services.models import Service

pytestmark = pytest.mark.django_db

SERVICE = "legalisir-ijazah-madrasah"
FORM = f"/layanan/{SERVICE}/ajukan/?office="
MASAMBA = ("-2.5535", "120.3275")  # the seat of Luwu Utara (73.22)


def _go(**params: str):  # type: ignore[no-untyped-def]
    return Client().get(f"/layanan/{SERVICE}/kantor/", params)


def test_the_service_page_form_goes_straight_to_the_application_form():
    page = Client().get(f"/layanan/{SERVICE}/").content.decode()
    assert f'action="/layanan/{SERVICE}/kantor/"' in page
    assert '<option value="Kabupaten Luwu Utara">' in page  # typed names are suggested
    assert "office-picker.js" in page and "<script>" not in page


@pytest.mark.parametrize("typed, code", [
    ("Luwu Utara", "73.22"),
    ("kab. luwu utara", "73.22"),
    ("luwu utra", "73.22"),          # a typo
    ("Kota Makassar", "73.71"),
    ("Kota Bogor", "32.71"),
    ("kab. bogor", "32.01"),
    ("Masamba", "73.22"),            # a kecamatan: the office of its regency
])
def test_a_typed_place_name_finds_its_office(typed, code):
    response = _go(nama=typed)
    assert response.status_code == 302 and response["Location"] == FORM + code


def test_a_chosen_office_code_goes_to_its_form():
    assert _go(office="73.22")["Location"] == FORM + "73.22"


def test_a_location_finds_the_regency_office():
    assert regency_code_at(float(MASAMBA[0]), float(MASAMBA[1])) == "73.22"
    assert _go(lat=MASAMBA[0], lon=MASAMBA[1])["Location"] == FORM + "73.22"


def test_a_kanwil_service_asked_from_a_regency_goes_to_the_kanwil():
    Service.objects.filter(slug=SERVICE).update(levels=["kanwil"])
    assert _go(lat=MASAMBA[0], lon=MASAMBA[1])["Location"] == FORM + "73"


@pytest.mark.parametrize("params, message", [
    ({"nama": "Atlantis Raya"}, "Tidak ada kantor untuk &#x27;Atlantis Raya&#x27;"),
    ({"lat": "-10.0", "lon": "95.0"}, "tidak berada di wilayah kabupaten/kota Indonesia"),  # Indian Ocean
    ({"lat": "utara", "lon": "x"}, "Lokasi tidak valid."),
    ({}, "Pilih kantor tujuan, ketik nama tempatnya, atau gunakan lokasi Anda."),
    ({"office": "99.99"}, "Kantor dengan kode &#x27;99.99&#x27; tidak ditemukan."),
])
def test_what_cannot_be_found_is_said_on_the_page_with_the_form(params, message):
    response = _go(**params)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert 'role="alert" id="office-error"' in page and 'aria-describedby="office-error"' in page


def test_english_when_asked():
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(f"/layanan/{SERVICE}/kantor/", {"nama": "Atlantis Raya"}).content.decode()
    assert "No office was found for" in page and "Continue to the form" in page


@pytest.mark.parametrize("typed, codes", [
    ("Bogor", ["32.01", "32.71"]),                # the Kabupaten and the Kota: it took the Kabupaten
    ("Luwu", ["73.17", "73.22", "73.24"]),         # Luwu, Luwu Utara, Luwu Timur: it took Luwu
    ("Sungai Raya", ["63.06", "11.03", "61.07", "61.12"]),  # a kecamatan in four regencies (Hulu Sungai
                                                            # Selatan's name is the nearest)
    ("makasar", ["73.71", "31.75"]),              # a typo of Makassar, and a kecamatan of Jakarta Timur
])
def test_a_name_that_fits_several_places_lets_the_citizen_pick(typed, codes):
    response = _go(nama=typed)
    page = response.content.decode()
    assert response.status_code == 400 and "Nama itu cocok dengan beberapa tempat" in page
    offered = re.findall(rf'href="/layanan/{SERVICE}/kantor/\?office=([0-9.]+)"', page)
    assert sorted(offered) == sorted(codes) and offered[0] == codes[0]  # the likeliest first
    assert _go(office=codes[-1])["Location"] == FORM + codes[-1]  # one tap on the choice goes on


def test_the_catalog_filters_by_a_place_as_citizens_name_it():
    # It asked for "Kode kantor (mis. 73.22)", which citizens do not know.
    page = Client().get("/layanan/", {"office": "Luwu Utara"}).content.decode()
    assert 'Layanan di <a href="/kantor/73.22/">' in page
    assert Client().get("/layanan/", {"office": "73.22"}).content.decode().count('href="/kantor/73.22/"') >= 1
    several = Client().get("/layanan/", {"office": "Bogor", "q": "ijazah"}).content.decode()
    assert "cocok dengan beberapa tempat" in several
    assert re.findall(r'href="\?q=ijazah&amp;unit=&amp;office=([0-9.]+)"', several) == ["32.01", "32.71"]
    unknown = Client().get("/layanan/", {"office": "Atlantis Raya"}).content.decode()
    assert "Tidak ada kantor untuk \"Atlantis Raya\". Periksa ejaannya." in unknown
