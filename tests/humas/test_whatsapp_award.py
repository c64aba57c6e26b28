"""The WhatsApp part of the scorecard from real inbox rows: a citizen's message handed to the
office (whatsapp.talk.handoff), the officer's first reply (whatsapp.outbound + the inbox's
first-response clock on the office's calendar), then the month refreshed and read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

import pytest
from django.test import Client

from satupintu.humas.figures import refresh_month
from satupintu.humas.models import MonthlyFigure
from satupintu.humas.score import WEIGHTS
from satupintu.humas.selectors import WA_AWARD_MIN_ANSWERED, Period, awards, scorecard
from satupintu.whatsapp import conversations, outbound, talk
from satupintu.whatsapp.models import Conversation, DeliveryStatus, Direction, Message, Number
from satupintu.whatsapp.selectors import TARGET_SECONDS
from tests.humas.conftest import WITA, office

_serial = count(1)


def wita(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def ask_and_answer(code: str, asked: datetime, answered: datetime | None, officer) -> Conversation:  # type: ignore[no-untyped-def]
    """A citizen writes to the office's line and asks for a person at ``asked``; the officer's
    first reply goes out at ``answered`` (None: nobody answered)."""
    number, _ = Number.objects.get_or_create(phone_number_id="109000000000001")
    wa_id = f"628571{next(_serial):07d}"
    conv = Conversation.objects.create(number=number, wa_id=wa_id, profile_name="Warga", office=office(code),
                                       last_inbound_at=asked)
    Message.objects.create(conversation=conv, number=number, wa_id=wa_id, direction=Direction.IN,
                           wamid=f"wamid.{wa_id}", kind="text", text="Bisa bicara dengan petugas?",
                           status=DeliveryStatus.RECEIVED)
    talk.handoff(conv, now=asked)
    conv.save()
    if answered is not None:
        outbound.officer_reply(conv, text="Baik, kami bantu.", user=officer, now=answered)
        conversations.record_response(conv, officer, now=answered)
        conv.save()
    return conv


@pytest.fixture
def inbox(hp):  # type: ignore[no-untyped-def]
    lutra, makassar = hp.humas_lutra, hp.humas_makassar
    # Luwu Utara (WITA, office hours 08.00-16.00), November 2026 (10-12: Tuesday to Thursday)
    for day, hour in ((10, 9), (10, 11), (11, 13), (12, 10)):
        ask_and_answer("73.22", wita(day, hour), wita(day, hour, 20), lutra)  # 20 minutes
    ask_and_answer("73.22", wita(10, 20), wita(11, 8, 20), lutra)  # asked at night: 20 office minutes
    ask_and_answer("73.22", wita(11, 10), wita(11, 11, 30), lutra)  # 90 minutes: late
    ask_and_answer("73.22", wita(11, 15, 30), wita(12, 9), lutra)  # 30 + 60 office minutes: late
    ask_and_answer("73.22", wita(12, 14), None, lutra)  # never answered: a miss
    # asked on Monday 30 November, answered before opening on 1 December (local time): December's
    ask_and_answer("73.22", wita(30, 15, 50), wita(1, 7, 45, month=12), lutra)
    # Kota Makassar: five, all within the hour; Kota Palopo: all within, but too few for the award
    for i in range(5):
        ask_and_answer("73.71", wita(17 + i % 3, 9 + i), wita(17 + i % 3, 9 + i, 10), makassar)
    for i in range(WA_AWARD_MIN_ANSWERED - 1):
        ask_and_answer("73.73", wita(18, 9 + i), wita(18, 9 + i, 5), makassar)
    refresh_month(date(2026, 11, 1))
    refresh_month(date(2026, 12, 1))


def test_inbox_rows_become_the_offices_whatsapp_figures(inbox):
    nov = MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 11, 1))
    assert (nov.wa_answered, nov.wa_within_target, nov.wa_unanswered) == (7, 5, 1)
    assert nov.wa_median_seconds == 20 * 60
    lutra = Conversation.objects.filter(office__code="73.22", first_response_seconds__isnull=False)
    assert sorted(lutra.values_list("first_response_seconds", flat=True)) == [10 * 60] + [20 * 60] * 5 + [90 * 60] * 2
    dec = MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 12, 1))
    assert (dec.wa_answered, dec.wa_within_target) == (1, 1)  # 07.45 WITA on 1 December is 30 November in UTC
    assert MonthlyFigure.objects.get(office__code="73.71", month=date(2026, 11, 1)).wa_answered == 5
    assert all(s <= TARGET_SECONDS for s in Conversation.objects.filter(office__code="73.71")
               .values_list("first_response_seconds", flat=True))


def test_whatsapp_part_of_the_score_and_the_award(inbox):
    rows = scorecard(Period(2026, 11), kanwil=office("73"))
    by_code = {r.code: r for r in rows}
    lutra = by_code["73.22"]
    # five within the hour of eight handed over: seven answered, one never (a miss, not left out)
    assert lutra.parts["whatsapp"] == pytest.approx(5 / 8)
    # nothing published, no target, no coverage: originality and social score 0, WhatsApp counts its weight
    applied = WEIGHTS["originality"] + WEIGHTS["social"] + WEIGHTS["whatsapp"]
    assert lutra.score == round(100 * WEIGHTS["whatsapp"] * 5 / 8 / applied, 1)
    assert by_code["73.71"].parts["whatsapp"] == 1.0 and by_code["73.73"].parts["whatsapp"] == 1.0
    others = [r for r in rows if r.code not in ("73.22", "73.71", "73.73")]
    assert others and all(r.parts["whatsapp"] is None for r in others)  # nothing answered: the part does not apply
    assert [r.code for r in awards(rows).whatsapp] == ["73.71", "73.22"]  # Palopo: 4 answered, under the minimum
    year = {r.code: r for r in scorecard(Period(2026), kanwil=office("73"))}
    assert (year["73.22"].figures.wa_answered, year["73.22"].figures.wa_within_target) == (8, 6)
    assert year["73.22"].figures.wa_unanswered == 1


def test_an_office_that_never_answers_is_not_better_off_than_one_that_answers_late(hp):
    """Unanswered conversations count against the office once past the target; before that they
    are not yet a miss (a message handed over five minutes ago is not late)."""
    for hour in (9, 10, 11, 13, 14):
        late = timedelta(minutes=30 if hour == 9 else 90)  # one within the hour, four late
        ask_and_answer("73.71", wita(17, hour), wita(17, hour) + late, hp.humas_makassar)
        ask_and_answer("73.73", wita(17, hour), None, hp.humas_makassar)
    refresh_month(date(2026, 11, 1))
    rows = {r.code: r for r in scorecard(Period(2026, 11), kanwil=office("73"))}
    assert rows["73.73"].figures.wa_unanswered == 5 and rows["73.73"].parts["whatsapp"] == 0.0
    assert rows["73.71"].parts["whatsapp"] == pytest.approx(1 / 5)
    assert rows["73.71"].parts["whatsapp"] > rows["73.73"].parts["whatsapp"]


def test_the_pages_show_the_whatsapp_figures_and_award(hp, inbox):
    c = Client()
    c.force_login(hp.humas_sulsel)
    page = c.get("/humas/peringkat/?bulan=2026-11").content.decode()
    award = page[page.index("Layanan WhatsApp"):].split("</li>")[0]
    assert award.index("Kota Makassar (5/5)") < award.index("Luwu Utara (5/8)") and "Palopo" not in award
    office_page = c.get("/humas/?kantor=73.22&bulan=2026-11").content.decode()
    assert "5 dari 8 dijawab dalam 1 jam kerja" in office_page and "1 tak dijawab" in office_page
