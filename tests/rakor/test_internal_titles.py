"""An office's internal meeting: offices that may not open it do not read its title anywhere its
actions or adoptions are listed (the action page, a board above, a decision board beside it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.organization.models import Office
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import MeetingType

pytestmark = pytest.mark.django_db
SECRET = "Rapat internal: pemeriksaan pegawai berinisial AR"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_an_internal_meetings_title_stays_with_those_who_may_open_it(people):  # type: ignore[no-untyped-def]
    start = timezone.now() + timedelta(days=2)
    lutra = Office.objects.get(code="73.22")
    internal = meetings.create_meeting(meetings.MeetingDraft(
        office="73.22", type=MeetingType.LAINNYA, title=SECRET, starts_at=start,
        ends_at=start + timedelta(hours=2)), user=people.kakan_lutra)
    decision = followups.add_decision(internal, "Tindak lanjuti temuan")
    action = followups.add_action(decision, office=lutra, indicator="Berita acara",
                                  due_date=followups.office_today(lutra) + timedelta(days=9))
    kanwil = _client(people.kakanwil_sulsel)
    assert kanwil.get(f"/rakor/{internal.pk}/").status_code == 403
    page = kanwil.get(f"/rakor/tindak-lanjut/{action.pk}/").content.decode()
    assert "Berita acara" in page and SECRET not in page and "Rapat internal kantor (" in page
    board = kanwil.get("/rakor/papan/").content.decode()
    assert "Berita acara" in board and SECRET not in board and "Rapat internal kantor (" in board
    # The office that held it reads its title as before.
    own = _client(people.kakan_lutra)
    assert SECRET in own.get(f"/rakor/tindak-lanjut/{action.pk}/").content.decode()
    assert SECRET in own.get("/rakor/papan/").content.decode()

    # A Kanwil decision adopted into the internal meeting: an office beside it sees that it was
    # adopted, not the meeting's title (nor a link that would refuse it).
    top = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type=MeetingType.RAKOR, title="Rakor Kanwil", starts_at=start,
        ends_at=start + timedelta(hours=2)), user=people.kakanwil_sulsel)
    kanwil_decision = followups.add_decision(top, "Percepat layanan")
    adopted = followups.adopt(kanwil_decision, internal)
    beside = _client(people.fo_makassar)
    assert beside.get(f"/rakor/{internal.pk}/").status_code == 403
    board = beside.get(f"/rakor/keputusan/{kanwil_decision.pk}/").content.decode()
    assert SECRET not in board and "Rapat internal kantor (" in board
    assert f'href="/rakor/keputusan/{adopted.pk}/"' not in board
    assert SECRET in own.get(f"/rakor/keputusan/{kanwil_decision.pk}/").content.decode()
