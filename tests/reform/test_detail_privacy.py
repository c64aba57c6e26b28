"""What the breakthrough page shows a reader who does not keep it: the team masked like the other
typed text, and no title of a Rakor meeting the reader may not open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.core.models import PersonalDataAccess
from satupintu.organization.models import Office
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import MeetingType
from satupintu.reform.indicators import office_today
from satupintu.reform.models import BreakthroughCall, IndicatorKind
from tests.reform.conftest import breakthrough, login

pytestmark = pytest.mark.django_db
TEAM = "Budi Santoso 081234567890\nNIK 7322015708900001"


def _started():  # type: ignore[no-untyped-def]
    return office_today(Office.objects.get(code="73.22")) - timedelta(days=10)


def test_the_team_is_masked_for_a_reader_and_whole_on_record_for_its_keeper(people):
    b = breakthrough(started_on=_started(), kinds=[IndicatorKind.IKM], people=TEAM)
    page = login(people.kakanwil_sulsel).get(f"/terobosan/{b.pk}/").content.decode()
    assert "Budi Santoso" in page
    assert "081234567890" not in page and "7322015708900001" not in page
    assert not PersonalDataAccess.objects.filter(subject_type="breakthrough").exists()

    keeper = login(people.kakan_lutra)
    assert "081234567890" in keeper.get(f"/terobosan/{b.pk}/").content.decode()
    assert PersonalDataAccess.objects.filter(subject_type="breakthrough", subject_ref=str(b.pk),
                                             user=people.kakan_lutra).count() == 1
    # The edit form holds the same text whole: that look is on record too.
    assert "081234567890" in keeper.get(f"/terobosan/{b.pk}/ubah/").content.decode()
    assert PersonalDataAccess.objects.filter(subject_type="breakthrough", subject_ref=str(b.pk),
                                             user=people.kakan_lutra).count() == 2


def test_an_internal_meetings_title_stays_with_its_office(people):
    start = timezone.now() - timedelta(days=1)
    meeting = meetings.create_meeting(meetings.MeetingDraft(
        office="73.22", type=MeetingType.LAINNYA, title="Rapat internal RAHASIA-XYZ", starts_at=start,
        ends_at=start + timedelta(hours=2)), user=people.kakan_lutra)
    decision = followups.add_decision(meeting, "Setiap seksi menunjukkan terobosan")
    call = BreakthroughCall.objects.create(decision=decision, due_date=_started() + timedelta(days=30), per_unit=False)
    call.offices.set([Office.objects.get(code="73.22")])
    b = breakthrough(started_on=_started(), kinds=[IndicatorKind.IKM], call=call)
    assert not followups.user_may_see(people.kakanwil_sulsel, meeting)
    above = login(people.kakanwil_sulsel).get(f"/terobosan/{b.pk}/").content.decode()
    assert "RAHASIA-XYZ" not in above and "Rapat internal kantor" in above
    own = login(people.kakan_lutra).get(f"/terobosan/{b.pk}/").content.decode()
    assert "RAHASIA-XYZ" in own and f"/rakor/keputusan/{decision.pk}/" in own
