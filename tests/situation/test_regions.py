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


# -- kecamatan (districts) ------------------------------------------------------------------------------------------


def test_a_kecamatan_named_as_one_gives_its_regency():
    from satupintu.situation.nlp.regions import find_places

    # Bua and Baebunta are kecamatan of Luwu and Luwu Utara; no regency is named in the text.
    bua = find_places("Penyuluh agama Islam di Kecamatan Bua menggelar pembinaan majelis taklim.")
    assert (bua.province, bua.regency) == ("73", "73.17")
    assert bua.districts == ("73.17.08",)
    kua = find_places("KUA Kec. Baebunta melayani pencatatan nikah pada hari libur.")
    assert kua.regency == "73.22"


def test_kua_kota_then_a_city_is_the_citys_kua_not_the_kecamatan_named_kota():
    # Kota Kediri has a kecamatan "Kota" (35.71.02): the demo filed a Makassar story under Jawa Timur.
    makassar = find_places("Bimbingan perkawinan calon pengantin di KUA Kota Makassar.")
    assert (makassar.provinces, makassar.regencies, makassar.districts) == (["73"], ["73.71"], ())
    # Rejang Lebong's kecamatan "Kota Padang" against the city of Padang.
    assert find_places("Petugas KUA Kota Padang melayani nikah.").regencies == ["13.71"]
    kediri = find_places("KUA Kecamatan Kota melayani pencatatan nikah di Kota Kediri.")
    assert (kediri.regency, kediri.districts) == ("35.71", ("35.71.02",))
    # A kecamatan whose name starts with "Kota" but is no city's keeps its bare "KUA" form.
    assert find_places("KUA Kota Juang menggelar bimbingan perkawinan.").districts == ("11.11.13",)


def test_a_bare_district_name_is_not_a_place():
    from satupintu.situation.nlp.regions import find_places

    assert find_places("Warga Bua berkumpul di masjid.").regency is None


def test_a_district_name_shared_by_regencies_follows_the_other_places_mentioned():
    from satupintu.organization.reference import districts
    from satupintu.situation.nlp.regions import find_places

    by_name: dict[str, set[str]] = {}
    for d in districts():
        by_name.setdefault(d["name"], set()).add(d["regency_code"])
    name, regencies = next((n, sorted(r)) for n, r in sorted(by_name.items())
                           if len({c.split(".")[0] for c in r}) == len(r) > 1 and len(n) > 6)
    alone = find_places(f"Kegiatan berlangsung di Kecamatan {name}.")
    assert alone.regency is None
    province = regencies[1].split(".")[0]
    from satupintu.organization.reference import provinces

    province_name = next(p["name"] for p in provinces() if p["code"] == province)
    placed = find_places(f"Kegiatan berlangsung di Kecamatan {name}, Provinsi {province_name}.")
    assert placed.regency == regencies[1]


def test_spelling_variants_and_shared_names():
    from satupintu.situation.nlp.regions import find_places

    assert find_places("TANJUNGPINANG - Kanwil menggelar rapat.").regency == "21.72"
    assert find_places("Kemenag Tolitoli menggelar dialog.").regency == "72.04"
    # "Bogor" alone is the kabupaten or the kota: the province only, unless a dateline or a prefix says.
    bogor = find_places("Warga Bogor menggelar doa bersama.")
    assert (bogor.province, bogor.regency) == ("32", None)
    assert find_places("Warga Kabupaten Bogor menggelar doa bersama.").regency == "32.01"
    assert find_places("Bogor (Humas) - Warga menggelar doa bersama.").regency == "32.71"
