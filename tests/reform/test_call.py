"""A Rakor decision asking for breakthroughs by a date: made by the meeting's organiser on the
decision page, offered on the breakthrough form, and its board (delivered, late, missing)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.organization.models import Office, Unit
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import MeetingType
from satupintu.reform.indicators import office_today
from satupintu.reform.models import Breakthrough, BreakthroughCall, IndicatorKind
from satupintu.reform.selectors import call_board
from tests.reform.conftest import breakthrough, login

pytestmark = pytest.mark.django_db


def _decision(user):  # type: ignore[no-untyped-def]
    start = timezone.now() - timedelta(days=1)
    meeting = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type=MeetingType.RAKOR, title="Rakor Reformasi Birokrasi Kanwil Sulsel", starts_at=start,
        ends_at=start + timedelta(hours=3), invited_offices=["73.22", "73.71"]), user=user)
    return followups.add_decision(meeting, "Setiap Tusi menunjukkan terobosan layanan sebelum Agustus", "Kakanwil")


def _today():  # type: ignore[no-untyped-def]
    return office_today(Office.objects.get(code="73"))


def test_the_organiser_asks_for_breakthroughs_on_the_decision_page(people):
    decision = _decision(people.kakanwil_sulsel)
    c = login(people.kakanwil_sulsel)
    page = c.get(f"/rakor/keputusan/{decision.pk}/").content.decode()
    assert "Minta terobosan" in page
    assert re.search(r'value="73.22"[^>]*checked', page) and not re.search(r'value="73"[^>]*checked', page)  # invited
    due = _today() + timedelta(days=30)
    r = c.post(f"/rakor/keputusan/{decision.pk}/terobosan/", {"due_date": due.isoformat(), "offices": ["73.22", "73.71"],
                                                             "per_unit": "unit"})
    assert r.status_code == 302 and r["Location"].endswith("#terobosan")
    call = BreakthroughCall.objects.get(decision=decision)
    assert call.due_date == due and call.per_unit and sorted(o.code for o in call.offices.all()) == ["73.22", "73.71"]
    board = c.get(f"/rakor/keputusan/{decision.pk}/").content.decode()
    units = Unit.objects.count()
    assert board.count('data-state="missing"') == 2 * units  # every Tusi of both offices, none yet
    assert "Belum ada" in board


def test_a_refused_call_says_why_on_the_decision_page(people):
    decision = _decision(people.kakanwil_sulsel)
    c = login(people.kakanwil_sulsel)
    r = c.post(f"/rakor/keputusan/{decision.pk}/terobosan/", {"due_date": "", "per_unit": "unit"})
    assert r.status_code == 400
    text = r.content.decode()
    assert "Isi tenggat terobosan." in text and "Pilih paling sedikit satu kantor yang diminta." in text
    assert 'href="#c-due_date"' in text
    r = c.post(f"/rakor/keputusan/{decision.pk}/terobosan/", {
        "due_date": (_today() - timedelta(days=1)).isoformat(), "offices": ["73.22"], "per_unit": "unit"})
    assert r.status_code == 400 and "Tenggat tidak boleh di masa lalu." in r.content.decode()
    assert not BreakthroughCall.objects.exists()


def test_only_the_organiser_may_ask(people):
    decision = _decision(people.kakanwil_sulsel)
    data = {"due_date": (_today() + timedelta(days=9)).isoformat(), "offices": ["73.22"], "per_unit": "office"}
    assert login(people.kakan_lutra).post(f"/rakor/keputusan/{decision.pk}/terobosan/", data).status_code == 403
    assert "Minta terobosan" not in login(people.kakan_lutra).get(f"/rakor/keputusan/{decision.pk}/").content.decode()
    assert not BreakthroughCall.objects.exists()


def test_the_form_offers_the_call_and_the_board_shows_delivered_late_missing(people):
    decision = _decision(people.kakanwil_sulsel)
    due = _today() + timedelta(days=10)
    call = BreakthroughCall.objects.create(decision=decision, due_date=due, per_unit=True)
    call.offices.set(Office.objects.filter(code__in=["73.22", "73.71"]))
    c = login(people.pendma_lutra)
    form = c.get(f"/terobosan/baru/?permintaan={call.pk}").content.decode()
    assert "Rakor Reformasi Birokrasi Kanwil Sulsel" in form and f'value="{call.pk}" selected' in form
    r = c.post("/terobosan/baru/", {
        "office": "73.22", "unit": "pendma", "title": "Legalisir daring", "problem": "Antrean panjang di loket.",
        "change": "Legalisir daring.", "started_on": (office_today(Office.objects.get(code="73.22"))
                                                      - timedelta(days=2)).isoformat(),
        "kinds": [IndicatorKind.ONLINE_SHARE], "call": str(call.pk)})
    assert r.status_code == 302
    delivered = Breakthrough.objects.get(call=call)
    # Bimas Islam answered after the due date (registered then: set as it would have been).
    late = breakthrough(started_on=due, kinds=[IndicatorKind.IKM], unit="bimas-islam", title="Bimbingan nikah daring",
                        call=call)
    Breakthrough.objects.filter(pk=late.pk).update(created_at=timezone.now() + timedelta(days=12))
    # An office-wide answer to a per-unit call is refused.
    r = login(people.kakan_lutra).post("/terobosan/baru/", {
        "office": "73.22", "unit": "", "title": "Satu kantor", "problem": "x", "change": "y",
        "started_on": due.isoformat() if due <= _today() else _today().isoformat(),
        "kinds": [IndicatorKind.IKM], "call": str(call.pk)})
    assert r.status_code == 400 and "pilih unitnya" in r.content.decode()

    board = call_board(call)
    states = {(r.office.code, r.unit.code if r.unit else None): r.state for r in board.rows}
    assert states[("73.22", "pendma")] == "delivered"
    assert states[("73.22", "bimas-islam")] == "late"
    assert states[("73.71", "pendma")] == "missing"
    assert board.counts == {"delivered": 1, "late": 1, "missing": 2 * Unit.objects.count() - 2}
    page = login(people.kakanwil_sulsel).get(f"/rakor/keputusan/{decision.pk}/").content.decode()
    assert f'href="/terobosan/{delivered.pk}/"' in page  # the Kanwil reads its offices' breakthroughs
    assert 'data-office="73.22" data-unit="bimas-islam" data-state="late"' in page


def test_a_call_per_office_counts_one_breakthrough_per_office(people):
    decision = _decision(people.kakanwil_sulsel)
    call = BreakthroughCall.objects.create(decision=decision, due_date=_today() - timedelta(days=1), per_unit=False)
    call.offices.set(Office.objects.filter(code__in=["73.22", "73.71"]))
    b = breakthrough(started_on=_today() - timedelta(days=20), kinds=[IndicatorKind.IKM], call=call)
    Breakthrough.objects.filter(pk=b.pk).update(created_at=timezone.now() - timedelta(days=5))
    board = call_board(call)
    assert [(r.office.code, r.unit, r.state) for r in board.rows] == [("73.22", None, "delivered"),
                                                                     ("73.71", None, "missing")]
    assert board.past_due
    page = login(people.fo_makassar).get(f"/rakor/keputusan/{decision.pk}/").content.decode()
    assert "Tidak ada" in page and f'href="/terobosan/{b.pk}/"' not in page  # Makassar may not read Lutra's


def test_editing_an_answer_after_its_call_closed_keeps_the_call(people):
    """Review #16 M4: a call this old is no longer offered to new breakthroughs, but the one that
    answered it keeps it on an edit (it used to post call="" and drop off the board)."""
    from satupintu.reform.selectors import CALL_OFFERED_DAYS_AFTER_DUE

    decision = _decision(people.kakanwil_sulsel)
    lutra = Office.objects.get(code="73.22")
    closed = _today() - timedelta(days=CALL_OFFERED_DAYS_AFTER_DUE + 20)
    call = BreakthroughCall.objects.create(decision=decision, due_date=closed, per_unit=False)
    call.offices.set([lutra])
    other = BreakthroughCall.objects.create(decision=followups.add_decision(decision.meeting, "Lainnya"),
                                            due_date=closed, per_unit=False)
    other.offices.set([lutra])
    b = breakthrough(started_on=office_today(lutra) - timedelta(days=300), kinds=[IndicatorKind.ON_TIME_RATE],
                     call=call)
    c = login(people.kakan_lutra)
    page = c.get(f"/terobosan/{b.pk}/ubah/").content.decode()
    assert re.search(rf'<option value="{call.pk}"[^>]*selected', page)
    assert f'value="{other.pk}"' not in page  # closed and not this breakthrough's: not offered
    data = {"office": "73.22", "unit": "pendma", "title": "Legalisir daring, diperbaiki", "problem": b.problem,
            "change": b.change, "started_on": b.started_on.isoformat(), "kinds": [IndicatorKind.ON_TIME_RATE],
            "call": str(call.pk)}
    assert c.post(f"/terobosan/{b.pk}/ubah/", data).status_code == 302
    b.refresh_from_db()
    assert b.call_id == call.pk and b.title == "Legalisir daring, diperbaiki"
    assert [r.breakthrough for r in call_board(call).rows] == [b]  # still answered on the board
    refused = c.post(f"/terobosan/{b.pk}/ubah/", {**data, "call": str(other.pk)})
    assert refused.status_code == 400 and "Permintaan rakor ini tidak ditujukan ke kantor Anda." in refused.content.decode()
    b.refresh_from_db()
    assert b.call_id == call.pk


def test_an_old_breakthrough_linked_after_the_due_date_is_a_late_answer(people):
    call = BreakthroughCall.objects.create(decision=_decision(people.kakanwil_sulsel),
                                           due_date=_today() - timedelta(days=10), per_unit=False)
    call.offices.set([Office.objects.get(code="73.22")])
    b = breakthrough(started_on=_today() - timedelta(days=200), kinds=[IndicatorKind.ON_TIME_RATE])
    Breakthrough.objects.filter(pk=b.pk).update(created_at=timezone.now() - timedelta(days=200))
    r = login(people.kakan_lutra).post(f"/terobosan/{b.pk}/ubah/", {
        "office": "73.22", "unit": "pendma", "title": b.title, "problem": b.problem, "change": b.change,
        "started_on": b.started_on.isoformat(), "kinds": [IndicatorKind.ON_TIME_RATE], "call": str(call.pk)})
    assert r.status_code == 302
    row = call_board(call).rows[0]
    assert row.state == "late" and row.registered_on == office_today(Office.objects.get(code="73.22"))  # was "delivered"


def test_a_call_is_the_organising_heads_or_administrators_not_any_clerks(people):
    """Review #16 L5: recording a decision is open to anyone at the organising office (rakor's
    works_at); asking every unit below for breakthroughs is for its head or administrator."""
    from satupintu.core.errors import Forbidden
    from satupintu.organization.models import Role
    from satupintu.reform import breakthroughs
    from tests.conftest import _staff

    decision = _decision(people.kakanwil_sulsel)
    clerk = _staff("fo.sulsel", "73", Role.FRONT_OFFICE)
    admin = _staff("admin.sulsel", "73", Role.ADMIN)
    data = {"due_date": (_today() + timedelta(days=30)).isoformat(), "offices": ["73.22"], "per_unit": "unit"}
    c = login(clerk)
    assert c.get(f"/rakor/keputusan/{decision.pk}/").status_code == 200  # the clerk still sees the decision
    assert "Minta terobosan" not in c.get(f"/rakor/keputusan/{decision.pk}/").content.decode()
    refused = c.post(f"/rakor/keputusan/{decision.pk}/terobosan/", data)
    assert refused.status_code == 403 and "Hanya kepala kantor atau administrator" in refused.content.decode()
    with pytest.raises(Forbidden):
        breakthroughs.call_create(decision, user=clerk, due_date=_today() + timedelta(days=30),
                                  offices=[Office.objects.get(code="73.22")], per_unit=True)
    assert not BreakthroughCall.objects.exists()
    assert "Minta terobosan" in login(admin).get(f"/rakor/keputusan/{decision.pk}/").content.decode()
    assert login(admin).post(f"/rakor/keputusan/{decision.pk}/terobosan/", data).status_code == 302
    assert BreakthroughCall.objects.get().decision == decision
