"""An application's timeline names who acted in the reader's language: the stored "Pemohon"
and "Sistem" read "Applicant" and "System" in English, an officer by name for staff only."""

import re

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


def test_what_the_system_wrote_in_a_timeline_reads_in_english_the_officers_words_as_written(people, submit):  # type: ignore[no-untyped-def]
    from satupintu.services.workflow import application_assign

    app = submit()
    office = app.office.name
    application_assign(app, user=people.fo_lutra, assignee=people.pendma_lutra, note="Mohon segera.")
    # Stored whole, in Indonesian, as the API and webhooks read it.
    assert app.events.get(action="submit").note == f"Diajukan ke {office}."
    assigned = app.events.get(action="assign")
    assert assigned.note.startswith("Kepada ") and assigned.note.endswith(". Mohon segera.")
    staff = Client()
    staff.force_login(people.fo_lutra)
    page = _english(staff).get(f"/petugas/permohonan/{app.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    import html

    page = html.unescape(page)
    assert f"<div>Submitted to {office}.</div>" in page and "Diajukan ke" not in page
    assert re.search(r"<div>To [^<]+\. Mohon segera\.</div>", page) and "Kepada" not in page
    citizen = _english(Client())
    citizen.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    assert f"Submitted to {office}." in html.unescape(citizen.get(f"/lacak/{app.tracking_code}/",
                                                                  HTTP_ACCEPT_LANGUAGE="en").content.decode())


@pytest.mark.parametrize("data", [{"said": ["%(x)d", {"x": "a"}]}, {"said": ["Ke %(unit)s.", {}]}, {"said": "x"},
                                  {"said": ["Kepada %(name)s."]}])
def test_a_damaged_record_of_what_the_system_said_reads_as_stored(data):  # type: ignore[no-untyped-def]
    from satupintu.core.actors import note_shown

    assert note_shown("Catatan apa adanya.", data) == "Catatan apa adanya."


@pytest.mark.parametrize("english", [["Unit A in English"], {"unit": None}, "x", {"other": "B"}])
def test_a_damaged_english_value_reads_the_stored_value(english):  # type: ignore[no-untyped-def]
    from django.utils import translation

    from satupintu.core.actors import note_shown

    data = {"said": ["Ke %(unit)s.", {"unit": "Unit A"}], "said_en": english}
    with translation.override("en"):
        shown = note_shown("Ke Unit A. Mohon dijawab.", data)
    assert shown == "To Unit A. Mohon dijawab."
