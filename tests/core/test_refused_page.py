"""The request guard's own page (before any view): in the reader's language throughout, saying
what to change. A file named with about a thousand characters makes Django refuse the form part
(its headers pass 1,024 bytes): the page says to shorten the name."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.feedback.models import Report
from tests.core.test_csrf_page import COMPLAINT

pytestmark = pytest.mark.django_db


def _post_with_a_long_file_name(client: Client):  # type: ignore[no-untyped-def]
    """As a browser sends it (Django's test client would cut the name to 255 characters)."""
    boundary = "----batas"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in COMPLAINT.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{"a" * 1000}.png"\r\n'
                 "Content-Type: image/png\r\n\r\n\x89PNG\r\n")
    body = ("".join(parts) + f"--{boundary}--\r\n").encode("latin-1")
    return client.generic("POST", "/pengaduan/", body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_file_with_a_very_long_name_is_refused_saying_to_shorten_it():
    response = _post_with_a_long_file_name(Client())
    page = response.content.decode()
    assert response.status_code == 400 and Report.objects.count() == 0
    assert "ganti namanya dengan nama yang lebih pendek" in page and "Tombol Kembali" in page
    assert "Please" not in page and "Back" not in page  # Indonesian throughout


def test_the_refusal_page_is_english_throughout_in_english():
    client = Client()
    client.cookies["django_language"] = "en"
    page = _post_with_a_long_file_name(client).content.decode()
    assert "give it a shorter name" in page and "Back button" in page and '<html lang="en">' in page
    for indonesian in ("Periksa", "Kembali", "Beranda", "Lacak", "Layanan</a>"):
        assert indonesian not in page, indonesian
    nul = client.get("/verifikasi/?token=%00").content.decode()
    assert "not allowed" in nul and "Beranda" not in nul
