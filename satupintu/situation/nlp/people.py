"""People (with their role) in Indonesian news and Humas releases: officials and bylines.

Rules, not a trained tagger: the ministry's releases name officials in a handful of fixed
shapes, and a rule can be read and corrected by an officer.

- role then name: "Kepala Kantor Kementerian Agama Kabupaten Luwu Utara, M.Rusydi Hasyim",
  "Menteri Agama (Menag) Yaqut Cholil Qoumas", "Kasubbag TU Abdurrosyid";
- name then role: "Khaeroni, Kakanwil Kemenag Sulsel", "Sofia Nur Kepala Kantor ...";
- bylines: "Kontributor: Name", "Penulis: Name", and sign-offs "(Humas/Name)", "(Name/rf)".

A role is a known head ("Kakanwil", "Kepala Bidang", "Bupati", ...) plus the words that say
where ("Kemenag Prov. Jateng", "Tim HDI Kanwil Kemenag Sulsel"): organisation and unit words,
acronyms, and place names from the region gazetteer. The first capitalised word that is none
of these starts the name. A name never contains a role word, an organisation word or a place.

Names keep their prefix honorifics as written ("H. Mawardy Siradj", "Dr. ..."), as the ministry
writes them; academic degrees after the name (", S.Ag., M.Pd.") are dropped, because writers add
or omit them at will. Names are compared without honorifics, so "H. Khaeroni" and "Khaeroni"
are one person. Straight apostrophes replace curly ones ("Musta'in").

Title-case lines (headlines, "Kakanwil Sulsel Buka Rakor") are skipped when looking for people:
every word is capitalised there, so a name cannot be told from the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from satupintu.situation.nlp.entity_lexicon import (
    _ACADEMIC,
    _ACTING,
    _FUNCTION_WORDS,
    _HONORIFICS,
    BYLINE_LABELS,
    ROLE_HEADS,
    _alternatives,
    _first_words,
)
from satupintu.situation.nlp.entity_tokens import (
    Token,
    _clean,
    _ends_sentence,
    _heads,
    _kinds,
    _line_bounds,
    _tokens,
)

_ROLE_HEAD = re.compile(
    r"(?:(?:" + "|".join(_ACTING) + r")\.?\s+)?(?:" + "|".join(_alternatives(ROLE_HEADS)) + r")(?![\w'’])"
)
_ROLE_FIRST_WORDS = _first_words(ROLE_HEADS + _ACTING)

_MAX_ROLE_TOKENS = 14
_MAX_NAME_WORDS = 5
_FORWARD_CHARS = 160
_BACKWARD_CHARS = 100
_CONNECTORS = r"(?:dan|se|bin|binti|al|el|van|der|de)(?![\w'’-])"
# A lower-case word ends a role and a name; connectors and name particles do not.
# After a head, a lower-case word ("Menag meminta"), a comma and one ("Menag, antara lain") or closing
# punctuation ("kata Menag.") leave no room for a name.
_NO_NAME_AFTER = re.compile(r"[^\S\n]*,?[^\S\n]*(?:[.;:!?)”\"’]|(?!" + _CONNECTORS + r")[a-z])")
_FIRST_LOWER = re.compile(r"(?<![\w'’.-])(?!" + _CONNECTORS + r")[a-z]")
_NON_SPACE = re.compile(r"\S+")
_LINE_WORDS = re.compile(r"[^\W\d_][\w'’]*")
_PARTICLE_WORDS = ("dan", "se", "bin", "binti", "al", "el", "van", "der", "de")

_LABELLED_BYLINE = re.compile(
    r"^[ \t]*(?P<label>" + "|".join(BYLINE_LABELS) + r")[ \t]*:[ \t]*(?P<value>[^\n|]{2,80})", re.M | re.I
)
# "(Humas/Maharani)" or "(Wahono/rf)" closing a paragraph.
_SIGNOFF = re.compile(r"\((?P<a>[A-Za-z][\w .'’]{0,40}?)\s*/\s*(?P<b>[A-Za-z][\w .'’]{0,40}?)\)[ \t]*(?=\n|$)")
_INITIALS = re.compile(r"[a-z]{1,4}|[A-Z]{1,3}")


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    start: int
    byline: str = ""  # "label" for "Kontributor: X", "signoff" for "(Humas/X)"


# -- names ------------------------------------------------------------------------------------------------------


def _name_from(tokens: list[Token], kinds: list[str], i: int) -> tuple[int, int] | None:
    """The name starting at token i as (first, last) token indexes, or None."""
    first, last, words = i, None, 0
    while i < len(tokens) and kinds[i] == "honorific":
        last = i
        if _ends_sentence(tokens[i], kinds[i]):
            return None
        i += 1
    while i < len(tokens) and words <= _MAX_NAME_WORDS:
        kind = kinds[i]
        # "bin", "al" ... only between two name words: "Abdul Rahman bin Yusuf"
        particle = kind == "particle" and i + 1 < len(tokens) and kinds[i + 1] == "name"
        if not particle and (kind not in {"name", "initial"} or _is_academic(tokens[i])):
            break
        if not particle:
            words += kind == "name"
            last = i
            if _ends_sentence(tokens[i], kind):
                break
        i += 1
    if last is None or words == 0 or words > _MAX_NAME_WORDS:
        return None
    return first, last


def _name_text(text: str, tokens: list[Token], kinds: list[str], first: int, last: int) -> str:
    keep_dot = tokens[last].dot and kinds[last] in {"initial", "honorific"}
    return _clean(text[tokens[first].start:tokens[last].end + keep_dot])


def _is_academic(token: Token) -> bool:
    return token.kind == "word" and bool(_ACADEMIC.fullmatch(token.text + ("." if token.dot else "")))


def _enumerated(text: str, head: re.Match[str], tokens: list[Token], after: int) -> bool:
    """"Kasi, Gara, Kamad, Pojakwas, ...": the word after "Role," sits in a comma list of short names."""
    while after + 1 < len(tokens) and tokens[after].text == "," and _is_academic(tokens[after + 1]):
        after += 2  # ", S.Ag., M.Pd." belongs to the name
    if after >= len(tokens) or tokens[after].text != ",":
        return False
    next_is_single = after + 2 < len(tokens) and tokens[after + 1].kind == "word" and tokens[after + 2].text == ","
    return next_is_single or text[:head.start()].rstrip().endswith(",")


def _plausible(name: str, in_list: bool) -> bool:
    words = [w for w in name.split() if w.lower().rstrip(".") not in _HONORIFICS]
    # A single word inside an enumeration is as likely a unit's short name as a person.
    return bool(words) and not (len(words) == 1 and in_list)


# -- role then name, name then role ----------------------------------------------------------------------------


def _title_case(line: str) -> bool:
    """A headline: no closing full stop, and (nearly) every word capitalised."""
    line = line.strip()
    if line.endswith((".", "?", "!", "”", '"', ")", ",")):
        return False
    words = _LINE_WORDS.findall(line)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.85 * len(words)


def _role_text(text: str, head: re.Match[str], tokens: list[Token], kinds: list[str], upto: int) -> str:
    """Head plus its where-words up to token index upto (exclusive), without a trailing connector and
    without the abbreviation that follows the head ("Menteri Agama (Menag)" -> "Menteri Agama")."""
    while upto > 0 and kinds[upto - 1] == "conn":
        upto -= 1
    end = tokens[upto - 1].end if upto else head.end()
    if upto and tokens[0].kind == "paren":
        return _clean(head.group() + text[tokens[0].end:end])
    return _clean(text[head.start():end])


def _forward(text: str, head: re.Match[str], line_end: int) -> tuple[list[Token], list[str]]:
    """Tokens after a role head up to the first lower-case word: the role's where-words, maybe a name."""
    limit = min(line_end, head.end() + _FORWARD_CHARS)
    if _NO_NAME_AFTER.match(text, head.end(), limit):
        return [], []  # the common case, settled without tokenising
    lower = _FIRST_LOWER.search(text, head.end(), limit)
    tokens = _tokens(text, head.end(), lower.start() if lower else limit)
    return tokens, _kinds(tokens)


