"""Which provinces and regencies a text is about, by Kemendagri code.

A gazetteer built from the shipped region list: official names ("Sulawesi Selatan",
"Kabupaten Luwu Utara", "Kota Palopo"), names without their prefix ("Luwu Utara",
"Palopo"), the abbreviations news and Humas use ("Sulsel", "Kaltim", "Jateng", "DIY",
"Lutra", "Pangkep", "Sidrap") and office names, which contain those ("Kanwil Kemenag Prov.
Jateng", "Kankemenag Luwu Utara"). Longest match wins, so "Luwu Utara" is not "Luwu".
The main place is the dateline's ("Palopo (Humas ...)") when there is one, else the most
mentioned.
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
}
# Names that are ordinary words too often to count on their own, without "Kabupaten"/"Kota".
_AMBIGUOUS_BARE = {"agam", "bone", "buru", "kota baru", "tengah", "sabu raijua", "nias", "timur", "barat"}


@dataclass(frozen=True)
class Places:
    province: str | None
    provinces: list[str]
    regency: str | None
    regencies: list[str]


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
    # A bare name: the city when there is one (news mostly means the city), else the regency;
    # never a bare name that is also a province's (that is the province).
    for bare, code in {**regencies, **cities}.items():
        if bare in _AMBIGUOUS_BARE or len(bare) < 4:
            continue
        if names.get(bare, ("", ""))[0] == "province":
            continue
        names[bare] = ("regency", code)
    for abbreviation, code in REGENCY_ABBREVIATIONS.items():
        names.setdefault(abbreviation, ("regency", code))
    return PhraseMatcher(names), names


def find_places(text: str, title: str = "", tokens: list[tuple[str, int, int]] | None = None) -> Places:
    """``tokens``: ``text`` already tokenized by ``phrases.tokenize`` (saves a pass)."""
    matcher, _ = _gazetteer()
    regency_hits: list[str] = []
    province_hits: list[str] = []
    dateline_regency: str | None = None
    hits = list(matcher.finditer(title)) if title else []
    body_start = len(hits)
    hits += matcher.finditer_tokens(tokens if tokens is not None else tokenize(text))
    for index, ((kind, code), _start, end) in enumerate(hits):
        if kind == "regency":
            regency_hits.append(code)
            # A dateline: "Palopo (Humas ...)" or "Pangkep, (Humas ...)" near the start of a line.
            if dateline_regency is None and index >= body_start and _DATELINE_AFTER.match(text, end, end + 4):
                dateline_regency = code
        else:
            province_hits.append(code)
    regencies = list(dict.fromkeys(regency_hits))
    provinces = list(dict.fromkeys(province_hits + [r.split(".")[0] for r in regencies]))
    main_regency = dateline_regency or (Counter(regency_hits).most_common(1)[0][0] if regency_hits else None)
    if main_regency:
        main_province: str | None = main_regency.split(".")[0]
    elif province_hits:
        main_province = Counter(province_hits).most_common(1)[0][0]
    else:
        main_province = None
    return Places(main_province, sorted(provinces), main_regency, regencies)
