"""Text read as words for the entity rules: tokens, what each word is (role, name, place ...),
capitalised heads found fast, and the gazetteer's place names.

Shared by the people rules (people.py) and the organisation and venue rules (entities.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from satupintu.situation.nlp.entity_lexicon import (
    _ABBREVIATIONS,
    _HONORIFICS,
    _ORG_WORDS,
    _PARTICLES,
    _ROLE_WORDS,
    _STOP_WORDS,
)
from satupintu.situation.nlp.regions import _gazetteer

_TOKEN = re.compile(
    r"[ \t\r\xa0]*(?:"
    r"(?P<paren>\((?=[A-Za-z])[^()\n]{1,40}\))"
    r"|(?P<word>[^\W\d_](?:[\w'’]|\.(?=[^\W\d_]))*(?:-[^\W_][\w'’]*)*)(?P<dot>\.)?"
    r"|(?P<num>\d+)"
    r"|(?P<nl>\n)"
    r"|(?P<punct>[^\w\s]))"
)


class Token(NamedTuple):  # a NamedTuple: made by the thousand, and cheaper than a dataclass
    kind: str  # paren, word, num, nl, punct
    text: str
    start: int
    end: int  # after the word, before a trailing dot
    dot: bool = False


# -- capitalised words -----------------------------------------------------------------------------------------

# "[A-Z]" first and the word-start test after it: the engine skips fast to capitals.
_CAPITAL_WORD = re.compile(r"[A-Z](?<![\w][A-Z])[\w'’-]*")


@lru_cache(maxsize=32)
def _capital_words(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((m.start(), m.group()) for m in _CAPITAL_WORD.finditer(text))


def _heads(text: str, pattern: re.Pattern[str], first_words: frozenset[str]) -> list[re.Match[str]]:
    """Non-overlapping matches of pattern, tried only at capitalised words it can start with.

    Role, organisation and venue heads all start with a capital: one scan for capitals and a set
    test replaces a full regex scan per kind, which costs several times more.
    """
    found: list[re.Match[str]] = []
    done = 0
    for pos, word in _capital_words(text):
        if pos >= done and word in first_words:
            m = pattern.match(text, pos)
            if m:
                found.append(m)
                done = m.end()
    return found


# -- gazetteer --------------------------------------------------------------------------------------------------


def _place_key(words: list[str]) -> str:
    return " ".join(words).lower().replace("’", "'")


def _is_place(words: list[str]) -> bool:
    return _place_key(words) in _gazetteer()[1]


@lru_cache(maxsize=1)
def _place_first_words() -> frozenset[str]:
    return frozenset(key.split()[0] for key in _gazetteer()[1])


# -- tokens -----------------------------------------------------------------------------------------------------


def _tokens(text: str, start: int, end: int) -> list[Token]:
    found = []
    for m in _TOKEN.finditer(text, start, end):
        kind = m.lastgroup if m.lastgroup != "dot" else "word"
        if kind == "word":
            found.append(Token("word", m.group("word"), m.start("word"), m.end("word"), bool(m.group("dot"))))
        elif kind:
            found.append(Token(kind, m.group(kind), m.start(kind), m.end(kind)))
    return found


def _is_acronym(word: str) -> bool:
    # "TU", "HDI", "MTsN", "KemenPAN"; not "M.Rusydi" or "McDonald".
    upper = sum(c.isupper() for c in word)
    return "." not in word and len(word) >= 2 and upper >= 2 and upper * 2 >= len(word)


def _classify(token: Token, place: bool) -> str:
    """role (a word of a role's where), head, honorific, initial, name, particle, conn or other."""
    if token.kind == "paren":
        return "role"
    if token.kind != "word":
        return "conn" if token.text in "/&" else "other"
    word = token.text
    lower = word.lower().replace("’", "'")
    if lower in {"dan", "se"} or lower.startswith("se-"):
        return "conn"
    bare = lower.replace(".", "")
    if bare in _HONORIFICS and (token.dot or len(bare) > 1 or "." in word):
        return "honorific"
    if len(word) == 1 and word.isupper() and token.dot:
        return "initial"
    if lower in _ROLE_WORDS:
        return "head"
    if place or lower in _ORG_WORDS or _is_acronym(word):
        return "role"
    if word[0].isupper() and lower not in _STOP_WORDS:
        return "name"
    if lower in _PARTICLES:
        return "particle"
    return "other"


def _place_marks(tokens: list[Token]) -> set[int]:
    """Indexes of tokens that are part of a gazetteer place ("Luwu Utara", "Jateng").

    Words are looked up without their dots: "Prov." and "Kab." are organisation words anyway, and
    the bare name after them is in the gazetteer too.
    """
    names, first_words = _gazetteer()[1], _place_first_words()
    words = [t.text.lower().replace("’", "'") if t.kind == "word" else "" for t in tokens]
    marks: set[int] = set()
    i = 0
    while i < len(words):
        if words[i] in first_words:
            for n in range(min(4, len(words) - i), 0, -1):
                if all(words[i:i + n]) and " ".join(words[i:i + n]) in names:
                    marks.update(range(i, i + n))
                    i += n - 1
                    break
        i += 1
    return marks


def _kinds(tokens: list[Token]) -> list[str]:
    places = _place_marks(tokens)
    return [_classify(t, i in places) for i, t in enumerate(tokens)]


def _ends_sentence(token: Token, kind: str) -> bool:
    return token.dot and kind not in {"honorific", "initial"} and token.text.lower() not in _ABBREVIATIONS


def _clean(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end
