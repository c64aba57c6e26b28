"""Targets (zero refused, "no target" explicit), progress scaled to the month, the score
formula and the rankings."""

from __future__ import annotations

from datetime import date

import pytest

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.humas import score as scoring
from satupintu.humas.figures import refresh_month
from satupintu.humas.models import MonthlyFigure, Target
from satupintu.humas.selectors import Period, awards, parse_month, scorecard
from satupintu.humas.targets import stories_target_for_month, target_set
from tests.humas.conftest import at, feed, office, publish, story, unique_text

NOV = Period(2026, 11)


def test_zero_target_refused_with_a_clear_message(db):
    with pytest.raises(ValidationErrors) as e:
        target_set(office=office("73.22"), year=2026, stories_per_week="0", social_posts_per_month="0")
    assert [err.code for err in e.value.errors] == ["humas_target_zero", "humas_target_zero"]
    assert "minimal 1" in e.value.errors[0].message
    assert not Target.objects.exists()


def test_no_target_is_said_explicitly_and_counts_differ_from_zero(db):
    t = target_set(office=office("73.22"), year=2026, stories_per_week="3", social_posts_per_month="", no_target=True)
    assert (t.stories_per_week, t.social_posts_per_month) == (None, None)
    with pytest.raises(DomainError):
        target_set(office=office("73.22"), year=2026, stories_per_week="tiga", social_posts_per_month=None)


def test_progress_scales_the_weekly_target_to_the_months_weeks():
    assert stories_target_for_month(3, date(2026, 11, 1)) == pytest.approx(3 * 30 / 7)
    assert stories_target_for_month(3, date(2026, 2, 1)) == pytest.approx(12)
    assert stories_target_for_month(None, date(2026, 2, 1)) is None


def test_score_formula_parts_and_weights():
    f = scoring.Figures(stories=10, original=8, repeats=2, social_posts=4, social_reach=1000, social_engagement=25,
                        coverage_positive=1, coverage_neutral=2, coverage_negative=1)
    parts = scoring.parts(f, stories_target=20, posts_target=8)
    assert parts == {"target": 0.5, "originality": 0.8, "social": pytest.approx(0.5 * 0.5 + 0.5 * 0.5),
                     "coverage": 0.5, "whatsapp": None}
    expected = 100 * (35 * 0.5 + 20 * 0.8 + 20 * 0.5 + 15 * 0.5) / (35 + 20 + 20 + 15)
    assert scoring.score(parts) == round(expected, 1)
    # attainment is capped: twice the target is not twice the points
    assert scoring.parts(f, stories_target=5, posts_target=8)["target"] == 1.0


def test_month_scorecard_ranks_per_kanwil_and_nationally(db):
    lutra, makassar = feed("73.22"), feed("73.71")
    publish(lutra, *(story(f"l{i}", unique_text(i), at(1 + i)) for i in range(6)))
    publish(makassar, *(story(f"m{i}", unique_text(30 + i, "Kota Makassar"), at(1 + i)) for i in range(2)))
    for code in ("73.22", "73.71"):
        target_set(office=office(code), year=2026, stories_per_week=3, social_posts_per_month=None)
    refresh_month(date(2026, 11, 1))
    rows = scorecard(NOV, kanwil=office("73"))
    by_code = {r.code: r for r in rows}
    assert by_code["73.22"].score > by_code["73.71"].score > 0
    assert by_code["73.22"].progress_percent == round(100 * 6 / (3 * 30 / 7))
    assert by_code["73.22"].rank_kanwil == 1 and by_code["73.71"].rank_kanwil == 2
    national = scorecard(NOV)
    assert len(national) == len({r.code for r in national}) > 500
    assert [r.rank_national for r in national] == list(range(1, len(national) + 1))
    assert national[0].code == "73.22"
    assert awards(rows).website[0].code == "73.22"


def test_year_sums_its_months(db):
    lutra = feed("73.22")
    publish(lutra, story("o", unique_text(1), at(5, month=10)), story("n", unique_text(2), at(5)))
    refresh_month(date(2026, 10, 1))
    refresh_month(date(2026, 11, 1))
    row = scorecard(Period(2026), office=office("73.22"))[0]
    assert row.figures.stories == sum(MonthlyFigure.objects.filter(office__code="73.22").values_list("stories",
                                                                                                    flat=True)) == 2


@pytest.mark.parametrize("bad", ["2026-13", "2026/11", "nov", "26-11"])
def test_bad_month_refused(bad):
    with pytest.raises(DomainError) as e:
        parse_month(bad)
    assert e.value.code == "humas_bad_month"
