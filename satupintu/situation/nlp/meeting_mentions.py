"""Which meeting a news item reports, if any, and of which kind (meeting_type in the labelling rules).

An item reports a meeting when a meeting word (rakor, rakernas, rapat kerja, musyawarah, ...)
comes with a word of holding or attending it ("menggelar", "mengikuti", "dibuka", "pada Rakor ..."),
refers back to it ("Rapat kerja ... ini", "Rakor tersebut"), or starts a headline or caption that
gives its day. A sentence that defines the word ("Rakor adalah singkatan dari ..."), says what
meetings usually do, follows up an earlier meeting ("menindaklanjuti hasil Rakernas"), names a
room ("Aula Rapat") or says where someone is ("yang sedang mengikuti Rakernas di Jakarta") does
not count, and it does not decide the meeting's type either: the meeting the item reports on does.

The type follows the name: Rakerwil/Rapat Kerja Wilayah, Rapat Kerja/Raker (Rakerda too), Rakernas,
Rapat Koordinasi/Rakor (Rakorwil, Rakordasi too), anything else "lainnya". When several are named,
the reported one is the name given most weight, the first (title or lead) counting double; a
meeting held comes before one to come ("Rakor ... yang akan diadakan 22 Juli"), a specific name
before a bare "rapat". Dialogs, sosialisasi, bimtek, pelatihan, audiensi, media gatherings and FGDs
are not meetings: "pertemuan ini" after one of them refers back to it. Links to other articles
("Baca juga: ...") are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from satupintu.situation.nlp.dates import MONTH_PATTERN

# The lookahead on first letters lets the engine skip ahead instead of trying every alternative everywhere.
# "kordinasi" is a common misspelling; "Rakorwil" and "Rakordasi" are coordination meetings (the
# labelling rules type them rakor), as "Rakerda" is a rapat kerja.
MEETING_NAME = re.compile(
    r"(?=[rmpsRMPS])(?<![\w])(?:"
    r"(?P<rakernas>rapat\s+kerja\s+nasional|rakernas)"
    r"|(?P<rakerwil>rapat\s+kerja\s+wilayah|rakerwil)"
    r"|(?P<rakor>rapat\s+ko?ordinasi|rakor(?:nas|wil|dasi|da|tek|pim)?)"
    r"|(?P<raker>rapat\s+kerja|raker(?:da|tek|kab|kot)?)"
    r"|(?P<named>rapat\s+(?:evaluasi|pimpinan|pleno|monitoring|konsolidasi|persiapan|staf|bulanan|mingguan|terbatas"
    r"|dinas|teknis|intern|internal|virtual|daring)|rapim|musyawarah|musker(?:wil|da|nas)?|mus(?:wil|da|nas)|mubes"
    r"|sidang\s+(?:isbat|itsbat|pleno))"
    r"|(?P<generic>rapat|pertemuan)"
    r")(?![\w])",
    re.IGNORECASE,
)
_TYPE_OF_GROUP = {"rakernas": "rakernas", "rakerwil": "rakerwil", "rakor": "rakor", "raker": "rapat-kerja",
                  "named": "lainnya", "generic": "lainnya"}
# Holding or attending a meeting, near the mention; "pada/dalam/saat Rakor" is weaker evidence of the same.
_STRONG_CUE_WORDS = frozenset("""
menggelar digelar gelar mengadakan diadakan adakan melaksanakan dilaksanakan laksanakan menyelenggarakan
diselenggarakan mengikuti diikuti ikuti menghadiri dihadiri hadiri hadir membuka dibuka buka memimpin dipimpin pimpin
berlangsung bertempat berkumpul turut membahas dibahas bahas menutup ditutup melakukan dilakukan lakukan pembukaan
penutupan tuan
""".split())
_WEAK_CUE_WORDS = frozenset("dalam pada saat acara kegiatan sela usai mengawali peserta sambutan".split())
# "Rakor adalah singkatan dari rapat koordinasi": a definition, not a meeting.
_DEFINED_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:adalah|merupakan|ialah|yaitu|yakni|singkatan|kepanjangan"
                            r"|artinya|berarti)(?![\w])", re.IGNORECASE)
_DEFINING_WORDS = frozenset("singkatan kepanjangan istilah disebut dikenal definisi pengertian".split())
# "menindaklanjuti hasil Rakernas": an earlier meeting, not the one reported; "rapat persiapan
# Rakor": a later one (the labelling rules type the meeting held, here a plain rapat).
_FOLLOW_UP_WORDS = frozenset("hasil menindaklanjuti tindaklanjuti lanjut lanjuti keputusan rekomendasi amanat persiapan"
                             .split())
# "dalam rapat antara Komisi IV dan Kanwil", "pertemuan bersama ...": a plain rapat that was held.
_BETWEEN_WORDS = frozenset("antara bersama dengan gabungan".split())
_CUE_WINDOW_BEFORE, _CUE_WINDOW_AFTER = 60, 80
_HABITUAL_WORDS = frozenset({"biasanya", "umumnya", "lazimnya", "seharusnya", "sebaiknya"})
# Sentences are sorted by the words they contain (sets, one pass per sentence), not by a regex each.
_MEETING_WORDS = frozenset("""
rapat rakernas rakerwil rakor rakornas rakorwil rakordasi rakorda rakortek rakorpim raker rakerda rakertek rakerkab
rakerkot rapim musyawarah musker muskerwil muskerda muskernas muswil musda musnas mubes sidang pertemuan
""".split())
# Most news is not about a meeting: a few substring tests settle it before any regex.
MEETING_STEMS = ("rapat", "rakor", "raker", "rapim", "musyawarah", "musker", "muswil", "musda", "musnas", "mubes",
                 "sidang", "pertemuan")
# Audiensi, dialog, sosialisasi, bimtek, pelatihan and media gathering are not meetings (the labelling
# rules); an FGD, a discussion led by speakers, is labelled as not one either, and so are the
# seminar kinds. When the item reports one of these, "pertemuan ini" refers back to it.
_NOT_MEETING = re.compile(
    r"(?=[dsbpmafwlhDSBPMAFWLH])(?<![\w])(?:dialog(?:ue)?|sosialisasi|bimtek|bimbingan\s+teknis|pelatihan|diklat"
    r"|media\s+gh?ath?e?ring|media\s+getring|audiensi|audensi|fgd|focus\s+group\s+discussion"
    r"|diskusi\s+kelompok\s+terpumpun|seminar|webinar|workshop|lokakarya|halal\s*bihalal)(?![\w])",
    re.IGNORECASE,
)
# "Aula Rapat Kakanwil", "ruang pertemuan": a room, not a meeting.
_ROOM_WORDS = frozenset("ruang ruangan aula gedung balai meja kamar hall".split())
# "yang saat ini sedang mengikuti Rakernas", "karena mengikuti Rakor": where someone is, not what is reported.
_ATTEND_WORDS = frozenset({"mengikuti", "menghadiri"})
_ONGOING_WORDS = frozenset({"sedang", "tengah", "masih"})
# "Rakor ... yang akan diadakan 22 Juli", "segera mengikuti Rakor", "pada rakor ini nantinya": a meeting
# to come. The item may report it (an announcement), but a meeting held comes first for the type.
_FUTURE_BEFORE_WORDS = frozenset("""
akan segera rencana rencananya direncanakan dijadwalkan menjelang jelang menyambut sukseskan menyukseskan
""".split())
_FUTURE_AFTER_WORDS = frozenset({"nantinya", "nanti", "mendatang"})
_FUTURE_HELD_WORDS = frozenset("diadakan digelar dilaksanakan diselenggarakan dilakukan berlangsung".split())
# ... unless the same words say it has begun ("Rakor yang akan dilaksanakan tiga hari ini dibuka ...").
_BEGUN_WORDS = frozenset("dibuka dihadiri diikuti ditutup resmi dimulai".split())
# "Rapat kerja Pokjawas PAI ini", "dalam Rakor tersebut": the meeting the item is about.
_ANAPHORA_WORDS = frozenset({"ini", "tersebut", "itu"})
_TIME_WORDS = frozenset("tahun hari bulan minggu pekan saat kali malam pagi siang sore waktu masa periode triwulan "
                        "semester sekarang".split())
# A headline or photo caption: "Rapat koordinasi persiapan kunjungan tim FKUB, (23/10)".
_DAY_AFTER = re.compile(rf"\(\s*\d{{1,2}}\s*/\s*\d{{1,2}}|(?<![\w])\d{{1,2}}\s+{MONTH_PATTERN}", re.IGNORECASE)
# Links to other articles ("Baca juga: Kanwil Gelar Rakorwil ...") are not the item's own report.
_RELATED_LINK = re.compile(r"\W{0,3}(?:baca|lihat|simak)\s+(?:juga|pula)|berita\s+terkait", re.IGNORECASE)
_SPEECH_WORDS = frozenset("""
kata ujar ucap tutur tegas jelas pinta imbuh ungkap papar terang katanya ujarnya ucapnya tuturnya tegasnya jelasnya
pintanya imbuhnya ungkapnya paparnya harapnya pesannya tambahnya menyampaikan mengatakan menuturkan mengungkapkan
menjelaskan menegaskan disampaikan dijelaskan ia beliau dia
""".split())
_QUOTES = ("“", "”", '"')

EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’/-–—…*"
# Starts with one character class, so the engine skips quickly to the next candidate.
_SPLIT = re.compile(r"[.!?\n](?:(?<=\n)\n*|[\"”’)]*[^\S\n]+(?=[\"“‘(A-Z0-9]))")
_NO_SPLIT_AFTER = {"prov", "kab", "kec", "kel", "lt", "jl", "no", "kep", "tgl", "dr", "drs", "dra", "hj", "prof",
                   "kh", "ir", "plt", "plh", "pj", "st", "ust", "bpk", "sdr", "ds"}


class Sentence(NamedTuple):
    start: int
    end: int
    text: str
    paragraph: int
    words: frozenset[str]  # lower case

    @property
    def spoken(self) -> bool:
        return bool(self.words & _SPEECH_WORDS) or any(q in self.text for q in _QUOTES)


# -- sentences --------------------------------------------------------------------------------------------------


def split_sentences(text: str) -> list[Sentence]:
    found: list[Sentence] = []
    start, paragraph = 0, 0
    for m in _SPLIT.finditer(text):
        end = m.start()
        if text[end] != "\n":
            if _abbreviation_before(text, end):
                continue
            end += 1  # keep the full stop with its sentence
        _add_sentence(found, text, start, end, paragraph)
        if m.group()[0] == "\n":
            paragraph += 1
        start = m.end()
    _add_sentence(found, text, start, len(text), paragraph)
    return found


def _abbreviation_before(text: str, dot: int) -> bool:
    """"Prov. Jateng", "H. Mawardy": a full stop after an abbreviation or an initial ends no sentence."""
    tail = text[max(0, dot - 8):dot].split()
    word = tail[-1] if tail else ""
    return word.isalpha() and (len(word) == 1 or word.lower() in _NO_SPLIT_AFTER)


def _add_sentence(found: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        # str.split and strip: several times faster than a word regex or str.translate
        words = frozenset(w.strip(EDGE_PUNCTUATION) for w in stripped.lower().split())
        found.append(Sentence(start + lead, start + lead + len(stripped), stripped, paragraph, words))


# -- is it a meeting, and which ------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    return [w.strip(EDGE_PUNCTUATION) for w in text.lower().split()]


class _Mention(NamedTuple):
    group: str  # the MEETING_NAME group
    weight: int  # 0 (not a meeting the item reports), 1 (weak), 3 (strong)
    future: bool  # a meeting to come
    start: int  # position in the text (-1: in the title)


def _mention_weight(sentence: str, m: re.Match[str], in_title: bool, habitual: bool) -> int:
    """How surely this mention is a meeting the item reports: 0 (not at all), 1 (weak), 3 (strong)."""
    before = words_of(sentence[max(0, m.start() - _CUE_WINDOW_BEFORE):m.start()])
    if habitual or _DEFINED_AFTER.match(sentence, m.end()) or _DEFINING_WORDS.intersection(before[-2:]):
        return 0
    if before and before[-1] in _ROOM_WORDS:
        return 0
    follow_up = _FOLLOW_UP_WORDS.intersection(before[-3:])
    if follow_up and not (follow_up == {"lanjut"} and "lebih" in before[-3:]):  # "lebih lanjut": furthermore
        return 0
    if _elsewhere(before):
        return 0
    # A named meeting ("Rakor RKA-SK ... Tahun 2014 Tingkat Provinsi Aceh ditutup") carries a long
    # name before its verb; "rapat" alone must have its cue close by.
    reach = _CUE_WINDOW_AFTER if m.lastgroup == "generic" else 2 * _CUE_WINDOW_AFTER
    after = words_of(sentence[m.end():m.end() + reach])
    if _STRONG_CUE_WORDS.intersection(before) or _STRONG_CUE_WORDS.intersection(after):
        return 3
    if m.lastgroup == "generic":
        # "rapat"/"pertemuan" alone are too common to count on a weak cue, unless it says between whom.
        weak = _WEAK_CUE_WORDS.intersection(before[-3:]) and _BETWEEN_WORDS.intersection(after[:1])
        return 1 if weak else 0
    if _refers_back(sentence, m):
        return 3
    if _WEAK_CUE_WORDS.intersection(before[-3:]) or in_title:
        return 1
    starts_sentence = not sentence[:m.start()].strip(EDGE_PUNCTUATION + " ")
    if starts_sentence and _DAY_AFTER.search(sentence, m.end(), m.end() + reach):
        return 1  # a headline or caption naming the meeting and its day
    return 0


def _elsewhere(before: list[str]) -> bool:
    """"Kakanwil, yang saat ini sedang mengikuti Rakernas di Jakarta, ...": an aside about where someone is."""
    if len(before) < 2 or before[-1] not in _ATTEND_WORDS:
        return False
    return before[-2] == "karena" or (before[-2] in _ONGOING_WORDS and bool({"yang", "karena"} & set(before[-5:-2])))


def _refers_back(sentence: str, m: re.Match[str]) -> bool:
    """"Rapat kerja Pokjawas PAI ini ...", "dalam Rakor tersebut": the meeting already reported."""
    clause = sentence[m.end():m.end() + 60].split(",", 1)[0]
    previous = ""
    for word in words_of(clause)[:6]:
        if word in _ANAPHORA_WORDS:
            return previous not in _TIME_WORDS
        previous = word
    return False


def _to_come(sentence: str, m: re.Match[str]) -> bool:
    """Whether the mention is of a meeting still to be held."""
    before = words_of(sentence[max(0, m.start() - 30):m.start()])[-3:]
    after = words_of(sentence[m.end():m.end() + 80].split(",", 1)[0])[:8]
    if _BEGUN_WORDS.intersection(before) or _BEGUN_WORDS.intersection(after):
        return False
    if _FUTURE_BEFORE_WORDS.intersection(before) or _FUTURE_AFTER_WORDS.intersection(after):
        return True
    return any(w == "akan" and nxt in _FUTURE_HELD_WORDS for w, nxt in zip(after, after[1:], strict=False))


# The meeting named first in the title or lead is the one the item reports; it counts double.
_LEAD_BONUS = 3


def _meeting_type(mentions: list[_Mention]) -> str | None:
    """The kind of meeting reported, from the mentions that count, in order of appearance.

    A specific name (Rakor, Rapat Kerja, rapat evaluasi, ...) beats a bare "rapat"; a meeting held
    beats one to come; then the name with the most weight, the first one counting double; a tie goes
    to the name mentioned first."""
    counted = [m for m in mentions if m.weight]
    if not counted:
        return None
    specific = [m for m in counted if m.group != "generic"]
    if not specific:
        return "lainnya"
    held = [m for m in specific if not m.future] or specific
    scores: dict[str, int] = {}
    for index, mention in enumerate(held):
        scores[mention.group] = scores.get(mention.group, 0) + mention.weight + (_LEAD_BONUS if index == 0 else 0)
    best = max(scores, key=lambda k: scores[k])  # dicts keep insertion order: ties go to the first named
    return _TYPE_OF_GROUP[best]


def _reports_something_else(sentences: list[Sentence], mentions: list[_Mention]) -> bool:
    """Only bare "rapat"/"pertemuan" mentions, after the item says it held a dialog, sosialisasi,
    audiensi, ...: the words refer back to that event, which is not a meeting."""
    first = next((m.start for m in mentions if m.weight), None)
    if first is None or any(m.weight and m.group != "generic" for m in mentions):
        return False
    for sentence in sentences:
        if sentence.start > first:
            return False
        for found in _NOT_MEETING.finditer(sentence.text):
            if sentence.start + found.start() >= first:
                break
            before = words_of(sentence.text[max(0, found.start() - _CUE_WINDOW_BEFORE):found.start()])
            after = words_of(sentence.text[found.end():found.end() + 2 * _CUE_WINDOW_AFTER])
            if _STRONG_CUE_WORDS.intersection(before) or _STRONG_CUE_WORDS.intersection(after) \
                    or _WEAK_CUE_WORDS.intersection(before[-3:]):
                return True
    return False


@dataclass(frozen=True)
class MeetingMentions:
    kind: str  # a meeting type
    sentences: list[Sentence]  # the item's own sentences (links to other articles left out)
    reporting: set[int]  # indexes of sentences that report the meeting


def read_mentions(text: str, title: str) -> MeetingMentions | None:
    """The meeting the item reports, with the sentences that report it; None when there is none."""
    mentions: list[_Mention] = []
    title_habitual = bool(_HABITUAL_WORDS & set((title or "").lower().split()))
    for m in MEETING_NAME.finditer(title or ""):
        group = m.lastgroup or ""  # every alternative of MEETING_NAME is a named group
        weight = _mention_weight(title, m, True, title_habitual)
        mentions.append(_Mention(group, weight, weight > 0 and _to_come(title, m), -1))
    sentences = [s for s in split_sentences(text) if not _RELATED_LINK.match(s.text)]
    reporting: set[int] = set()
    # Without a title, a page's short first line is its headline ("Rapat Koordinasi Persiapan ...").
    headline = (not title and bool(sentences) and sentences[0].paragraph == 0 and len(sentences[0].text) <= 150
                and not sentences[0].text.rstrip().endswith("."))
    for index, sentence in enumerate(sentences):
        if not sentence.words & _MEETING_WORDS:
            continue
        habitual = bool(sentence.words & _HABITUAL_WORDS)
        previous_end = -10
        for m in MEETING_NAME.finditer(sentence.text):
            # "Rapat Kerja Wilayah (Rakerwil)": the abbreviation is the same mention, not a second one.
            same = sentence.text[previous_end:m.start()].strip() == "("
            previous_end = m.end()
            if same:
                continue
            weight = _mention_weight(sentence.text, m, headline and index == 0, habitual)
            if weight:
                reporting.add(index)
            future = weight > 0 and _to_come(sentence.text, m)
            mentions.append(_Mention(m.lastgroup or "", weight, future, sentence.start + m.start()))
    kind = _meeting_type(mentions)
    if kind is None or (kind == "lainnya" and _reports_something_else(sentences, mentions)):
        return None
    return MeetingMentions(kind, sentences, reporting)