def _where_length(tokens: list[Token], kinds: list[str]) -> int:
    """How many tokens after the head are the role's where-words ("Kemenag Prov. Jateng")."""
    n = 0
    while n < len(tokens) and n < _MAX_ROLE_TOKENS and kinds[n] in {"role", "conn"}:
        n += 1
        if _ends_sentence(tokens[n - 1], kinds[n - 1]):
            break
    return n


def _role_then_name(text: str, head: re.Match[str], tokens: list[Token], kinds: list[str]) -> Person | None:
    n, sentence_ended = 0, False
    while n < len(tokens) and n < _MAX_ROLE_TOKENS and kinds[n] in {"role", "name", "honorific", "initial",
                                                                    "particle", "conn"}:
        n += 1
        if _ends_sentence(tokens[n - 1], kinds[n - 1]):
            sentence_ended = True
            break
    # "Role ..., Name": the comma says where the role ends.
    if not sentence_ended and n < len(tokens) and tokens[n].text == ",":
        span = _name_from(tokens, kinds, n + 1)
        if span:
            name = _name_text(text, tokens, kinds, *span)
            listed = _enumerated(text, head, tokens, span[1] + 1)
            if _plausible(name, listed):
                return Person(name, _role_text(text, head, tokens, kinds, n), tokens[span[0]].start)
    # "Role Name": the name is the last run of name words, with nothing of the role after it.
    last = n - 1
    while last >= 0 and kinds[last] == "conn":
        last -= 1
    first = last
    while first >= 0 and kinds[first] in {"name", "initial", "honorific", "particle"}:
        first -= 1
    first += 1
    if first > last:
        return None
    span = _name_from(tokens, kinds, first)
    if not span or span[1] != last:
        return None
    name = _name_text(text, tokens, kinds, *span)
    if not _plausible(name, False):
        return None
    return Person(name, _role_text(text, head, tokens, kinds, first), tokens[first].start)


