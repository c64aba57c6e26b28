"""Staff pages read on a phone: the menu starts with their tools (the queue sat past the screen's
edge), a queue card labels what its bare values are, and every time says its zone."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _staff(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_staff_tools_come_first_in_the_menu(people):
    page = _staff(people.fo_lutra).get("/petugas/").content.decode()
    menu = re.search(r'<nav aria-label="Menu utama">(.*?)</nav>', page, re.S).group(1)
    links = re.findall(r'href="([^"]+)"', menu)
    assert links[0] == "/petugas/" and links.index("/situasi/") < links.index("/layanan/")
    public = re.search(r'<nav aria-label="Menu utama">(.*?)</nav>', Client().get("/").content.decode(), re.S).group(1)
    assert re.findall(r'href="([^"]+)"', public)[0] == "/layanan/" and "/petugas/" not in public


def test_a_queue_card_says_what_its_values_are_and_the_zone_of_its_times(people, submit):
    app = submit()
    page = _staff(people.fo_lutra).get("/petugas/").content.decode()
    row = re.search(rf'{app.tracking_code}.*?</tr>', page, re.S).group(0)
    assert 'data-label="Sisa waktu"' in row and 'data-label="Petugas"' in row
    assert re.search(r"\d\d-\d\d \d\d\.\d\d WITA", row)  # the due time with its zone
    assert "Kabupaten Luwu Utara" in row  # the office by name, not "73.22" alone
    detail = _staff(people.fo_lutra).get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert re.search(r"<dt>Diajukan</dt><dd>\d\d-\d\d-\d{4} \d\d\.\d\d WITA", detail)
