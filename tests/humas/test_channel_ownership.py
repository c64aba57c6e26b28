"""Who owns a feed (review #16 H1, H3a): a Humas registration never takes over a room source that
is not the office's, removing a channel never switches off a source it did not create, and every
spelling of another office's feed address is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.humas.channels import channel_register, channel_remove, url_key
from satupintu.humas.figures import refresh_month
from satupintu.humas.models import Channel, MonthlyFigure
from satupintu.situation.models import Item, Source, SourceKind
from tests.humas.conftest import at, office, publish, story, unique_text


def test_an_outside_mediums_feed_cannot_be_registered_as_an_offices_website(db):
    room = Source.objects.create(kind=SourceKind.FEED, name="Detik", url="https://news.detik.example/rss", active=True)
    with pytest.raises(DomainError) as e:
        channel_register(office=office("73.22"), platform="website", url="https://news.detik.example/rss/",
                         check_address=False)
    assert e.value.code == "humas_feed_outside_medium" and e.value.status == 409
    assert "media luar" in e.value.message and "administrator" in e.value.message
    room.refresh_from_db()
    assert room.office_id is None and room.active  # untouched: still the room's outside medium
    assert not Channel.objects.exists()


def test_the_page_refuses_the_outside_feed_with_its_reason(hp):
    Source.objects.create(kind=SourceKind.FEED, name="Detik", url="https://news.detik.example/rss", active=True)
    c = Client()
    c.force_login(hp.humas_lutra)
    r = c.post("/humas/?bulan=2026-11", {"action": "add", "kantor": "73.22", "platform": "website",
                                         "url": "https://NEWS.detik.example/rss?utm=x"})
    assert r.status_code == 400
    assert "sudah dipantau Situation Room sebagai media luar" in r.content.decode()


def test_a_source_the_room_set_up_for_the_office_is_used_and_left_alone_on_removal(db):
    lutra = office("73.22")
    room = Source.objects.create(kind=SourceKind.FEED, name="Kemenag Lutra", url="https://lutra.example/feed",
                                 office=lutra, active=True)
    channel = channel_register(office=lutra, platform="website", url="https://www.lutra.example/feed/",
                               check_address=False)
    assert channel.source_id == room.pk and not channel.created_source
    channel_remove(channel)
    room.refresh_from_db()
    assert room.active and room.office_id == lutra.pk  # as the room's admin set it


def test_removing_a_channel_removes_the_source_it_created_and_its_stories_count_for_nobody(db):
    channel = channel_register(office=office("73.22"), platform="website", url="https://lutra.example/feed",
                               check_address=False)
    assert channel.created_source
    publish(channel, story("a", "Kemenag Kabupaten Luwu Utara: " + unique_text(1), at(3)))
    source_id = channel.source_id
    channel_remove(channel)
    assert not Source.objects.filter(pk=source_id).exists()
    item = Item.objects.get(external_id="a")
    assert item.source_id is None  # kept in the room, attached to no source
    refresh_month(date(2026, 11, 1))
    fig = MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 11, 1))
    # Not the office's story any more, and not "outside coverage" of it either.
    assert (fig.stories, fig.coverage_positive + fig.coverage_neutral + fig.coverage_negative) == (0, 0)


@pytest.mark.parametrize("spelling", [
    "https://lutra.example/feed?x=1", "http://LUTRA.example/feed#top", "https://www.lutra.example:443/feed/",
    "https://lutra.example/feed/atom", "https://lutra.example/rss.xml", "https://lutra.example/?feed=rss2",
])
def test_every_spelling_of_another_offices_feed_is_refused(db, spelling):
    channel_register(office=office("73.22"), platform="website", url="https://lutra.example/feed",
                     check_address=False)
    with pytest.raises(DomainError) as e:
        channel_register(office=office("73.71"), platform="website", url=spelling, check_address=False)
    assert e.value.code == "humas_feed_other_office"


def test_a_second_feed_of_the_offices_own_site_is_the_same_channel(db):
    channel_register(office=office("73.22"), platform="website", url="https://lutra.example/feed",
                     check_address=False)
    with pytest.raises(DomainError) as e:
        channel_register(office=office("73.22"), platform="website", url="https://lutra.example/feed/atom",
                         check_address=False)
    assert e.value.code == "humas_channel_exists"


def test_url_key_keeps_what_makes_another_feed():
    assert url_key("https://sulsel.kemenag.go.id/lutra/feed") != url_key("https://sulsel.kemenag.go.id/palopo/feed")
    assert url_key("https://lutra.example:8443/feed") != url_key("https://lutra.example/feed")
    assert url_key("https://lutra.example/Berita/feed") == "lutra.example/Berita"
