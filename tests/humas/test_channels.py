"""Channels: registering a website feed makes a room source attributed to the office; another
office's feed is refused by address, and marked by what its stories say."""

from __future__ import annotations

from datetime import date

import pytest

from satupintu.core.errors import DomainError
from satupintu.humas.channels import channel_register, feed_owner_verdict
from satupintu.humas.figures import refresh_month
from satupintu.humas.models import Channel, MonthlyFigure
from satupintu.situation.ingest.fetch import due_sources
from satupintu.situation.models import SourceKind
from tests.humas.conftest import at, feed, office, publish, story, unique_text


def test_website_channel_becomes_an_attributed_feed_the_fetcher_reads(db, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = "127.0.0.1/32:8089"  # a test address the guard lets through
    channel = channel_register(office=office("73.22"), platform="website", url="http://127.0.0.1:8089/feed")
    source = channel.source
    assert source is not None and source.kind == SourceKind.FEED and source.office.code == "73.22"
    assert source.active and source in due_sources()


def test_feed_address_goes_through_the_outbound_guard(db, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    with pytest.raises(DomainError) as e:
        channel_register(office=office("73.22"), platform="website", url="http://127.0.0.1/feed")
    assert e.value.code == "url_refused"
    assert not Channel.objects.exists()


def test_another_offices_feed_is_refused_by_address(db):
    feed("73.71", "kota-makassar")
    with pytest.raises(DomainError) as e:
        channel_register(office=office("73.22"), platform="website",
                         url="https://www.SULSEL.kemenag.go.id/kota-makassar/feed/", check_address=False)
    assert e.value.code == "humas_feed_other_office"
    assert "Kota Makassar" in e.value.message
    # a section of the same portal is another feed: allowed
    assert channel_register(office=office("73.22"), platform="website",
                            url="https://sulsel.kemenag.go.id/kab-luwu-utara/feed", check_address=False)


def test_social_channel_needs_a_handle_and_no_duplicates(db):
    with pytest.raises(DomainError) as e:
        channel_register(office=office("73.22"), platform="tiktok")
    assert e.value.field == "handle"
    channel_register(office=office("73.22"), platform="tiktok", handle="@kemenaglutra")
    with pytest.raises(DomainError) as e:
        channel_register(office=office("73.22"), platform="tiktok", handle="@KemenagLutra")
    assert e.value.code == "humas_channel_exists"


def test_feed_whose_stories_name_another_region_is_marked_and_stops_counting(db):
    channel = feed("73.22", "ternyata-palopo")
    publish(channel, *(story(f"p{i}", unique_text(i, "Kota Palopo"), at(2 + i)) for i in range(6)))
    publish(channel, story("own", unique_text(50, "Kabupaten Luwu Utara"), at(20)))
    verdict = feed_owner_verdict(channel)
    assert verdict is not None and verdict.owner.code == "73.73" and verdict.own == 1
    refresh_month(date(2026, 11, 1), office_ids=[office("73.22").pk])
    channel.refresh_from_db()
    assert channel.foreign_office.code == "73.73"
    assert MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 11, 1)).stories == 0


def test_feed_with_its_own_region_is_not_marked(db):
    channel = feed("73.22")
    publish(channel, *(story(f"l{i}", unique_text(i), at(2 + i)) for i in range(4)),
            *(story(f"m{i}", unique_text(20 + i, "Kota Makassar"), at(10 + i)) for i in range(3)))
    assert feed_owner_verdict(channel) is None  # 4 of 7 name Luwu Utara


def test_the_foreign_feed_note_is_stored_as_counts_and_read_in_the_readers_language(hp):
    from django.test import Client

    channel = feed("73.22", "ternyata-palopo")
    publish(channel, *(story(f"p{i}", unique_text(i, "Kota Palopo"), at(2 + i)) for i in range(6)))
    publish(channel, story("own", unique_text(50, "Kabupaten Luwu Utara"), at(20)))
    refresh_month(date(2026, 11, 1), office_ids=[office("73.22").pk])
    channel.refresh_from_db()
    assert (channel.foreign_office.code, channel.foreign_other, channel.foreign_placed, channel.foreign_own) == (
        "73.73", 6, 7, 1)
    c = Client()
    c.force_login(hp.humas_lutra)
    c.cookies["django_language"] = "en"
    english = c.get("/humas/?bulan=2026-11").content.decode()
    palopo = office("73.73")
    assert (f"This feed appears to belong to {palopo.name} (of the latest 7 stories, 6 name {palopo.region_name} "
            "and 1 this office&#x27;s area): its stories are not counted for your office.") in english
    assert "Umpan ini tampaknya" not in english and "berita terakhir" not in english
    c.cookies["django_language"] = "id"
    indonesian = c.get("/humas/?bulan=2026-11").content.decode()
    assert (f"Umpan ini tampaknya milik {palopo.name} (6 dari 7 berita terakhir menyebut wilayah "
            f"{palopo.region_name}, 1 menyebut wilayah kantor ini)") in indonesian
    # the feed fixed (its stories now name the office's own region): the mark and its counts go
    publish(channel, *(story(f"l{i}", unique_text(70 + i), at(21 + i % 5, hour=8 + i % 10)) for i in range(30)))
    refresh_month(date(2026, 11, 1), office_ids=[office("73.22").pk])
    channel.refresh_from_db()
    assert (channel.foreign_office, channel.foreign_other, channel.foreign_placed, channel.foreign_own) == (None, 0, 0, 0)
