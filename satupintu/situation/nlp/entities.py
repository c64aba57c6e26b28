"""People (with their role), organisations and places in Indonesian news and Humas releases.

Rules, not a trained tagger: the ministry's releases name officials, offices and venues in a
handful of fixed shapes, and a rule can be read and corrected by an officer.

In parts: entity_lexicon.py (the word lists), entity_tokens.py (text read as classified words),
people.py (officials and bylines, and why they are read as they are); here, organisations, venues
and regions, and find_entities, which puts them all together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from satupintu.organization import reference
from satupintu.situation.nlp.dates import MONTHS, WEEKDAYS
from satupintu.situation.nlp.entity_lexicon import (
    _ABBREVIATIONS,
    _FUNCTION_WORDS,
    _ROLE_WORDS,
    _STOP_WORDS,
    _VENUE_LOWER_WORDS,
    BODY_HEADS,
    NAMED_HEADS,
    OFFICE_HEADS,
    QUALIFIED_HEADS,
    SCHOOL_HEADS,
    VENUE_HEADS,
    _alternatives,
    _first_words,
)
from satupintu.situation.nlp.entity_tokens import (
    Token,
    _clean,
    _heads,
    _is_place,
    _line_bounds,
    _place_first_words,
    _tokens,
)
from satupintu.situation.nlp.people import Person, find_bylines, find_people, merge_people, person_key
from satupintu.situation.nlp.regions import _gazetteer

# The people half lives in people.py; what meetings.py and others import stays importable from here.
__all__ = [
    "Person", "Span", "find_bylines", "find_entities", "find_people", "merge_people", "organisation_mentions",
    "person_key", "region_names", "venue_mentions",
]


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


# -- organisations ----------------------------------------------------------------------------------------------

_REGION_PREFIX = r"(?:Provinsi|Prov\.|Kabupaten|Kab\.|Kota|Kecamatan|Kec\.)"
_ORG = re.compile(
    r"(?:(?P<office>" + "|".join(_alternatives(OFFICE_HEADS)) + r")"
    r"|(?P<qualified>" + "|".join(_alternatives(QUALIFIED_HEADS)) + r")"
    r"|(?P<school>(?:" + "|".join(_alternatives(SCHOOL_HEADS)) + r")\s+\d{1,3})"
    r"|(?P<named>" + "|".join(_alternatives(NAMED_HEADS)) + r")"
    r"|(?P<body>" + "|".join(_alternatives(BODY_HEADS)) + r")"
    r")(?![\w])"
)
_ORG_FIRST_WORDS = _first_words(OFFICE_HEADS + QUALIFIED_HEADS + SCHOOL_HEADS + NAMED_HEADS + BODY_HEADS)
_NATIONAL = re.compile(r"[ \t]+(?:RI|Republik\s+Indonesia)(?![\w])")
_PREFIXED_REGION = re.compile(r"[ \t]+" + _REGION_PREFIX + r"[ \t]+")
_NEXT_CAPITAL_WORD = re.compile(r"[ \t]*([A-Z][\w'’-]*)")


def _region_after(text: str, pos: int) -> int:
    """End of a region name right after pos ("Prov. Jateng", "Kabupaten Luwu Utara", "Sulsel"), or pos."""
    national = _NATIONAL.match(text, pos)
    if national:
        return national.end()
    prefixed = _PREFIXED_REGION.match(text, pos)
    cursor = prefixed.end() if prefixed else pos
    words: list[tuple[str, int]] = []
    for _ in range(4):
        m = _NEXT_CAPITAL_WORD.match(text, cursor)
        if not m or (not prefixed and not words and m.start(1) == pos):
            break
        words.append((m.group(1), m.end()))
        cursor = m.end()
    for n in range(len(words), 0, -1):
        chunk = [w for w, _ in words[:n]]
        if _is_place(chunk) or (prefixed and _is_place([prefixed.group().strip(), *chunk])):
            return words[n - 1][1]
    if prefixed and words and words[0][0].lower() not in _STOP_WORDS:
        return words[0][1]  # a district or a name the gazetteer does not hold
    return pos


def _name_words_after(text: str, pos: int) -> int:
    end = pos
    for _ in range(5):
        m = _NEXT_CAPITAL_WORD.match(text, end)
        if m and m.start(1) == end:
            break
        if not m or m.group(1).lower() in _FUNCTION_WORDS or m.group(1).lower() in _ROLE_WORDS:
            break
        end = m.end()
    return end


@lru_cache(maxsize=32)
def organisation_mentions(text: str) -> tuple[Span, ...]:
    """Organisations as written, with their positions (cached: find_meeting asks for the same text)."""
    found = []
    for m in _heads(text or "", _ORG, _ORG_FIRST_WORDS):
        kind = m.lastgroup
        end = m.end()
        if kind == "named":
            end = _name_words_after(text, end)
            if end == m.end():
                continue
        end = _region_after(text, end)
        if kind == "qualified" and end == m.end():
            continue
        found.append(Span(_clean(text[m.start():end]), m.start(), end))
    return tuple(found)


# -- places -----------------------------------------------------------------------------------------------------

# "Kantor" is a venue only where something happens at it: "di Kantor Kemenag Luwu Utara".
_VENUE = re.compile(r"(?:" + "|".join(_alternatives(VENUE_HEADS)) + r"|(?<=\bdi\s)Kantor|(?<=\bDi\s)Kantor)(?![\w])")
_VENUE_FIRST_WORDS = _first_words(VENUE_HEADS + ("Kantor",))
_MAX_VENUE_TOKENS = 14


def _venue_continues(token: Token, next_token: Token | None) -> bool:
    if token.kind == "paren":
        return True
    if token.kind == "num":
        return len(token.text) <= 4
    if token.kind != "word":
        return token.text in "&-" and next_token is not None and next_token.kind == "word"
    lower = token.text.lower()
    if lower in {"dan", "&"}:
        return next_token is not None and next_token.kind == "word" and next_token.text[0].isupper()
    if lower in _VENUE_LOWER_WORDS or (lower in _gazetteer()[1] and lower not in _FUNCTION_WORDS):
        return True
    # Role words may stay: "Rumah Dinas Bupati", "Pendopo Wali Kota".
    return token.text[0].isupper() and lower not in _FUNCTION_WORDS and lower not in MONTHS and lower not in WEEKDAYS


@lru_cache(maxsize=32)
def venue_mentions(text: str) -> tuple[Span, ...]:
    """Venues as written: "Hotel BM Residence Palopo", "Aula Lt. 3", "Masjid Agung Palopo" (cached)."""
    found: list[Span] = []
    for m in _heads(text or "", _VENUE, _VENUE_FIRST_WORDS):
        if found and m.start() < found[-1].end:
            continue  # "Rumah Dinas" inside "Pendopo Rumah Dinas Wali Kota Magelang"
        end = _venue_end(text, m)
        if end > m.end():  # a bare "Masjid" or "Aula" names no place
            found.append(Span(_clean(text[m.start():end]), m.start(), end))
    return tuple(found)


def _venue_end(text: str, head: re.Match[str]) -> int:
    """Where the venue's name after its head word ends."""
    line_end = _line_bounds(text, head.start())[1]
    tokens = _tokens(text, head.end(), min(line_end, head.end() + 120))[:_MAX_VENUE_TOKENS]
    end = head.end()
    for i, token in enumerate(tokens):
        if not _venue_continues(token, tokens[i + 1] if i + 1 < len(tokens) else None):
            break
        if token.text.lower() not in {"dan", "&", "-"}:  # a connector counts only with what follows it
            end = token.end
        if token.dot and token.text.lower() not in _ABBREVIATIONS:
            break
    return end


