"""An application's timeline names who acted in the reader's language: the stored "Pemohon"
and "Sistem" read "Applicant" and "System" in English, an officer by name for staff only."""

import pytest
from django.test import Client

from satupintu.services.workflow import application_transition

pytestmark = pytest.mark.django_db


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_the_citizen_and_the_officer_read_who_acted_in_english(people, submit):  # type: ignore[no-untyped-def]
    app = submit()
    application_transition(app, "verify", user=people.fo_lutra)
    citizen = _english(Client())
    citizen.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    page = citizen.get(f"/lacak/{app.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "· Applicant" in page and "· Officer" in page and "Pemohon<" not in page and "· Pemohon" not in page
    assert "fo.lutra" not in page and "Front" not in page  # an officer is not named to the public

    staff = Client()
    assert staff.login(username="fo.lutra", password="sandi-uji-123")
    page = _english(staff).get(f"/petugas/permohonan/{app.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "· Applicant</div>" in page and "· Pemohon" not in page
    name = people.fo_lutra.get_full_name() or people.fo_lutra.get_username()
    assert f"· {name}</div>" in page  # staff see the officer by name, as stored
