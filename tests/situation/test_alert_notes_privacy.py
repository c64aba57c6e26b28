"""An alert's follow-up notes may name people: those who act on the alert read them whole (each
look on record), the rest of the room masked, as a response case's notes. A note is a note: at
most 4000 characters (2 MB were stored, mailed to the assignee and shown to the whole room)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.core.models import PersonalDataAccess
from satupintu.organization.models import Role
from satupintu.situation.models import Alert, AlertEvent, AlertKind
from tests.conftest import _staff

pytestmark = pytest.mark.django_db
NOTE = "Saksi: Bapak Ahmad NIK 7322015708900001, HP 0812-3456-7890."


def _alert() -> Alert:
    now = timezone.now()
    return Alert.objects.create(kind=AlertKind.ISSUE, province_code="73", regency_code="73.22", window_start=now,
                                window_end=now, count=9, baseline=1.0, score=5.0, summary="Isu naik", key="k1")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_notes_are_whole_for_those_who_act_and_masked_for_the_rest_of_the_room():
    alert = _alert()
    kakan = _client(_staff("kakan.lutra", "73.22", Role.HEAD_OF_OFFICE))
    assert kakan.post(f"/situasi/peringatan/{alert.pk}/", {"action": "note", "note": NOTE}).status_code == 302
    elsewhere = _client(_staff("fo.jateng", "33", Role.FRONT_OFFICE)).get(f"/situasi/peringatan/{alert.pk}/")
    page = elsewhere.content.decode()
    assert elsewhere.status_code == 200 and "Saksi: Bapak Ahmad" in page
    assert "7322015708900001" not in page and "0812-3456-7890" not in page and "[NIK]" in page
    assert not PersonalDataAccess.objects.exists()
    whole = kakan.get(f"/situasi/peringatan/{alert.pk}/").content.decode()
    assert "7322015708900001" in whole and "0812-3456-7890" in whole
    seen = PersonalDataAccess.objects.get()
    assert (seen.subject_type, seen.subject_ref, seen.user.username) == ("alert", str(alert.pk), "kakan.lutra")


@pytest.mark.parametrize("action", ["note", "resolve"])
def test_a_note_longer_than_4000_characters_is_refused_with_a_message(action):
    alert = _alert()
    kakan = _client(_staff("kakan.lutra", "73.22", Role.HEAD_OF_OFFICE))
    refused = kakan.post(f"/situasi/peringatan/{alert.pk}/", {"action": action, "note": "A" * 4001})
    assert refused.status_code == 400
    assert "Teks paling panjang 4000 karakter." in refused.content.decode()
    assert not AlertEvent.objects.exists()
    assert kakan.post(f"/situasi/peringatan/{alert.pk}/", {"action": action, "note": "A" * 4000}).status_code == 302
