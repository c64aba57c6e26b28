"""The Rakor API: staff only, same error shape, meetings in the office's time, the roll-up."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from satupintu.organization.models import Office
from satupintu.rakor import followups
from satupintu.rakor.models import Meeting

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
    # Too long is said, never cut to fit (100,000 characters were kept as their first 300).
    for over, code, field in ((dict(title="R" * 301), "title_too_long", "title"),
                              (dict(venue="V" * 301), "venue_too_long", "venue"),
                              (dict(agenda=["A" * 301]), "agenda_too_long", "agenda"),
                              (dict(decisions=[{"text": "Jaga netralitas", "given_by": "K" * 201}]),
                               "given_by_too_long", "given_by")):
        r = client.post("/api/v1/meetings", body(**over), content_type="application/json")
        assert r.status_code == 400 and (r.json()["code"], r.json()["field"]) == (code, field), r.json()
        assert "300" in r.json()["message"] or "200" in r.json()["message"]
    assert not Meeting.objects.exists()
    assert client.post("/api/v1/meetings", body(title="R" * 300), content_type="application/json").status_code == 201
    missing = client.get("/api/v1/meetings/999999")
    # The address is right, the record is not there: said so (not "API address not found").
    assert missing.status_code == 404 and missing.json() == {"code": "not_found",
                                                             "message": "Data yang diminta tidak ditemukan."}


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


def test_the_meeting_list_starts_from_what_the_user_may_see(client, people):
    """It took the country's newest 500 meetings and filtered them after: 500 newer meetings of
    other offices left a Kankemenag with an empty list."""
    import secrets

    from satupintu.rakor.models import Meeting

    lutra, jateng = Office.objects.get(code="73.22"), Office.objects.get(code="33")
    old = timezone.now() - timedelta(days=30)
    mine = Meeting.objects.create(office=lutra, type="rakor", title="Rakor Lutra", starts_at=old,
                                  ends_at=old + timedelta(hours=2), attendance_token=secrets.token_urlsafe(18))
    soon = timezone.now()
    Meeting.objects.bulk_create([Meeting(office=jateng, type="rakor", title=f"Rakor Jateng {i}",
                                         starts_at=soon + timedelta(minutes=i), ends_at=soon + timedelta(minutes=i + 60),
                                         attendance_token=secrets.token_urlsafe(18)) for i in range(501)])
    client.force_login(people.kakan_lutra)
    assert [m["id"] for m in client.get("/api/v1/meetings").json()] == [mine.pk]


def test_an_agenda_of_more_than_200_items_is_refused_and_blank_lines_take_no_number(client, people):
    """The API took any number of items and numbered blank lines too: the order (a small integer)
    ran past what PostgreSQL stores, a 500 for the whole meeting."""
    from satupintu.rakor.models import AgendaItem

    client.force_login(people.kakanwil_sulsel)
    r = client.post("/api/v1/meetings", body(agenda=[f"Butir {i}" for i in range(201)]),
                    content_type="application/json")
    assert r.status_code == 400 and (r.json()["code"], r.json()["field"]) == ("agenda_too_many", "agenda"), r.json()
    assert r.json()["message"] == "Agenda paling banyak 200 butir."
    assert not Meeting.objects.exists()
    r = client.post("/api/v1/meetings", body(agenda=[""] * 40_000 + ["Pembukaan", "  ", "Penutup"]),
                    content_type="application/json")
    assert r.status_code == 201, r.content
    items = AgendaItem.objects.filter(meeting_id=r.json()["id"])
    assert [(a.order, a.title) for a in items] == [(0, "Pembukaan"), (1, "Penutup")]
