"""Topics and domain (keagamaan / sosial / politik) from lexicons of the ministry's work.

Each topic has words and phrases (Indonesian, as Humas and the public write them); a topic
is assigned when the text mentions it at least twice, or once in the title. Lexicons, not a
trained model: there are five labelled articles, far too few to learn fifteen topics from,
and officers can read and extend a lexicon.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from satupintu.situation.nlp.phrases import PhraseMatcher, tokenize

TOPICS: dict[str, tuple[str, ...]] = {
    "haji-umrah": ("haji", "umrah", "jemaah haji", "jamaah haji", "manasik", "ppiu", "kbih", "bpih", "embarkasi",
                   "ibadah haji", "plhut"),
    "pendidikan": ("madrasah", "pesantren", "santri", "guru", "siswa", "pendidikan", "sekolah", "ptkin", "uin",
                   "iain", "beasiswa", "ijazah", "pai", "mts", "man ", "kurikulum"),
    "nikah-keluarga": ("nikah", "pernikahan", "perkawinan", "kua", "calon pengantin", "catin", "keluarga sakinah",
                       "bimbingan perkawinan", "rujuk", "isbat"),
    "halal": ("halal", "sertifikasi halal", "bpjph", "produk halal"),
    "zakat-wakaf": ("zakat", "wakaf", "baznas", "bwi", "infak", "sedekah", "nadzir"),
    "kerukunan": ("kerukunan", "moderasi beragama", "toleransi", "fkub", "lintas agama", "antarumat",
                  "rumah ibadah", "kebinekaan", "lintas iman"),
    "ibadah": ("ibadah", "salat", "shalat", "puasa", "ramadan", "ramadhan", "idul fitri", "iduladha", "idul adha",
               "hisab", "rukyat", "kiblat", "masjid", "khatib", "tarawih"),
    "layanan-publik": ("pelayanan", "layanan", "ptsp", "pelayanan publik", "super app", "digital", "aplikasi",
                       "paperless", "transformasi layanan", "smart government", "kepuasan masyarakat"),
    "integritas": ("integritas", "zona integritas", "wbk", "wbbm", "pungli", "gratifikasi", "korupsi",
                   "netralitas", "antikorupsi", "akuntabilitas", "bersih"),
    "pemilu-politik": ("pemilu", "pilkada", "kampanye", "politik", "netralitas asn", "partai", "caleg", "pilpres",
                       "netral"),
    "kepegawaian-anggaran": ("anggaran", "dipa", "realisasi", "kepegawaian", "asn", "pns", "pppk", "mutasi",
                             "kenaikan pangkat", "rekrutmen", "cpns", "keuangan", "sdm"),
    "koordinasi": ("rapat koordinasi", "rakor", "rakernas", "rakerwil", "rapat kerja", "koordinasi",
                   "tindak lanjut", "program prioritas", "arahan", "instruksi"),
    # Not "humas" alone: every press release carries a "(Humas ...)" byline.
    "humas-media": ("kehumasan", "pranata humas", "tim humas", "media sosial", "pemberitaan", "publikasi", "jurnalis", "wartawan", "konten",
                    "instagram", "tiktok", "youtube", "facebook", "berita"),
    "bencana-sosial": ("bencana", "banjir", "gempa", "longsor", "kebakaran", "pengungsi", "bantuan sosial",
                       "kemiskinan", "stunting", "korban"),
    "radikalisme-intoleransi": ("radikal", "radikalisme", "intoleran", "intoleransi", "terorisme", "ekstremisme",
                                "penolakan rumah ibadah", "penistaan", "aliran sesat"),
}
_DOMAIN_OF = {
    "politik": {"pemilu-politik"},
    "sosial": {"bencana-sosial"},
}


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher[tuple[str, ...]]:
    # The longest phrase wins ("ibadah haji" is about haji, not about ibadah); a phrase listed
    # under two topics counts for both.
    owners: dict[str, tuple[str, ...]] = {}
    for topic, ws in TOPICS.items():
        for w in ws:
            owners[w.strip()] = owners.get(w.strip(), ()) + (topic,)
    return PhraseMatcher(owners)


def topic_counts(text: str, title: str = "", tokens: list[tuple[str, int, int]] | None = None) -> Counter[str]:
    """Mentions per topic; a title mention counts twice. ``tokens``: ``text`` already tokenized."""
    counts: Counter[str] = Counter()
    matcher = _matcher()
    for owners, _, _ in matcher.finditer_tokens(tokens if tokens is not None else tokenize(text)):
        counts.update(owners)
    if title:
        for owners, _, _ in matcher.finditer(title):
            for topic in owners:
                counts[topic] += 2
    return counts


def topics(text: str, title: str = "") -> list[str]:
    """Topics mentioned at least twice (a title mention counts twice) and at least a fifth as
    often as the main topic, most mentioned first: a passing mention is not what a text is about."""
    return topics_from_counts(topic_counts(text, title))


def topics_from_counts(found: Counter[str]) -> list[str]:
    counts = found.most_common()
    if not counts:
        return []
    top = counts[0][1]
    return [t for t, n in counts if n >= 2 and n >= 0.2 * top]


def domain(found: list[str], text: str) -> str:
    """keagamaan unless the text is mostly about elections/politics or social matters."""
    return domain_from_counts(topic_counts(text))


def domain_from_counts(counts: Counter[str]) -> str:
    religious = sum(n for t, n in counts.items() if not any(t in s for s in _DOMAIN_OF.values()))
    for name, members in _DOMAIN_OF.items():
        weight = sum(counts[t] for t in members)
        if weight > religious:
            return name
    return "keagamaan"
