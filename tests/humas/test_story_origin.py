"""Which story counts, and as whose (review #16 H2, H3b): an office's own near-duplicates count
once, and a copy whose feed backdates it does not take the author's originality."""

from __future__ import annotations

from datetime import date, timedelta

from satupintu.humas.figures import refresh_month
from satupintu.humas.models import MonthlyFigure
from satupintu.situation.models import FetchLog, Item
from tests.humas.conftest import at, feed, publish, story, unique_text

NOV = date(2026, 11, 1)


def _fig(code: str, month: date = NOV) -> MonthlyFigure:
    return MonthlyFigure.objects.get(office__code=code, month=month)


def test_the_same_story_twice_in_the_offices_feed_counts_once(db):
    lutra = feed("73.22")
    publish(lutra, story("x1", unique_text(3), at(5)), story("x2", unique_text(3), at(6)),
            story("y", unique_text(4), at(7)))
    assert Item.objects.get(external_id="x2").duplicate_of.external_id == "x1"
    refresh_month(NOV)
    assert (_fig("73.22").stories, _fig("73.22").original, _fig("73.22").repeats) == (2, 2, 0)


def test_two_feeds_of_the_same_site_count_a_story_once(db):
    a, b = feed("73.22", "lutra/berita"), feed("73.22", "lutra/kegiatan")
    publish(a, story("x1", unique_text(3), at(5)))
    publish(b, story("y1", unique_text(3), at(5, hour=11)))
    refresh_month(NOV)
    assert (_fig("73.22").stories, _fig("73.22").original) == (1, 1)


def test_a_repost_next_month_does_not_count_again(db):
    lutra = feed("73.22")
    publish(lutra, story("oct", unique_text(3), at(28, month=10)), story("nov", unique_text(3), at(2)))
    refresh_month(date(2026, 10, 1))
    refresh_month(NOV)
    assert _fig("73.22", date(2026, 10, 1)).stories == 1 and _fig("73.22").stories == 0


def _seen(external_id: str, when) -> None:  # type: ignore[no-untyped-def]
    """Set when the room stored the item (the fetcher's clock), as a real fetch would have."""
    Item.objects.filter(external_id=external_id).update(fetched_at=when)


def _read(channel, when) -> None:  # type: ignore[no-untyped-def]
    FetchLog.objects.create(source=channel.source, started_at=when, finished_at=when + timedelta(seconds=5), ok=True)


def test_a_backdated_copy_does_not_take_the_authors_originality(db):
    """Luwu Utara publishes at 10:00 and the room stores it at 10:20. Makassar's feed was read at
    10:10 without it; its copy shows up at the 10:40 read claiming 09:00. The claim is false."""
    real, thief = feed("73.22"), feed("73.71")
    text = unique_text(7)
    publish(real, story("r", text, at(5, hour=10)))
    _seen("r", at(5, hour=10) + timedelta(minutes=20))
    publish(thief, story("t", text, at(5, hour=9)))
    _read(thief, at(5, hour=10) + timedelta(minutes=10))
    _read(thief, at(5, hour=10) + timedelta(minutes=40))  # the read that brought the copy
    _seen("t", at(5, hour=10) + timedelta(minutes=40, seconds=30))
    refresh_month(NOV)
    assert (_fig("73.22").original, _fig("73.22").repeats) == (1, 0)
    assert (_fig("73.71").original, _fig("73.71").repeats) == (0, 1)


def test_another_story_of_the_copiers_feed_in_between_also_disproves_the_date(db):
    real, thief = feed("73.22"), feed("73.71")
    text = unique_text(8)
    publish(real, story("r", text, at(5, hour=10)))
    _seen("r", at(5, hour=10) + timedelta(minutes=20))
    publish(thief, story("other", unique_text(30, "Kota Makassar"), at(5, hour=10)))
    _seen("other", at(5, hour=10) + timedelta(minutes=25))
    publish(thief, story("t", text, at(5, hour=9)))
    _seen("t", at(5, hour=11))
    refresh_month(NOV)
    assert (_fig("73.22").original, _fig("73.71").repeats) == (1, 1)


def test_an_earlier_story_fetched_later_stays_the_origin_when_nothing_disproves_its_date(db):
    """The Kanwil's feed is registered a day late: its story of the 3rd is stored after Luwu
    Utara's copy of the 4th, and no read of the Kanwil's feed came in between."""
    kanwil, lutra = feed("73", "sulsel"), feed("73.22")
    text = unique_text(9, "Provinsi Sulawesi Selatan")
    publish(lutra, story("l", text, at(4)))
    _seen("l", at(4, hour=11))
    publish(kanwil, story("k", text, at(3)))
    _seen("k", at(5))
    refresh_month(NOV)
    assert (_fig("73").original, _fig("73.22").repeats) == (1, 1)
