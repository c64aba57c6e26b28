"""`satupintu humas scorecard`: text and JSON, bad month or office exit 2."""

from __future__ import annotations

import json
from datetime import date

import pytest

from satupintu.cli import main
from satupintu.humas.figures import refresh_month
from satupintu.humas.targets import target_set
from tests.humas.conftest import at, feed, office, publish, story, unique_text


@pytest.fixture
def november(db):  # type: ignore[no-untyped-def]
    publish(feed("73.22"), *(story(f"l{i}", unique_text(i), at(1 + i)) for i in range(4)))
    target_set(office=office("73.22"), year=2026, stories_per_week=3, social_posts_per_month=None)
    refresh_month(date(2026, 11, 1))


def test_json_for_a_kanwil_lists_its_offices(november, capsys):
    assert main(["humas", "scorecard", "--month", "2026-11", "--office", "73", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_code = {r["office"]: r for r in rows}
    assert "73" in by_code and "73.22" in by_code and all(r["kanwil"] == "73" for r in rows)
    lutra = by_code["73.22"]
    assert (lutra["stories"], lutra["original"], lutra["repeats"]) == (4, 4, 0)
    assert lutra["target"] == round(3 * 30 / 7, 1) and lutra["score"] > 0
    assert {"name", "social_posts", "social_reach", "social_engagement", "coverage", "rank"} <= lutra.keys()


def test_text_table_for_one_office(november, capsys):
    assert main(["humas", "scorecard", "--month", "2026-11", "--office", "73.22"]) == 0
    out = capsys.readouterr().out
    assert "Kartu skor Humas 2026-11 (1 kantor)" in out and "73.22" in out and "Luwu Utara" in out


@pytest.mark.parametrize("args", [["--month", "2026-13"], ["--month", "November"], ["--month", "2026-11",
                                                                                    "--office", "99.99"]])
def test_bad_month_or_office_exits_2_with_a_message(db, capsys, args):
    assert main(["humas", "scorecard", *args]) == 2
    err = capsys.readouterr().err
    assert "TTTT-BB" in err or "tidak ada" in err
