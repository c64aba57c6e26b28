"""Meeting facts from a news item: is it about a meeting, which kind, when, where, who held it,
how many came, who spoke, what they asked for and by when.

Whether it reports a meeting, and which kind, is read in meeting_mentions.

Dates, places and organisers are taken from the sentences about the meeting first, then
from sentences that say something was held, then (dates only) from quoted speech. The page's
own date line is never the meeting date: it says when the page was published, and it stands in
for published_at when that is not given. A range gives its first day.

Officials are the people named with a role, in order of mention, then the writers credited on
a "Kontributor:/Penulis:" line (the labelled data counts them); sign-off initials such as
"(Wahono/rf)" are left out. Participants is the first head count ("diikuti oleh 705 peserta").
Instructions are sentences with a directive word (meminta, agar, harus, ...) said by someone:
the sentence, or an earlier one in its paragraph, quotes or names a speaker. A deadline's date
comes from its own words; a duration ("dalam waktu 7 hari [kerja]") counts from the meeting
date, else from the publication date; "sebelum Agustus 2021" is 31 July 2021.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from satupintu.situation.nlp.dates import (
    MONTH_PATTERN,
    DateMention,
    date_mentions,
    last_day_of_month,
    month_number,
    publication_mention,
    resolve_day_month,
    safe_date,
    word_starts,
)
from satupintu.situation.nlp.entities import (
    Person,
    Span,
    find_bylines,
    find_people,
    merge_people,
    organisation_mentions,
    venue_mentions,
)
from satupintu.situation.nlp.meeting_mentions import (
    MEETING_NAME,
    MEETING_STEMS,
    Sentence,
    read_mentions,
)
from satupintu.situation.nlp.regions import _gazetteer

MEETING_TYPES = ("rakernas", "rakerwil", "rakor", "rapat-kerja", "lainnya")
MAX_INSTRUCTIONS = 10
MAX_INSTRUCTION_CHARS = 300

_HELD_WORDS = frozenset("""
dilaksanakan digelar diadakan diselenggarakan berlangsung dibuka bertempat menggelar mengadakan melaksanakan
menyelenggarakan mulai
""".split())
_ROLE_WORDS = frozenset("""
menag menteri wamenag sekjen dirjen kakanwil kakankemenag kakan kepala ketua kabag kabid kasubbag kasi rektor bupati
walikota wali gubernur camat
""".split())
_DIRECTIVE_WORDS = frozenset("""
meminta minta diminta menginstruksikan mengintruksikan menginstruksi instruksikan instruksi mengarahkan arahan
menekankan ditekankan agar harus wajib diwajibkan diharapkan berharap mengharapkan berpesan pesannya mengimbau
menghimbau diimbau dihimbau mengajak memerintahkan supaya hendaknya jangan mari
""".split())
_HOLDER_VERB = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?(?:kembali\s+|akan\s+|telah\s+|resmi\s+)?"
                          r"(?:menggelar|mengadakan|melaksanakan|menyelenggarakan)(?![\w])", re.IGNORECASE)
_HELD_BY = re.compile(r"(?:diselenggarakan|digelar|dilaksanakan|diadakan|diinisiasi|difasilitasi)\s+oleh\s+$",
                      re.IGNORECASE)
_NAME_GAP = re.compile(r"[\s\w().,/-]*")
_LETTERS = re.compile(r"[^\W\d_]+")
_NAME_GAP_LOWER_WORDS = {"dalam", "lingkup", "di", "lingkungan", "tingkat", "se", "dan"}
_AT_PLACE = re.compile(r"(?:bertempat\s+|berlokasi\s+)?di\s+$", re.IGNORECASE)
_AT_REGION = re.compile(r"(?<![\w])di\s+((?:Kota|Kabupaten|Kab\.|Provinsi)\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})")

_NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d{1,6})"
# "diikuti oleh 705 peserta", "dihadiri 25 orang"; tried where those words are.
_ATTENDED_BY = re.compile(
    r"(?:diikuti|dihadiri)\s+(?:oleh\s+)?(?:sebanyak\s+|sekitar\s+|kurang\s+lebih\s+|lebih\s+dari\s+|±\s*"
    rf"|hampir\s+)?{_NUMBER}\s+(?!tahun|hari|bulan|persen|jam|menit|kali)[^\W\d]",
    re.IGNORECASE,
)
# "sebanyak 120 peserta", "25 orang peserta", "300 undangan": the number just before the word.
_COUNT_BEFORE = re.compile(rf"(?<![\w.]){_NUMBER}\s+(?:orang\s+)?$")
# "peserta berjumlah 120".
_COUNT_AFTER = re.compile(rf"peserta\s+(?:yang\s+hadir\s+)?(?:berjumlah|sebanyak|sejumlah|mencapai|tercatat)\s+"
                          rf"{_NUMBER}", re.IGNORECASE)
_COUNT_WORDS = ("diikuti", "dihadiri", "peserta", "undangan")
_YEAR = r"(?:19|20)\d\d(?!\d)"
_NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
                 "sembilan": 9, "sepuluh": 10}
_DEADLINE = re.compile(
    r"(?<![\w])(?P<lead>paling\s+lambat|selambat-lambatnya|batas\s+(?:waktu|akhir)(?:\s+[a-z]+)?|tenggat(?:\s+waktu)?"
    r"|deadline|sebelum|maksimal|paling\s+lama|dalam\s+(?:jangka\s+)?waktu)\s+(?:tanggal\s+|tgl\.?\s*|pada\s+)?(?:"
    rf"(?P<d>\d{{1,2}})\s+(?P<dm>{MONTH_PATTERN})(?:\s*,?\s*(?P<dy>{_YEAR}))?"
    rf"|(?P<edge>akhir|awal|pertengahan)\s+(?:bulan\s+)?(?P<em>{MONTH_PATTERN})(?:\s*(?P<ey>{_YEAR}))?"
    r"|akhir\s+(?P<eu>bulan|tahun|pekan|minggu)(?:\s+ini)?(?![\w])"
    rf"|(?:bulan\s+)?(?P<mm>{MONTH_PATTERN})(?:\s*(?P<my>{_YEAR}))?"
    r"|(?P<nd>\d{1,2})/(?P<nm>\d{1,2})(?:/(?P<ny>\d{4}))?(?![\d/])"
    r"|(?P<count>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s*(?P<unit>hari|minggu|pekan|bulan)(?![\w])"
    r"(?P<work>\s+kerja)?"
    r")",
    re.IGNORECASE,
)
# "paling lambat" takes a date or a duration; these take only a duration ("dalam waktu 7 hari").
_DATE_OR_DURATION_LEADS = ("paling lambat", "selambat-lambatnya")
_DURATION_LEADS = ("maksimal", "paling lama", "dalam")
_DEADLINE_WORDS = ("paling lambat", "selambat-lambatnya", "batas", "tenggat", "deadline", "sebelum", "maksimal",
                   "paling lama", "dalam waktu", "dalam jangka")

# The writer's initials closing the article: "(qq)", "(Wahono/rf)".
_TRAILING_SIGNOFF = re.compile(r"\s*\([^()\s]{1,30}\)\s*$")


@dataclass(frozen=True)
class _Reading:
    kind: str
    sentences: list[Sentence]
    reporting: set[int]  # indexes of sentences that report the meeting
    held: set[int]  # ... that say something was held
    speech: set[int]  # ... that quote or report speech
    starts: list[int]  # sentence starts, to find a position's sentence by bisection

    def sentence_at(self, pos: int) -> int | None:
        index = bisect.bisect_right(self.starts, pos) - 1
        return index if index >= 0 and pos < self.sentences[index].end else None

    def tiers(self) -> list[set[int]]:
        """Sentences to look in, most telling first: about the meeting, about something held, speech."""
        return [self.reporting, self.held, self.speech]


def _read_meeting(text: str, title: str) -> _Reading | None:
    found = read_mentions(text, title)
    if found is None:
        return None
    sentences = found.sentences
    held = {i for i, s in enumerate(sentences) if s.words & _HELD_WORDS}
    speech = {i for i, s in enumerate(sentences) if s.spoken}
    return _Reading(found.kind, sentences, found.reporting, held, speech, [s.start for s in sentences])


# -- when -------------------------------------------------------------------------------------------------------


# "dijadwalkan Sabtu 20 Agustus 2022 mendatang": a day to come; "dilansir Rabu (15/11/2023)": when
# it was published; "Denpasar, 16 Juni 2017 - Bidang ...": the writer's dateline. None is the day held.
_FUTURE_BEFORE = re.compile(r"(?:dijadwalkan|direncanakan|rencananya|akan\s+(?:di\w+|berlangsung))[^.\n]{0,30}$",
                            re.IGNORECASE)
_FUTURE_AFTER = re.compile(r"\s*\)?\s*(?:mendatang|nanti)(?![\w])", re.IGNORECASE)
_PUBLISHED_BEFORE = re.compile(r"(?:dilansir|dikutip|diakses|diunggah|dipublikasikan|diterbitkan)\s+(?:pada\s+)?"
                               r"(?:\w+\s*,?\s*)?$", re.IGNORECASE)
_DATELINE_BEFORE = re.compile(r"(?:^|[\n)])\s*[A-Z][\w.]*(?:\s*/?\s+[A-Z][\w.]*){0,4}\s*,\s*(?:\w+\s*,\s*)?$")
_DATELINE_AFTER_DATE = re.compile(r"\s*[-–—]\s")


def _not_when_held(text: str, m: DateMention) -> bool:
    before = text[max(0, m.start - 60):m.start]
    return bool(_FUTURE_BEFORE.search(before) or _FUTURE_AFTER.match(text, m.end)
                or _PUBLISHED_BEFORE.search(text[max(0, m.start - 40):m.start])
                or (_DATELINE_BEFORE.search(before) and _DATELINE_AFTER_DATE.match(text, m.end)))


def _meeting_date(mentions: list[DateMention], reading: _Reading, skip: list[tuple[int, int]]) -> datetime.date | None:
    candidates = [(m, reading.sentence_at(m.start)) for m in mentions
                  if not any(m.start < end and m.end > start for start, end in skip)]
    for tier in reading.tiers():
        for mention, index in candidates:
            if index in tier:
                return mention.date
    return None


# -- where, by whom ---------------------------------------------------------------------------------------------


def _in_tier(span_start: int, reading: _Reading, tier: set[int]) -> bool:
    return reading.sentence_at(span_start) in tier


def _meeting_place(text: str, reading: _Reading) -> str | None:
    venues = venue_mentions(text)
    reporting, held = reading.reporting, reading.held
    for venue in venues:
        if _in_tier(venue.start, reading, reporting):
            return venue.text
    for venue in venues:
        if _in_tier(venue.start, reading, held) and _AT_PLACE.search(text, max(0, venue.start - 20), venue.start):
            return venue.text
    return _region_place(reading, reporting | held)


def _region_place(reading: _Reading, tier: set[int]) -> str | None:
    """"... digelar di Makassar": a region named right after "di" in a sentence about the meeting."""
    names = _gazetteer()[1]
    for index in sorted(tier):
        for m in _AT_REGION.finditer(reading.sentences[index].text):
            words = m.group(2).split()
            for n in range(len(words), 0, -1):
                candidate = " ".join(words[:n])
                if candidate.lower() in names or f"{(m.group(1) or '').strip()} {candidate}".lower() in names:
                    return f"{m.group(1) or ''}{candidate}"
    return None


def _organiser(text: str, reading: _Reading) -> str | None:
    organisations = organisation_mentions(text)
    reporting = reading.reporting
    holders = [o for o in organisations if _HOLDER_VERB.match(text, o.end)]
    for org in holders:
        if _in_tier(org.start, reading, reporting):
            return org.text
    for org in organisations:
        if _HELD_BY.search(text, max(0, org.start - 40), org.start):
            return org.text
    named = _named_in_meeting(text, reading, organisations)
    if named:
        return named
    held = [o for o in holders if _in_tier(o.start, reading, reading.held)]
    return held[0].text if held else None


def _named_in_meeting(text: str, reading: _Reading, organisations: tuple[Span, ...]) -> str | None:
    """"Rapat Koordinasi dalam Lingkup Kantor Kementerian Agama Provinsi ...": the holder in the name."""
    for index in sorted(reading.reporting):
        sentence = reading.sentences[index]
        for m in MEETING_NAME.finditer(sentence.text):
            mention_end = sentence.start + m.end()
            for org in organisations:
                if mention_end <= org.start <= mention_end + 80 and _plain_gap(text[mention_end:org.start]):
                    return org.text
    return None


def _plain_gap(gap: str) -> bool:
    if not _NAME_GAP.fullmatch(gap) or "." in gap.replace("Prov.", "").replace("Kab.", ""):
        return False
    return all(w[0].isupper() or w.lower() in _NAME_GAP_LOWER_WORDS for w in _LETTERS.findall(gap))


# -- how many, who ----------------------------------------------------------------------------------------------


def _participants(text: str) -> int | None:
    """The first head count: "diikuti oleh 705 peserta", "sebanyak 120 peserta", "peserta berjumlah 40"."""
    for pos in word_starts(text.lower(), _COUNT_WORDS):
        if text[pos].lower() == "d":
            m = _ATTENDED_BY.match(text, pos)
        else:
            m = _COUNT_BEFORE.search(text, max(0, pos - 25), pos) or _COUNT_AFTER.match(text, pos)
        if m:
            return int(m.group(1).replace(".", ""))
    return None


def _officials(text: str, title: str) -> list[str]:
    people = find_people(text, title)
    bylines = [p for p in merge_people(find_bylines(text, signoffs=False))
               if p.name.lower() not in {q.name.lower() for q in people}]
    return [f"{p.name}, {p.role}" for p in people + bylines]


# -- what was asked, by when -----------------------------------------------------------------------------------


def _trim(sentence: str) -> str:
    sentence = " ".join(_TRAILING_SIGNOFF.sub("", sentence).split())
    if len(sentence) <= MAX_INSTRUCTION_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, MAX_INSTRUCTION_CHARS - 1)
    return sentence[:cut if cut > 0 else MAX_INSTRUCTION_CHARS - 1] + "…"


def _instructions(reading: _Reading, people: list[Person]) -> list[str]:
    """Sentences that ask for something, said by someone: a quote, a speech verb, a role or a name
    in the sentence or earlier in its paragraph."""
    names = {p.name.split()[-1].lower() for p in people}
    found: list[str] = []
    spoken_paragraph = -1
    for index, sentence in enumerate(reading.sentences):
        spoken = index in reading.speech or bool(sentence.words & _ROLE_WORDS) or bool(sentence.words & names)
        if spoken:
            spoken_paragraph = sentence.paragraph
        if (spoken or spoken_paragraph == sentence.paragraph) and sentence.words & _DIRECTIVE_WORDS:
            trimmed = _trim(sentence.text)
            if trimmed not in found:
                found.append(trimmed)
            if len(found) == MAX_INSTRUCTIONS:
                break
    return found


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add_working_days(day: datetime.date, count: int) -> datetime.date:
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _after_duration(m: re.Match[str], base: datetime.date | None) -> datetime.date | None:
    if base is None:
        return None
    count_word = m.group("count").lower()
    count = _NUMBER_WORDS.get(count_word) or int(count_word)
    unit = m.group("unit").lower()
    if unit == "hari":
        return _add_working_days(base, count) if m.group("work") else base + datetime.timedelta(days=count)
    if unit in {"minggu", "pekan"}:
        return base + datetime.timedelta(weeks=count)
    return _add_months(base, count)


def _end_of(unit: str, reference: datetime.date | None) -> datetime.date | None:
    if reference is None:
        return None
    if unit == "bulan":
        return last_day_of_month(reference.year, reference.month)
    if unit == "tahun":
        return datetime.date(reference.year, 12, 31)
    return reference + datetime.timedelta(days=(6 - reference.weekday()) % 7)  # the coming Sunday


def _month_deadline(m: re.Match[str], reference: datetime.date | None) -> datetime.date | None:
    """"sebelum Agustus 2021" -> 31 July 2021; "akhir Maret" -> 31 March; "awal April" -> 1 April."""
    edge = (m.group("edge") or "").lower()
    month = month_number(m.group("em") or m.group("mm"))
    year = m.group("ey") or m.group("my")
    if month is None:
        return None
    if not edge and m.group("lead").lower() == "sebelum":
        month, edge = (month - 1 or 12), "akhir"
        year = str(int(year) - 1) if year and month == 12 else year
    day = {"awal": 1, "pertengahan": 15}.get(edge)
    if year:
        return datetime.date(int(year), month, day) if day else last_day_of_month(int(year), month)
    if reference is None:
        return None
    if day is None:
        day = calendar.monthrange(reference.year, month)[1]
    return resolve_day_month(day, month, reference)


def _deadline_date(m: re.Match[str], reference: datetime.date | None,
                   base: datetime.date | None) -> datetime.date | None:
    if m.group("d"):
        month = month_number(m.group("dm"))
        if month is None:
            return None
        if m.group("dy"):
            return safe_date(int(m.group("dy")), month, int(m.group("d")))
        return resolve_day_month(int(m.group("d")), month, reference)
    if m.group("nd"):
        day, month = int(m.group("nd")), int(m.group("nm"))
        if m.group("ny"):
            return safe_date(int(m.group("ny")), month, day)
        return resolve_day_month(day, month, reference) if 1 <= month <= 12 else None
    if m.group("eu"):
        return _end_of(m.group("eu").lower(), reference)
    if m.group("count"):
        return _after_duration(m, base)
    return _month_deadline(m, reference)


def _lead_fits(m: re.Match[str]) -> bool:
    """"sebelum 7 hari" and "dalam waktu Agustus" are no deadlines."""
    lead = " ".join(m.group("lead").lower().split())
    if lead.startswith(_DATE_OR_DURATION_LEADS):
        return True
    return bool(m.group("count")) == lead.startswith(_DURATION_LEADS)


def _deadline_matches(text: str) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    for pos in word_starts(text.lower(), _DEADLINE_WORDS):
        m = _DEADLINE.match(text, pos)
        if m is None or (found and m.start() < found[-1].end()):
            continue
        if _lead_fits(m):
            found.append(m)
    return found


def _deadlines(matches: list[re.Match[str]], reference: datetime.date | None,
               base: datetime.date | None) -> list[dict]:
    found = []
    for m in matches:
        when = _deadline_date(m, reference, base)
        found.append({"text": " ".join(m.group().split()).rstrip("."), "date": when.isoformat() if when else None})
    return found


# -- all together -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _find_meeting(text: str, title: str, published_at: datetime.date | None) -> tuple | None:
    lowered = f"{title}\n{text}".lower()
    if not any(stem in lowered for stem in MEETING_STEMS):
        return None  # most news is not about a meeting: settle it with a few substring tests
    reading = _read_meeting(text, title)
    if reading is None:
        return None
    header = publication_mention(text)
    reference = published_at or (header.date if header else None)
    deadline_matches = _deadline_matches(text)
    skip = [(m.start(), m.end()) for m in deadline_matches] + ([(header.start, header.end)] if header else [])
    mentions = date_mentions(text, reference)
    skip += [(m.start, m.end) for m in mentions if _not_when_held(text, m)]
    when = _meeting_date(mentions, reading, skip)
    deadlines = _deadlines(deadline_matches, reference, when or reference)
    people = find_people(text, title)
    return (
        ("type", reading.kind),
        ("date", when.isoformat() if when else None),
        ("place", _meeting_place(text, reading)),
        ("organiser", _organiser(text, reading)),
        ("participants", _participants(text)),
        ("officials", tuple(_officials(text, title))),
        ("instructions", tuple(_instructions(reading, people))),
        ("deadlines", tuple(tuple(d.items()) for d in deadlines)),
    )


def find_meeting(text: str, title: str = "", published_at: datetime.date | None = None) -> dict | None:
    """None unless the item reports a meeting; else
    {"type", "date", "place", "organiser", "participants", "officials", "instructions", "deadlines"}.

    Without published_at, the page's own date line stands in for it when there is one.
    """
    if isinstance(published_at, datetime.datetime):
        published_at = published_at.date()
    found = _find_meeting(text or "", title or "", published_at)
    if found is None:
        return None
    meeting = dict(found)
    meeting["officials"] = list(meeting["officials"])
    meeting["instructions"] = list(meeting["instructions"])
    meeting["deadlines"] = [dict(d) for d in meeting["deadlines"]]
    return meeting