@lru_cache(maxsize=1)
def _official_names() -> dict[str, str]:
    names = {p["code"]: p["name"] for p in reference.provinces()}
    names.update({r["code"]: r["name"] for r in reference.regencies()})
    return names


# "[A-Z]" first and the word-start test after it: twice as fast as a leading lookbehind.
_CAPITAL_RUN = re.compile(r"[A-Z](?<![\w][A-Z])[\w'’-]*\.?(?:[ \t]+[A-Z][\w'’-]*\.?)*")


def region_names(text: str) -> list[str]:
    """Provinces and regencies named in the text (capitalised), as official names, in order.

    Dots are dropped before the lookup ("Prov. Jateng" -> "prov jateng"): the bare name is in the
    gazetteer too, so nothing is lost, and the cheap set test below can skip most runs.
    """
    names, first_words = _gazetteer()[1], _place_first_words()
    official = _official_names()
    found: dict[str, None] = {}
    for run in _CAPITAL_RUN.findall(text or ""):
        words = run.lower().replace("’", "'").replace(".", "").split()
        if first_words.isdisjoint(words):
            continue
        i = 0
        while i < len(words):
            if words[i] in first_words:
                for n in range(min(5, len(words) - i), 0, -1):
                    hit = names.get(" ".join(words[i:i + n]))
                    if hit:
                        found.setdefault(official.get(hit[1], hit[1]), None)
                        i += n - 1
                        break
            i += 1
    return list(found)


# -- all together -----------------------------------------------------------------------------------------------


def _as_dict(person: Person) -> dict:
    return {"name": person.name, "role": person.role}


def find_entities(text: str, title: str = "") -> dict:
    """{"people": [{"name", "role"}], "organisations": [str], "places": [str]}.

    People are officials with their role, then bylines (role "Kontributor", "Penulis", ...).
    Places are venues as written, then regions by official name.
    """
    parts = [part for part in (title, text) if part]
    people = merge_people(find_people(text, title) + [p for part in parts for p in find_bylines(part)])
    organisations: dict[str, str] = {}
    for part in parts:
        for mention in organisation_mentions(part):
            organisations.setdefault(mention.text.lower(), mention.text)
    venues = list(dict.fromkeys(s.text for part in parts for s in venue_mentions(part)))
    regions = list(dict.fromkeys(r for part in parts for r in region_names(part)))
    return {
        "people": [_as_dict(p) for p in sorted(people, key=lambda p: bool(p.byline))],  # a stable sort
        "organisations": list(organisations.values()),
        "places": venues + [r for r in regions if r not in venues],
    }
