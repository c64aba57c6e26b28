"""The meetings API on input that used to leave things behind or end in a 500: a blank decision
(the meeting was saved and its invitations queued before the 400), dates at the ends of what
Python can hold (OverflowError when moved to UTC), and a lone surrogate in the JSON (a
UnicodeEncodeError when saved)."""

from __future__ import annotations

import json

import pytest

from satupintu.notifications.models import OutboxMessage
from satupintu.rakor.models import Decision, Meeting
from tests.rakor.test_api import body

pytestmark = pytest.mark.django_db


def _post(client, data, language: str = "id") -> object:  # type: ignore[no-untyped-def]
    raw = data if isinstance(data, str) else json.dumps(data)
    return client.post("/api/v1/meetings", raw, content_type="application/json",
                       headers={"Accept-Language": language})


def _nothing_left() -> bool:
    return not Meeting.objects.exists() and not Decision.objects.exists() and not OutboxMessage.objects.exists()


def test_a_blank_decision_leaves_no_meeting_and_sends_no_invitation(client, people):
    client.force_login(people.kakanwil_sulsel)
    response = _post(client, body(invited_offices=["73.22"], decisions=[
        {"text": "Jaga netralitas ASN", "given_by": "Kakanwil"}, {"text": "   "}]))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "missing_text" and response.json()["field"] == "decisions"
    assert _nothing_left()
    # the same meeting with the blank decision left out is recorded, with its invitations
    ok = _post(client, body(invited_offices=["73.22"], decisions=[{"text": "Jaga netralitas ASN"}]))
    assert ok.status_code == 201, ok.content
    assert Meeting.objects.count() == 1 and Decision.objects.count() == 1 and OutboxMessage.objects.exists()


@pytest.mark.parametrize("starts_at, ends_at, field", [
    ("0001-01-01T00:00:00", "2030-01-01T10:00:00", "starts_at"),  # before year 1 in UTC (WITA is +08)
    ("2030-01-01T09:00:00", "9999-12-31T23:00:00-05:00", "ends_at"),  # year 10000 in UTC
    ("2030-01-01T09:00:00", "9999-12-31T23:59:59", "ends_at"),
    ("1999-12-31T09:00:00", "1999-12-31T10:00:00", "starts_at"),
])
def test_dates_out_of_range_are_a_clear_400(client, people, starts_at, ends_at, field):
    client.force_login(people.kakanwil_sulsel)
    english = _post(client, body(starts_at=starts_at, ends_at=ends_at), language="en")
    assert english.json()["message"] == "The date must be between the years 2000 and 2100."
    response = _post(client, body(starts_at=starts_at, ends_at=ends_at))
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["code"] == "invalid_datetime" and answer["field"] == field
    assert answer["message"] == "Tanggal harus antara tahun 2000 dan 2100."
    assert _nothing_left()


@pytest.mark.parametrize("where", ["agenda", "title", "decision"])
def test_a_lone_surrogate_in_json_is_refused_by_the_guard(client, people, where):
    client.force_login(people.kakanwil_sulsel)
    data = {"agenda": body(agenda=["SURROGATE"]), "title": body(title="Rakor SURROGATE"),
            "decision": body(decisions=[{"text": "Keputusan SURROGATE"}])}[where]
    raw = json.dumps(data).replace("SURROGATE", "\\ud800")  # the JSON escape, as a client sends it
    assert "\\ud800" in raw
    response = _post(client, raw)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_characters"
    assert _nothing_left()


def test_a_surrogate_pair_is_one_character_and_stays_allowed(client, people):
    client.force_login(people.kakanwil_sulsel)
    raw = json.dumps(body(title="Rakor EMOJI")).replace("EMOJI", "\\ud83d\\ude4f")  # U+1F64F as a pair
    response = _post(client, raw)
    assert response.status_code == 201, response.content
    assert Meeting.objects.get().title == "Rakor \U0001f64f"


@pytest.mark.parametrize("invited", [["32"], ["pusat"], ["33.01"], ["73", "73.22"]])
def test_only_offices_directly_below_the_organiser_are_invited_by_the_api_too(client, people, invited):
    """The rule lived in the web form only: Kanwil Sulsel could invite Kanwil Jabar or Pusat by the
    API, who could then open the meeting, and their heads were mailed."""
    client.force_login(people.kakanwil_sulsel)
    response = _post(client, body(invited_offices=invited))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invited_not_below" and response.json()["field"] == "invited_offices"
    assert _nothing_left()
