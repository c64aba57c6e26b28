"""The demo: a month of Humas scorecards for Kanwil Sulsel and its offices from the demo's feeds."""

from __future__ import annotations

from satupintu.humas.demo import OFFICES, load_humas_demo
from satupintu.humas.figures import undated_stories
from satupintu.humas.models import Channel, SocialImport, Target
from satupintu.humas.selectors import Period, scorecard
from tests.humas.conftest import office


def test_demo_gives_november_scorecards_with_repeats_and_an_undated_story(db):
    message = load_humas_demo({})
    assert "/humas/peringkat/?bulan=2026-11&kanwil=73" in message
    rows = {r.code: r for r in scorecard(Period(2026, 11), kanwil=office("73"))}
    for code, *_ in OFFICES:
        assert rows[code].figures.stories > 0, code
        assert Channel.objects.filter(office__code=code, platform="website", foreign_office__isnull=True).exists()
    assert [rows[c].figures.repeats for c in ("73.22", "73.73", "73.10")] == [1, 1, 1]
    assert rows["73"].figures.repeats == 0
    assert rows["73.71"].figures.coverage_negative + rows["73.71"].figures.coverage_positive \
        + rows["73.71"].figures.coverage_neutral == 2
    assert [i.external_id for i in undated_stories(office("73.22"))] == ["humas-demo-73.22-undated"]
    assert Target.objects.get(office__code="73.14", year=2026).stories_per_week is None
    assert rows["73.22"].stories_target is not None and rows["73.14"].stories_target is None
    assert rows["73"].figures.social_posts > 0  # from the sample exports
    imports = SocialImport.objects.count()
    assert imports == 4
    # idempotent: a second run neither adds stories nor imports the samples again
    load_humas_demo({})
    assert SocialImport.objects.count() == imports
    again = {r.code: r.figures.stories for r in scorecard(Period(2026, 11), kanwil=office("73"))}
    assert again == {c: r.figures.stories for c, r in rows.items()}


def test_the_ranking_groups_the_social_engagement_as_the_office_page_does(db, hp):  # type: ignore[no-untyped-def]
    # "(6009)" on the ranking beside "44.652 jangkauan" on the office page.
    import re

    from django.test import Client

    load_humas_demo({})
    c = Client()
    c.force_login(hp.humas_sulsel)
    page = c.get("/humas/peringkat/?bulan=2026-11&kanwil=73").content.decode()
    social = page[page.index("Media sosial</strong>:"):][:400]
    counts = re.findall(r"\((\d[\d.]*)\)", social)
    assert counts and all(len(n) < 4 or "." in n for n in counts), social
