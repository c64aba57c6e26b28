"""Who owns a feed (review #16 H1, H3a): a Humas registration never takes over a room source that
is not the office's, stopping a channel never switches off a source it did not create, and every
spelling of another office's feed address is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.humas.channels import channel_register, channel_stop, url_key
from satupintu.humas.figures import refresh_month
from satupintu.humas.models import Channel, MonthlyFigure
from satupintu.situation.models import Source, SourceKind
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
    publish(channel, story("a", "Kemenag Kabupaten Luwu Utara: " + unique_text(1), at(3)))
    assert channel_stop(channel) is False  # its stories are the room source's, not the channel's own
    assert not Channel.objects.exists()
    room.refresh_from_db()
    assert room.active and room.office_id == lutra.pk  # as the room's admin set it


def test_stopping_a_channel_keeps_its_stories_counting_and_fetches_no_more(db):
    channel = channel_register(office=office("73.22"), platform="website", url="https://lutra.example/feed",
                               check_address=False)
    Source.objects.filter(pk=channel.source_id).update(active=True)  # as a real registration leaves it
    assert channel.created_source
    publish(channel, story("a", "Kemenag Kabupaten Luwu Utara: " + unique_text(1), at(3)))
    refresh_month(date(2026, 11, 1))
    assert channel_stop(channel) is True
    channel.refresh_from_db()
    assert channel.retired_at is not None
    source = Source.objects.get(pk=channel.source_id)
    assert not source.active and source.office_id == channel.office_id  # no more fetching; still the office's
    refresh_month(date(2026, 11, 1))
    fig = MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 11, 1))
    assert fig.stories == 1  # the month once read stays as it was
    # Registered again: back in use, its own feed fetched again, the same channel (no copy).
    again = channel_register(office=office("73.22"), platform="website", url="https://lutra.example/feed/",
                             check_address=False)
    assert again.pk == channel.pk and again.retired_at is None and Channel.objects.count() == 1


def test_a_channel_that_never_counted_anything_is_deleted_with_its_own_source(db):
    channel = channel_register(office=office("73.22"), platform="website", url="https://lutra.example/feed",
                               check_address=False)
    source_id = channel.source_id
    assert channel_stop(channel) is False
    assert not Channel.objects.exists() and not Source.objects.filter(pk=source_id).exists()


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
