"""A Humas article pre-fills the meeting record: type, place and date where the text has them."""

import json
from datetime import date
from pathlib import Path

import pytest

from satupintu.rakor.meetings import prefill_from_article

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "situation-dev.jsonl"


@pytest.mark.skipif(not DEV.is_file(), reason="shared development data not available")
@pytest.mark.parametrize("index", range(5))
def test_the_five_seed_articles_prefill_their_meeting(index):
    gold = json.loads(DEV.read_text(encoding="utf-8").splitlines()[index])
    draft = prefill_from_article(gold["text"])
    assert draft.found
    assert draft.type == gold["meeting_type"]
    assert draft.date == (date.fromisoformat(gold["event_date"]) if gold["event_date"] else None)
    if gold["place"]:
        assert gold["place"].lower() in draft.venue.lower() or draft.venue.lower() in gold["place"].lower()
    assert draft.participants == gold["participants"]
    names = {o.split(",")[0].strip() for o in draft.officials}
    assert {o.split(",")[0].strip() for o in gold["officials"]} <= names


def test_an_article_that_is_not_about_a_meeting_prefills_nothing():
    draft = prefill_from_article("Banjir melanda Kota Semarang; madrasah diliburkan dan siswa belajar di rumah.")
    assert not draft.found
