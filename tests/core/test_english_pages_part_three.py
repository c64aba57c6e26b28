"""The third English walkthrough's findings (390 px, citizen, officer, leader): what the pages
compose in Python or JavaScript reads in the page's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _english(user=None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("path, reason", [
    ("/petugas/kantor/", "This page is for administrators and heads of office."),
    ("/petugas/ngopas/", "This page is for heads of office and complaint officers."),
])
def test_a_refusal_gives_its_reason_in_the_pages_language(people, path, reason):
    response = _english(people.fo_lutra).get(path)
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert "Halaman ini" not in response.content.decode()
