"""Which provinces and regencies a text is about, by Kemendagri code.

A gazetteer built from the shipped region list: official names ("Sulawesi Selatan",
"Kabupaten Luwu Utara", "Kota Palopo"), names without their prefix ("Luwu Utara",
"Palopo"), the abbreviations news and Humas use ("Sulsel", "Kaltim", "Jateng", "DIY",
"Lutra", "Pangkep", "Sidrap") and office names, which contain those ("Kanwil Kemenag Prov.
Jateng", "Kankemenag Luwu Utara"). Longest match wins, so "Luwu Utara" is not "Luwu".
The main place is the dateline's ("Palopo (Humas ...)") when there is one, else the most
mentioned.

Kecamatan (districts) are found only where the text says they are one: "Kecamatan Bua",
"Kec. Bua", "KUA Bua", "KUA Kecamatan Bua" (a bare district name is too often a word or a
village elsewhere). A district found counts as a mention of its regency; a name several
regencies share is kept only when one of those regencies (or its province) is mentioned too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from satupintu.organization import reference
from satupintu.situation.nlp.phrases import PhraseMatcher, tokenize

PROVINCE_ABBREVIATIONS = {
    "aceh": "11", "nad": "11", "sumut": "12", "sumbar": "13", "riau": "14", "jambi": "15", "sumsel": "16",
    "bengkulu": "17", "lampung": "18", "babel": "19", "bangka belitung": "19", "kepri": "21", "dki": "31",
    "dki jakarta": "31", "jakarta": "31", "jabar": "32", "jateng": "33", "diy": "34", "yogyakarta": "34",
    "jogja": "34", "jogjakarta": "34", "jatim": "35", "banten": "36", "bali": "51", "ntb": "52", "ntt": "53",
    "kalbar": "61", "kalteng": "62", "kalsel": "63", "kaltim": "64", "kaltara": "65", "sulut": "71",
    "sulteng": "72", "sulsel": "73", "sultra": "74", "gorontalo": "75", "sulbar": "76", "maluku": "81",
    "malut": "82", "papua": "91", "pabar": "92", "papua barat": "92", "papua selatan": "93", "papua tengah": "94",
    "papua pegunungan": "95", "papua barat daya": "96",
}
# Short names Humas writes for regencies and cities.
REGENCY_ABBREVIATIONS = {
    "pangkep": "73.10", "lutra": "73.22", "lutim": "73.24", "tator": "73.18", "torut": "73.26",
    "sidrap": "73.14", "selayar": "73.01", "makassar": "73.71", "parepare": "73.72", "pare-pare": "73.72",
    "jakpus": "31.71", "jakut": "31.72", "jakbar": "31.73", "jaksel": "31.74", "jaktim": "31.75",
    "tangsel": "36.74", "palangka raya": "62.71", "kota palangka raya": "62.71",
}
# How a text says a name is a kecamatan's; "kec." is the tokens "kec".
_DISTRICT_PREFIXES = ("kecamatan", "kec", "kua", "kua kecamatan", "kua kec")
# Names that are ordinary words too often to count on their own, without "Kabupaten"/"Kota".
_AMBIGUOUS_BARE = {"agam", "bone", "buru", "kota baru", "tengah", "sabu raijua", "nias", "timur", "barat"}


@dataclass(frozen=True)
class Places:
    province: str | None
    provinces: list[str]
    regency: str | None
    regencies: list[str]
    districts: tuple[str, ...] = ()


_DATELINE_AFTER = re.compile(r"\s*,?\s*\(")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower())


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[PhraseMatcher[tuple[str, str]], dict[str, tuple[str, str]]]:
    """A matcher of every name (longest first) and name -> (kind, code)."""
    names: dict[str, tuple[str, str]] = {}
    for p in reference.provinces():
        name = _fold(p["name"])
        names[name] = ("province", p["code"])
        names[f"provinsi {name}"] = ("province", p["code"])
        names[f"prov. {name}"] = ("province", p["code"])
    names["daerah istimewa yogyakarta"] = ("province", "34")
    names["daerah khusus ibukota jakarta"] = ("province", "31")
    for abbreviation, code in PROVINCE_ABBREVIATIONS.items():
        names.setdefault(abbreviation, ("province", code))
        names.setdefault(f"prov. {abbreviation}", ("province", code))
        names.setdefault(f"provinsi {abbreviation}", ("province", code))
    cities: dict[str, str] = {}
    regencies: dict[str, str] = {}
    for r in reference.regencies():
        full = _fold(r["name"])
        names[full] = ("regency", r["code"])
        if full.startswith("kabupaten "):
            bare = full.removeprefix("kabupaten ")
            regencies[bare] = r["code"]
            names[f"kab. {bare}"] = ("regency", r["code"])
            names[f"kab {bare}"] = ("regency", r["code"])
        elif full.startswith("kota "):
            bare = full.removeprefix("kota administrasi ").removeprefix("kota ")
            cities[bare] = r["code"]
            names[f"kota {bare}"] = ("regency", r["code"])
    # A bare name: the regency or city of that name; never a bare name that is also a province's
    # (that is the province). A name a kabupaten and a kota share ("Bogor", "Malang") names neither
    # on its own: it places the item in their province, and "Kota Bogor" / "Kab. Bogor" decide;
    # as a dateline ("Semarang (Humas) -") it is the city, where such offices write from.
    for bare, code in {**regencies, **cities}.items():
        if bare in _AMBIGUOUS_BARE or len(bare) < 4:
            continue
        if names.get(bare, ("", ""))[0] == "province":
            continue
        names[bare] = ("shared", cities[bare]) if bare in regencies and bare in cities else ("regency", code)
    # Spellings news uses beside the list's: joined ("Tanjungpinang", "Tolitoli") or unhyphenated.
    for bare, code in {**regencies, **cities}.items():
        joined = bare.replace(" ", "").replace("-", "")
        for variant in (joined, bare.replace("-", " ")):
            if variant != bare and len(variant) >= 6:
                names.setdefault(variant, ("regency", code))
                names.setdefault(f"kota {variant}" if bare in cities else f"kab. {variant}", ("regency", code))
    for abbreviation, code in REGENCY_ABBREVIATIONS.items():
        names.setdefault(abbreviation, ("regency", code))
    districts: dict[str, list[str]] = {}
    for d in reference.districts():
        districts.setdefault(_fold(d["name"]), []).append(d["code"])
    for name, codes in districts.items():
        # "KUA Kota Makassar" is the city's KUA, not the KUA of Kediri's kecamatan "Kota" followed
        # by a stray "Makassar" (nor Rejang Lebong's "Kota Padang"): after a bare "KUA" a name that
        # reads as a city is the city; "KUA Kecamatan Kota" still names the kecamatan.
        reads_as_city = name == "kota" or names.get(name, ("", ""))[0] == "regency"
        for prefix in _DISTRICT_PREFIXES:
            if prefix == "kua" and reads_as_city:
                continue
            names.setdefault(f"{prefix} {name}", ("district", "|".join(codes)))
    return PhraseMatcher(names), names


def _district_regency(codes: str, regencies: list[str], provinces: list[str]) -> str | None:
    """The regency of a district found; of a name several regencies share, the one whose regency
    (else province) the text mentions, if exactly one is."""
    candidates = sorted({c.rsplit(".", 1)[0] for c in codes.split("|")})
    if len(candidates) == 1:
        return candidates[0]
    by_regency = [c for c in candidates if c in regencies]
    if len(by_regency) == 1:
        return by_regency[0]
    known = set(provinces) | {r.split(".")[0] for r in regencies}
    by_province = [c for c in candidates if c.split(".")[0] in known]
    return by_province[0] if len(by_province) == 1 else None


def find_places(text: str, title: str = "", tokens: list[tuple[str, int, int]] | None = None) -> Places:
    """``tokens``: ``text`` already tokenized by ``phrases.tokenize`` (saves a pass)."""
    matcher, _ = _gazetteer()
    regency_hits: list[str] = []
    province_hits: list[str] = []
    dateline_regency: str | None = None
    hits = list(matcher.finditer(title)) if title else []
    body_start = len(hits)
    hits += matcher.finditer_tokens(tokens if tokens is not None else tokenize(text))
    district_hits: list[str] = []
    for index, ((kind, code), _start, end) in enumerate(hits):
        if kind == "district":
            district_hits.append(code)
        elif kind == "shared":
            province_hits.append(code.split(".")[0])
            if dateline_regency is None and index >= body_start and _DATELINE_AFTER.match(text, end, end + 4):
                dateline_regency = code
                regency_hits.append(code)
        elif kind == "regency":
            regency_hits.append(code)
            # A dateline: "Palopo (Humas ...)" or "Pangkep, (Humas ...)" near the start of a line.
            if dateline_regency is None and index >= body_start and _DATELINE_AFTER.match(text, end, end + 4):
                dateline_regency = code
        else:
            province_hits.append(code)
    districts: list[str] = []
    mentioned = list(regency_hits)
    for codes in district_hits:
        regency = _district_regency(codes, mentioned, province_hits)
        if regency:
            regency_hits.append(regency)
            districts.extend(c for c in codes.split("|") if c.startswith(regency + "."))
    regencies = list(dict.fromkeys(regency_hits))
    provinces = list(dict.fromkeys(province_hits + [r.split(".")[0] for r in regencies]))
    main_regency = dateline_regency or (Counter(regency_hits).most_common(1)[0][0] if regency_hits else None)
    if main_regency:
        main_province: str | None = main_regency.split(".")[0]
    elif province_hits:
        main_province = Counter(province_hits).most_common(1)[0][0]
    else:
        main_province = None
    return Places(main_province, sorted(provinces), main_regency, regencies, tuple(dict.fromkeys(districts)))
