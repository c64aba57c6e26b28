"""The catalog speaks English when English is chosen: it has the English names, so it uses them."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SERVICE = "legalisir-ijazah-madrasah"


def _client(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def test_catalog_service_page_and_form_use_the_english_names():
    english = _client("en")
    catalog = english.get("/layanan/", {"q": "legalisir"}).content.decode()
    assert "Legalisation of Madrasah Diploma" in catalog and "Madrasah Education Section" in catalog
    page = english.get(f"/layanan/{SERVICE}/").content.decode()
    assert "<h1>Legalisation of Madrasah Diploma</h1>" in page
    form = english.get(f"/layanan/{SERVICE}/ajukan/", {"office": "73.22"}).content.decode()
    assert "Legalisation of Madrasah Diploma" in form


def test_indonesian_stays_the_default():
    page = _client("id").get(f"/layanan/{SERVICE}/").content.decode()
    assert "<h1>Legalisir Ijazah Madrasah</h1>" in page