def _capitalised_before(text: str, head: re.Match[str], line_start: int) -> bool:
    before = text[max(line_start, head.start() - 40):head.start()].rstrip(" \t\xa0,").split()
    return bool(before) and before[-1][0].isupper()


def _run_start(text: str, start: int, end: int) -> int:
    """Where the capitalised run ending at end begins: after the last lower-case word before it."""
    words = list(_NON_SPACE.finditer(text, start, end))
    for word in reversed(words):
        if word.group()[0].islower() and word.group() not in _PARTICLE_WORDS:
            return word.start()  # kept: the word before a name says whether the name stands alone
    return start


def _name_then_role(text: str, head: re.Match[str], line_start: int, role: str) -> Person | None:
    lo = max(line_start, head.start() - _BACKWARD_CHARS)
    tokens = _tokens(text, _run_start(text, lo, head.start()), head.start())
    kinds = _kinds(tokens)
    i = len(tokens) - 1
    while i >= 0 and (tokens[i].text == "," or _is_academic(tokens[i])):
        i -= 1  # "Khaeroni, Kakanwil", "H. Jamaris, S.Ag., M.Pd., Kepala ..."
    last = i
    if last < 0 or _ends_sentence(tokens[last], kinds[last]):
        return None  # "..., tegas Khaeroni. Kakanwil juga ...": the name closed the previous sentence
    while i >= 0 and kinds[i] in {"name", "initial", "honorific", "particle"} and not (
            i < last and _ends_sentence(tokens[i], kinds[i])):
        i -= 1
    first = i + 1
    if first > last:
        return None
    # The word before the name must close what came before (lower case, punctuation, the line start);
    # "Hotel Grand Clarion, Kakanwil" is a venue, not a person.
    if i >= 0 and tokens[i].kind == "word" and tokens[i].text[0].isupper() and \
            tokens[i].text.lower() not in _FUNCTION_WORDS and not _ends_sentence(tokens[i], kinds[i]):
        return None
    span = _name_from(tokens, kinds, first)
    if not span or span[1] != last:
        return None
    name = _name_text(text, tokens, kinds, *span)
    # "Kasi, Gara, Kamad, Pojakwas": a comma list of bare roles and short names.
    listed = i >= 0 and tokens[i].text == "," and text[head.end():head.end() + 2].strip().startswith(",")
    return Person(name, role, tokens[first].start) if _plausible(name, listed) else None


