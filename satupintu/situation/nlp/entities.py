"""People (with their role), organisations and places in Indonesian news and Humas releases.

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
from typing import NamedTuple

from satupintu.organization import reference
from satupintu.situation.nlp.dates import MONTHS, WEEKDAYS
from satupintu.situation.nlp.regions import _gazetteer


def _alternatives(phrases: tuple[str, ...]) -> list[str]:
    """Regex alternatives for fixed phrases, longest first, any run of spaces between words."""
    return [r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True)]


def _first_words(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p.split()[0] for p in phrases)


# Role heads, longest first in the pattern. Capitalised as Indonesian news writes them.
ROLE_HEADS = (
    "Menteri Agama Republik Indonesia", "Menteri Agama RI", "Wakil Menteri Agama", "Menteri Agama", "Menteri",
    "Menag", "Wamenag", "Wakil Menteri", "Sekretaris Jenderal", "Sekjen", "Direktur Jenderal", "Dirjen",
    "Inspektur Jenderal", "Irjen", "Direktur", "Staf Khusus", "Stafsus", "Kepala Badan", "Kaban",
    "Kepala Kantor Wilayah", "Kepala Kanwil", "Kakanwil", "Kepala Kantor Kementerian Agama", "Kepala Kantor Kemenag",
    "Kepala Kantor Urusan Agama", "Kepala KUA", "Kepala Kantor", "Kakankemenag", "Kakan Kemenag", "Kakan",
    "Kepala Bagian", "Kabag", "Kepala Bidang", "Kabid", "Kepala Subbagian", "Kepala Sub Bagian", "Kasubbag",
    "Kasubag", "Kabubbag", "Kepala Seksi", "Kasi", "Kasie", "Kepala Madrasah", "Kamad", "Kepala Sekolah",
    "Kepala Balai", "Kepala Pusat", "Kapus", "Kepala Dinas", "Kadis", "Kepala Biro", "Kepala Desa", "Kades",
    "Kepala", "Penyuluh Agama Islam", "Penyuluh Agama", "Penyuluh", "Penghulu", "Pengawas", "Ketua Tim",
    "Wakil Ketua", "Ketua", "Sekretaris Daerah", "Sekda", "Sekretaris", "Bendahara", "Koordinator", "Kasubtim",
    "Wakil Rektor", "Rektor", "Dekan", "Wakil Bupati", "Wabup", "Bupati", "Wakil Wali Kota", "Wakil Walikota",
    "Wawali", "Wali Kota", "Walikota", "Wakil Gubernur", "Wagub", "Gubernur", "Camat", "Lurah", "Kapolda",
    "Kapolresta", "Kapolres", "Kapolsek", "Dandim", "Danrem", "Danramil", "Kajari", "Kajati", "Wakil Presiden",
    "Wapres", "Presiden", "Anggota",
)
_ACTING = ("Plt", "Plh", "Pj", "Pjs")
_ROLE_HEAD = re.compile(
    r"(?:(?:" + "|".join(_ACTING) + r")\.?\s+)?(?:" + "|".join(_alternatives(ROLE_HEADS)) + r")(?![\w'’])"
)
_ROLE_FIRST_WORDS = _first_words(ROLE_HEADS + _ACTING)
# First words of role heads: a name stops where another role starts.
_ROLE_WORDS = {w.lower() for h in ROLE_HEADS for w in h.split()[:1]} | {
    "plt", "plh", "pj", "pjs", "kontributor", "penulis", "editor", "reporter", "pewarta", "redaktur",
}
# Words of organisation and unit names, and geography that is not a gazetteer entry by itself.
_ORG_WORDS = set("""
kementerian agama kemenag kanwil kankemenag kantor wilayah provinsi prov kabupaten kab kota kecamatan kec
kelurahan desa republik indonesia ri pusat balai diklat litbang pendidikan madrasah islam keagamaan agama haji umrah
zakat wakaf bimas penais pontren diniyah pondok pesantren kristen katolik hindu buddha budha konghucu urusan urais
penerangan penyelenggaraan kerukunan umat beragama tata usaha bagian bidang seksi subbagian sub koordinator tim
kerja layanan pelayanan terpadu satu pintu humas data informasi hubungan masyarakat negeri swasta tinggi perguruan
universitas institut sekolah fakultas direktorat jenderal sekretariat inspektorat badan lembaga majelis dewan forum
komisi ulama nasional daerah pemerintah pemkab pemkot pemprov perencanaan keuangan kepegawaian umum hukum
organisasi sistem syariah kemasjidan produk halal jaminan sertifikasi dinas sosial panitia pelaksana penyelenggara
pengelola pimpinan unit pelaksana teknis perwakilan cabang ranting wilayah utara selatan barat timur tengah
tenggara laut daya raya sulawesi kalimantan sumatera sumatra jawa nusa papua maluku kepulauan kep bangka
belitung se satker tusi bimtek pokja kelompok jabatan fungsional struktural administrator pengawas pejabat
narasumber peserta baznas bwi fkub mui ptsp plhut lptq iphi bpjph bpkh dmi bkmt kbihu kbih pcnu pwnu pbnu nu
muhammadiyah aisyiyah kemenpan uin iain stain iakn kua man mtsn min dprd polres polda kodim hdi ptkn ptkin
""".split())
_FUNCTION_WORDS = set("""
dalam pada di ke dari untuk dengan oleh bersama menurut kata ujar sementara selain saat ketika hal demikian turut
hadir tampak juga bahkan sedangkan adapun namun tetapi karena sehingga maka yang ini itu ia beliau dia saya kami
kita mereka para seluruh semua setiap bapak ibu sdr saudara selamat terima kasih acara kegiatan rapat rakor
rakernas rakerwil raker pertemuan tahun bulan hari minggu pekan tema sumber baca lihat facebook twitter telegram
whatsapp email print share lebih lanjut tak tidak sebagai sebelum sesudah setelah usai mengawali mengakhiri
dijelaskan disampaikan diungkapkan menindaklanjuti tindak lanjuti hasil program assalamualaikum alhamdulillah
bismillah insya allah swt saw nabi rasulullah tuhan mari ayo apalagi jika kalau bila apabila agar supaya serta atau bagi tentang terkait guna demi sejak hingga sampai antara
dan jangan mohon harap semoga kegiatan zona integritas wbk wbbm
""".split())
_VENUE_WORDS = set("aula hotel gedung masjid ruang pendopo wisma graha auditorium asrama lapangan".split())
_STOP_WORDS = _ORG_WORDS | _FUNCTION_WORDS | _VENUE_WORDS | set(MONTHS) | set(WEEKDAYS) | {"jum'at", "jum’at"}
_HONORIFICS = {
    "h", "hj", "dr", "drs", "dra", "ir", "prof", "kh", "k.h", "gus", "kiai", "kyai", "habib", "buya", "syekh",
    "syaikh", "ust", "ustadz", "ustaz", "ustadzah", "ustazah", "tgk", "tgh", "nyai", "drg", "apt",
}
_PARTICLES = {"bin", "binti", "al", "el", "van", "der", "de"}
_ACADEMIC = re.compile(
    r"(?:[SMD]\.?\s?(?:Ag|Pd|Si|Sc|Hum|Kom|Kes|Sos|Th|H|E|M|A|T|IP|Psi|Fil|Ak|Kep|Ked|Farm|Pt|Stat|Sy|Ikom|Tr|Pi)"
    r"(?:\.?\s?I)?|Lc|MA|MM|MH|MSi|MAg|MPd|SE|SH|SHI|SAg|SPd|SPdI|Ph\.?\s?D|MBA|CPA|CA)\.?"
)
# Abbreviations whose dot does not end a sentence.
_ABBREVIATIONS = {"prov", "kab", "kec", "kel", "lt", "jl", "no", "kep", "ds", "tgl", "st", "dr", "h", "hj", "drs",
                  "prof", "kh", "ir", "plt", "plh", "pj", "dra", "ust"}

_TOKEN = re.compile(
    r"[ \t\r\xa0]*(?:"
    r"(?P<paren>\((?=[A-Za-z])[^()\n]{1,40}\))"
    r"|(?P<word>[^\W\d_](?:[\w'’]|\.(?=[^\W\d_]))*(?:-[^\W_][\w'’]*)*)(?P<dot>\.)?"
    r"|(?P<num>\d+)"
    r"|(?P<nl>\n)"
    r"|(?P<punct>[^\w\s]))"
)
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

BYLINE_LABELS = {"kontributor": "Kontributor", "penulis": "Penulis", "reporter": "Reporter", "pewarta": "Pewarta",
                 "editor": "Editor", "redaktur": "Redaktur", "foto": "Fotografer", "fotografer": "Fotografer",
                 "teks": "Penulis"}
_LABELLED_BYLINE = re.compile(
    r"^[ \t]*(?P<label>" + "|".join(BYLINE_LABELS) + r")[ \t]*:[ \t]*(?P<value>[^\n|]{2,80})", re.M | re.I
)
# "(Humas/Maharani)" or "(Wahono/rf)" closing a paragraph.
_SIGNOFF = re.compile(r"\((?P<a>[A-Za-z][\w .'’]{0,40}?)\s*/\s*(?P<b>[A-Za-z][\w .'’]{0,40}?)\)[ \t]*(?=\n|$)")
_INITIALS = re.compile(r"[a-z]{1,4}|[A-Z]{1,3}")


class Token(NamedTuple):  # a NamedTuple: made by the thousand, and cheaper than a dataclass
    kind: str  # paren, word, num, nl, punct
    text: str
    start: int
    end: int  # after the word, before a trailing dot
    dot: bool = False


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    start: int
    byline: str = ""  # "label" for "Kontributor: X", "signoff" for "(Humas/X)"


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


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


@lru_cache(maxsize=1)
def _official_names() -> dict[str, str]:
    names = {p["code"]: p["name"] for p in reference.provinces()}
    names.update({r["code"]: r["name"] for r in reference.regencies()})
    return names


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


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


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


# -- organisations ----------------------------------------------------------------------------------------------

_REGION_PREFIX = r"(?:Provinsi|Prov\.|Kabupaten|Kab\.|Kota|Kecamatan|Kec\.)"
# The ministry's own offices: whole as they stand, a region may follow ("Kanwil Kemenag Prov. Jateng").
OFFICE_HEADS = ("Kanwil Kementerian Agama", "Kanwil Kemenag", "Kementerian Agama", "Kemenag")
# Heads that say nothing without the region or number after them ("Kantor Kemenag Kota Magelang").
QUALIFIED_HEADS = (
    "Kantor Wilayah Kementerian Agama", "Kantor Kementerian Agama", "Kantor Kemenag", "Kankemenag", "Kanwil",
    "Kantor Urusan Agama", "KUA", "Pemerintah Provinsi", "Pemerintah Kabupaten", "Pemerintah Kota", "Pemprov",
    "Pemkab", "Pemkot", "DPRD", "Polresta", "Polres", "Polda", "Polsek", "Kodim", "Korem", "Koramil", "Kejari",
    "Kejati",
)
SCHOOL_HEADS = ("MAN", "MTsN", "MIN", "MA", "MTs", "MI", "RA", "SMAN", "SMA", "SMPN", "SMP", "SDN", "SD")
# Heads followed by a proper name ("UIN Alauddin Makassar", "Direktorat Jenderal Bimas Islam").
NAMED_HEADS = (
    "UIN", "IAIN", "STAIN", "IAKN", "STAKN", "STAHN", "Universitas", "Institut", "Sekolah Tinggi", "Pondok Pesantren",
    "Ponpes", "Kementerian", "Direktorat Jenderal", "Direktorat", "Ditjen", "Balai Diklat Keagamaan", "Balai Litbang",
)
BODY_HEADS = (
    "BAZNAS", "Baznas", "BWI", "FKUB", "MUI", "PTSP", "PLHUT", "LPTQ", "IPHI", "BPJPH", "BPKH", "DMI", "BKMT", "KBIHU",
    "KBIH", "PCNU", "PWNU", "PBNU", "NU", "Muhammadiyah", "Aisyiyah", "Kemenpan RB", "KemenPAN-RB", "KemenPAN RB",
    "Kemendikbudristek", "Kemendikbud", "Kemendagri", "Kemenkes", "Kemensos",
)
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

VENUE_HEADS = (
    "Hotel", "Aula", "Gedung", "Masjid", "Mesjid", "Musala", "Musholla", "Mushola", "Pendopo", "Pendapa", "Ruangan",
    "Ruang", "Auditorium", "Wisma", "Graha", "Asrama Haji", "Islamic Center", "Islamic Centre", "Lapangan",
    "Alun-alun", "Alun-Alun", "Rumah Jabatan", "Rumah Dinas", "Rujab", "Convention Hall", "Convention Center",
    "Balai Kota", "Balai Desa", "Balai Nikah", "Gereja", "Pura", "Vihara", "Klenteng",
)
# "Kantor" is a venue only where something happens at it: "di Kantor Kemenag Luwu Utara".
_VENUE = re.compile(r"(?:" + "|".join(_alternatives(VENUE_HEADS)) + r"|(?<=\bdi\s)Kantor|(?<=\bDi\s)Kantor)(?![\w])")
_VENUE_FIRST_WORDS = _first_words(VENUE_HEADS + ("Kantor",))
# Lower-case words that still belong to a venue's name when Humas does not capitalise them
# ("Aula Kantor kementerian agama kota magelang").
_VENUE_LOWER_WORDS = {"kantor", "kementerian", "agama", "kemenag", "wilayah", "kabupaten", "kota", "provinsi",
                      "kecamatan", "kanwil", "lantai", "lt"}
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
