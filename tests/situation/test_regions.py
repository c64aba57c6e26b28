"""Places in text: official names, bare names, abbreviations, office names, the dateline."""

import json
from pathlib import Path

import pytest

from satupintu.situation.nlp.regions import find_places

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "situation-dev.jsonl"


@pytest.mark.parametrize(
    "text, province, regencies",
    [
        ("Kanwil Kemenag Prov. Jateng menggelar rakor.", "33", []),
        ("Kakanwil Kemenag Sulsel meninjau Kankemenag Luwu Utara dan Kankemenag Luwu.", "73", ["73.22", "73.17"]),
        ("Rapat di Kota Bandung dan Kabupaten Bandung Barat.", "32", ["32.73", "32.17"]),
        ("Jamaah haji asal DIY dan NTB tiba di Madinah.", None, []),
        ("Sidrap, (Humas Sidrap) – Kankemenag menggelar manasik haji.", "73", ["73.14"]),
        ("Kemenag Kota Jayapura dan Kabupaten Jayapura berkoordinasi.", "91", ["91.71", "91.03"]),
        ("Pelayanan terpadu satu pintu kini makin cepat.", None, []),
    ],
)
def test_places(text, province, regencies):
    places = find_places(text)
    assert places.regencies == regencies
    if province:
        assert places.province == province and province in places.provinces


def test_provinces_without_regency_are_all_listed():
    places = find_places("Jamaah haji asal DIY dan NTB tiba di Madinah; NTB terbanyak.")
    assert places.provinces == ["34", "52"] and places.province == "52"


def test_the_dateline_is_the_main_place():
    places = find_places("Palopo (Humas Luwu Utara) Kankemenag Luwu Utara dan Luwu Utara lagi.")
    assert places.regency == "73.73" and places.regencies == ["73.73", "73.22"]


def test_seed_articles():
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == 5
    for row in rows:
        places = find_places(row["text"])
        assert places.province == row["province_code"], row["id"]
        assert places.regency == row["regency_code"], row["id"]
        assert places.provinces == sorted(row["provinces"]), row["id"]
        assert places.regencies == row["regencies"], row["id"]