def _officials(text: str) -> list[Person]:
    people: list[Person] = []
    title_lines: dict[int, bool] = {}
    for head in _heads(text, _ROLE_HEAD, _ROLE_FIRST_WORDS):
        line_start, line_end = _line_bounds(text, head.start())
        if line_start not in title_lines:
            title_lines[line_start] = _title_case(text[line_start:line_end])
        if title_lines[line_start] or text[head.start() - 1:head.start()] == "(":
            continue  # a headline, or "(Menag)" spelling out the role just named
        tokens, kinds = _forward(text, head, line_end)
        person = _role_then_name(text, head, tokens, kinds)
        if person is None and _capitalised_before(text, head, line_start):
            role = _role_text(text, head, tokens, kinds, _where_length(tokens, kinds))
            person = _name_then_role(text, head, line_start, role)
            # A name already given a role by the head before it ("Kepala KUA A, Ahmad, Kepala KUA B")
            # is not the next head's.
            if person is not None and any(p.start == person.start for p in people):
                person = None
        if person is not None:
            people.append(person)
    return people


# -- bylines ----------------------------------------------------------------------------------------------------


def _name_in(text: str, start: int, end: int) -> tuple[str, int] | None:
    tokens = _tokens(text, start, end)
    kinds = _kinds(tokens)
    span = _name_from(tokens, kinds, 0) if tokens else None
    if not span:
        return None
    return _name_text(text, tokens, kinds, *span), tokens[span[0]].start


def find_bylines(text: str, signoffs: bool = True) -> list[Person]:
    """Writers: "Kontributor: Name" lines and, with signoffs, "(Humas/Name)" or "(Name/rf)"."""
    found: list[Person] = []
    for m in _LABELLED_BYLINE.finditer(text):
        named = _name_in(text, m.start("value"), m.end("value"))
        if named:
            found.append(Person(named[0], BYLINE_LABELS[m.group("label").lower()], named[1], "label"))
    if not signoffs:
        return found
    for m in _SIGNOFF.finditer(text):
        a, b = m.group("a").strip(), m.group("b").strip()
        if a.lower().startswith(("humas", "hdi", "kontributor")):
            named = _name_in(text, m.start("b"), m.end("b"))
        elif _INITIALS.fullmatch(b):
            named = _name_in(text, m.start("a"), m.end("a"))
        else:
            named = None
        if named:
            found.append(Person(named[0], "Penulis", named[1], "signoff"))
    return found


# -- people -----------------------------------------------------------------------------------------------------


def person_key(name: str) -> str:
    """A name without honorifics, dots and case: "H. Khaeroni" and "Khaeroni" are one person."""
    words = (w.rstrip(".") for w in _clean(name).lower().replace(".", ". ").split())
    return " ".join(w for w in words if w and w not in _HONORIFICS)


def merge_people(people: list[Person]) -> list[Person]:
    """One entry per person, in the order given, with the longest name and role seen."""
    merged: dict[str, Person] = {}
    for person in people:
        key = person_key(person.name)
        if not key:
            continue
        known = merged.get(key)
        if known is None:
            merged[key] = person
            continue
        name = person.name if len(person.name) > len(known.name) else known.name
        role = person.role if len(person.role) > len(known.role) else known.role
        merged[key] = Person(name, role, known.start, known.byline if known.byline else person.byline)
    return list(merged.values())


@lru_cache(maxsize=32)
def _people(text: str) -> tuple[Person, ...]:
    return tuple(merge_people(sorted(_officials(text), key=lambda p: p.start)))


def find_people(text: str, title: str = "") -> list[Person]:
    """Officials and other people named with a role, title first, bylines not included.

    Title and text are read apart (and cached apart), so find_meeting, which works on the text's
    own positions, reuses what find_entities found.
    """
    return merge_people(list(_people(title or "")) + list(_people(text or "")))
