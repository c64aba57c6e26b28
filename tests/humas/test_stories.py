"""Stories per office and month: attribution, original or repeat, undated stories, coverage,
priority programmes."""

from __future__ import annotations

from datetime import date

from satupintu.humas.figures import office_feed_sources, refresh_month, repeat_story_ids, undated_stories
from satupintu.humas.models import MonthlyFigure
from satupintu.situation.models import Item, Source, SourceKind
from tests.humas.conftest import PRESS_RELEASE, at, feed, office, publish, story, unique_text

NOV = date(2026, 11, 1)


def _fig(code: str) -> MonthlyFigure:
    return MonthlyFigure.objects.get(office__code=code, month=NOV)


def test_stories_are_attributed_to_the_feeds_office_and_its_local_month(db):
    lutra = feed("73.22")
    publish(lutra, story("a", unique_text(1), at(3)), story("b", unique_text(2), at(30, hour=23)),
            story("c", unique_text(3), at(1, month=12, hour=0)),  # 00:00 WITA on 1 December: not November
            story("d", unique_text(4), at(31, month=10, hour=23)))
    refresh_month(NOV)
    assert _fig("73.22").stories == 2
    assert _fig("73.71").stories == 0
    assert MonthlyFigure.objects.filter(month=NOV).count() > 500  # every office has its row


def test_a_copy_of_the_kanwils_earlier_story_is_a_repeat_the_kanwils_is_original(db):
    kanwil, lutra = feed("73", "sulsel"), feed("73.22")
    publish(kanwil, story("k1", PRESS_RELEASE, at(3)))
    publish(lutra, story("l1", "Luwu Utara (Humas) - " + PRESS_RELEASE, at(4)), story("l2", unique_text(9), at(5)))
    copy = Item.objects.get(external_id="l1")
    assert copy.duplicate_of.external_id == "k1"  # the room's own near-duplicate link
    refresh_month(NOV)
    assert (_fig("73.22").stories, _fig("73.22").original, _fig("73.22").repeats) == (2, 1, 1)
    assert (_fig("73").original, _fig("73").repeats) == (1, 0)


def test_repeat_found_when_the_copy_was_fetched_before_the_original(db):
    """Fetch order decides which item the room links to which: the copy (published later) was
    stored first, so the Kanwil's story points at it. The copy is still the repeat."""
    kanwil, lutra = feed("73", "sulsel"), feed("73.22")
    publish(lutra, story("l1", "Luwu Utara (Humas) - " + PRESS_RELEASE, at(6)))
    publish(kanwil, story("k1", PRESS_RELEASE, at(3)))
    assert Item.objects.get(external_id="k1").duplicate_of.external_id == "l1"
    refresh_month(NOV)
    assert (_fig("73.22").original, _fig("73.22").repeats) == (0, 1)
    assert (_fig("73").original, _fig("73").repeats) == (1, 0)


def test_a_repeat_of_pusats_story_counts_and_outside_media_bridge_the_link(db):
    pusat = feed("pusat", "pusat")
    media = Source.objects.create(name="Media", kind=SourceKind.FEED, url="https://media.example/feed")
    lutra = feed("73.22")
    publish(pusat, story("p1", PRESS_RELEASE.replace("Sulawesi Selatan", "pusat"), at(2)))
    from satupintu.situation.store import save_raw_items

    save_raw_items(media, [story("m1", "Jakarta - " + PRESS_RELEASE.replace("Sulawesi Selatan", "pusat"), at(3))])
    publish(lutra, story("l1", "Masamba - " + PRESS_RELEASE.replace("Sulawesi Selatan", "pusat"), at(4)))
    ids = list(Item.objects.filter(external_id="l1").values_list("pk", flat=True))
    assert repeat_story_ids(ids, office_feed_sources()) == set(ids)


def test_own_story_posted_twice_is_not_a_repeat_of_another_office(db):
    lutra = feed("73.22")
    publish(lutra, story("l1", PRESS_RELEASE, at(3)), story("l2", "Ulang: " + PRESS_RELEASE, at(4)))
    refresh_month(NOV)
    assert _fig("73.22").repeats == 0


def test_undated_story_counts_in_no_month_and_is_listed(db):
    lutra = feed("73.22")
    publish(lutra, story("dated", unique_text(1), at(3)),
            story("nodate", "Rapat persiapan kegiatan akhir tahun di aula kantor tanpa keterangan waktu.", None))
    undated = Item.objects.get(external_id="nodate")
    assert undated.published_at == undated.fetched_at  # what the fetcher stores for "no date"
    assert [i.external_id for i in undated_stories(office("73.22"))] == ["nodate"]
    for month in (NOV, undated.published_at.date().replace(day=1)):
        refresh_month(month)
    assert _fig("73.22").stories == 1
    assert sum(MonthlyFigure.objects.filter(office__code="73.22").values_list("stories", flat=True)) == 1


def test_outside_coverage_with_tone_and_priority_programmes(db):
    lutra = feed("73.22")
    publish(lutra, story("haji", "Kankemenag Luwu Utara menggelar manasik haji bagi calon jemaah haji. Jemaah haji "
                                 "mendapat bimbingan manasik dan informasi pelunasan BPIH di Kabupaten Luwu Utara.",
                         at(3)))
    media = Source.objects.create(name="Media lokal", kind=SourceKind.FEED, url="https://media.example/feed")
    from satupintu.situation.store import save_raw_items

    save_raw_items(media, [
        story("neg", "Warga Kabupaten Luwu Utara kecewa dan mengeluhkan pungli di Kemenag Luwu Utara. Layanan "
                     "lambat, berbelit dan mahal; warga marah.", at(5)),
        story("other", "Warga Kabupaten Luwu Utara menikmati festival kuliner di alun-alun.", at(6)),
    ])
    neg = Item.objects.get(external_id="neg")
    refresh_month(NOV)
    fig = _fig("73.22")
    tone = {"positive": fig.coverage_positive, "neutral": fig.coverage_neutral, "negative": fig.coverage_negative}
    assert sum(tone.values()) == 1 and tone[neg.sentiment] == 1  # the item that names the ministry, its tone
    haji = Item.objects.get(external_id="haji")
    assert "haji-umrah" in haji.topics
    assert fig.programmes.get("haji") == 1 and fig.priority_stories == 1


def test_priority_programmes_read_in_the_pages_language(hp):
    from django.test import Client

    publish(feed("73.22"), story("haji", "Kankemenag Luwu Utara menggelar manasik haji bagi calon jemaah haji. "
                                         "Jemaah haji mendapat bimbingan manasik di Kabupaten Luwu Utara.", at(3)))
    refresh_month(NOV)
    c = Client()
    c.force_login(hp.humas_lutra)
    assert "<li>Sukses penyelenggaraan haji: 1</li>" in c.get("/humas/?bulan=2026-11").content.decode()
    c.cookies["django_language"] = "en"
    english = c.get("/humas/?bulan=2026-11").content.decode()
    assert "<li>A successful hajj: 1</li>" in english and "Sukses penyelenggaraan" not in english
