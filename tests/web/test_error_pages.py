"""404, 403, 400 and 500 pages: branded, Indonesian first (English when chosen), with a way on."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NAVIGATION = ('href="/"', 'href="/layanan/"', 'href="/lacak/"')


@pytest.fixture(autouse=True)
def _production(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False  # Django shows its own technical pages otherwise


def _english() -> Client:
    c = Client()
    c.cookies["django_language"] = "en"
    return c


def _page(response) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert "Satu Pintu" in page and 'class="brand"' in page  # our header, not Django's bare page
    for link in NAVIGATION:
        assert link in page
    return page


def test_404_is_branded_and_bilingual():
    response = Client().get("/halaman-yang-tidak-ada/")
    assert response.status_code == 404
    page = _page(response)
    assert "Halaman tidak ditemukan" in page and '<html lang="id">' in page
    assert "Not Found" not in page and "The requested resource" not in page
    response = _english().get("/halaman-yang-tidak-ada/")
    assert response.status_code == 404
    page = _page(response)
    assert "Page not found" in page and "Halaman tidak ditemukan" not in page


def test_unknown_office_and_service_get_the_branded_404():
    for url in ("/kantor/99.99/", "/layanan/tidak-ada/"):
        response = Client().get(url)
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in _page(response)


def test_403_is_branded_says_why_and_is_bilingual(people):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(people.outsider)
    response = c.get("/petugas/")
    assert response.status_code == 403
    page = _page(response)
    assert "Akses ditolak" in page and "Halaman ini hanya untuk petugas." in page
    c.cookies["django_language"] = "en"
    page = _page(c.get("/petugas/"))
    assert "Access denied" in page


def test_403_of_other_back_office_pages_is_branded_too(people):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(people.fo_lutra)  # staff, but not an office administrator
    response = c.get("/petugas/kantor/")
    assert response.status_code == 403
    assert "Akses ditolak" in _page(response)


def test_400_is_branded_and_bilingual():
    response = Client(HTTP_HOST="penyerang.example").get("/")
    assert response.status_code == 400
    page = _page(response)
    assert "Permintaan tidak dapat diproses" in page and "Bad Request (400)" not in page
    response = _english().get("/", HTTP_HOST="penyerang.example")
    assert "Bad request" in _page(response)


def test_500_page_is_bilingual():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("id"):
        assert "Terjadi kesalahan pada server" in render_to_string("500.html")
    with translation.override("en"):
        page = render_to_string("500.html")
    assert "Something went wrong" in page and 'href="/layanan/"' in page
