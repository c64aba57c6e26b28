"""From a service page to its form in one step: the office picked from the list, typed by place
name (typos forgiven), or found from where the citizen stands."""

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
    ("makasar", "73.71"),
    ("Luwu", "73.17"),               # the exact name wins over Luwu Utara and Luwu Timur
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
