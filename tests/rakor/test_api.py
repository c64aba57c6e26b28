"""The Rakor API: staff only, same error shape, meetings in the office's time, the roll-up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from satupintu.organization.models import Office
from satupintu.rakor import followups

pytestmark = pytest.mark.django_db


def body(**over):  # type: ignore[no-untyped-def]
    day = (timezone.now() + timedelta(days=3)).date().isoformat()
    data = {"office": "73", "type": "rakor", "title": "Rakor Kanwil Kemenag Sulsel", "venue": "Hotel BM Residence Palopo",
            "starts_at": f"{day}T09:00:00", "ends_at": f"{day}T12:00:00", "agenda": ["Kebijakan keagamaan"],
            "decisions": [{"text": "Jaga netralitas ASN dalam pemilu", "given_by": "Kakanwil"}]}
    data.update(over)
    return data


def test_staff_only(client, people):
    assert client.get("/api/v1/meetings").json()["code"] == "not_authenticated"
    client.force_login(people.outsider)
    r = client.get("/api/v1/meetings")
    assert r.status_code == 403 and r.json()["code"] == "staff_only"


def test_create_read_ics_and_progress(client, people):
    client.force_login(people.kakanwil_sulsel)
    r = client.post("/api/v1/meetings", body(), content_type="application/json")
    assert r.status_code == 201, r.content
    meeting = r.json()
    assert meeting["starts_at"].endswith("09:00:00+08:00")  # naive times are the office's (WITA)
    assert meeting["decisions"][0]["text"].startswith("Jaga netralitas")
    assert client.get(f"/api/v1/meetings/{meeting['id']}").json()["agenda"][0]["title"] == "Kebijakan keagamaan"
    assert meeting["id"] in [m["id"] for m in client.get("/api/v1/meetings").json()]

    ics = client.get(f"/api/v1/meetings/{meeting['id']}.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert event.decoded("dtstart").hour == 9 and str(event["dtstart"].params["TZID"]) == "Asia/Makassar"

    from satupintu.rakor.models import Decision

    decision = Decision.objects.get(pk=meeting["decisions"][0]["id"])
    lutra = Office.objects.get(code="73.22")
    followups.add_action(decision, office=lutra, indicator="Surat edaran netralitas",
                         due_date=followups.office_today(lutra) + timedelta(days=5))
    progress = client.get(f"/api/v1/decisions/{decision.pk}/progress").json()
    assert progress["totals"] == {"not_started": 1} and "73.22" in [o["office"] for o in progress["offices"]]

    # Another province's head sees neither the meeting nor its progress.
    client.force_login(people.kakanwil_jateng)
    assert client.get(f"/api/v1/meetings/{meeting['id']}").status_code == 403
    assert client.get(f"/api/v1/decisions/{decision.pk}/progress").json()["code"] == "not_visible"


def test_bad_input(client, people):
    client.force_login(people.kakanwil_sulsel)
    r = client.post("/api/v1/meetings", body(ends_at=body()["starts_at"].replace("09:00", "08:00")),
                    content_type="application/json")
    assert r.status_code == 400 and r.json() == {"code": "ends_before_start", "field": "ends_at",
                                                 "message": "Waktu selesai harus setelah waktu mulai."}
    r = client.post("/api/v1/meetings", body(office="33"), content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "not_your_office"
    r = client.post("/api/v1/meetings", {"office": "73"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "validation_error"
    assert client.get("/api/v1/meetings/999999").status_code == 404


def test_only_an_offices_organisers_record_its_meetings(client, people):
    """A front-office clerk reads the office's meetings but records none: a decision becomes an
    instruction to every office below (rakor/access.py). The head of unit and the head do."""
    from satupintu.rakor.models import Meeting

    client.force_login(people.fo_lutra)
    r = client.post("/api/v1/meetings", body(office="73.22", title="Rakor loket"), content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "not_your_office"
    assert client.get("/rakor/baru/").status_code == 403
    assert "/rakor/baru/" not in client.get("/rakor/").content.decode()
    assert not Meeting.objects.filter(title="Rakor loket").exists()

    client.force_login(people.kasi_pendma_lutra)
    r = client.post("/api/v1/meetings", body(office="73.22", title="Rakor pokja madrasah"),
                    content_type="application/json")
    assert r.status_code == 201, r.content
    assert client.get("/rakor/baru/").status_code == 200
