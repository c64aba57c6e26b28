"""Topics and domain (keagamaan / sosial / politik) from lexicons of the ministry's work.

Each topic has words and phrases (Indonesian, as Humas and the public write them); a topic
is assigned when the text mentions it at least twice, or once in the title. Lexicons, not a
trained model: there are five labelled articles, far too few to learn fifteen topics from,
and officers can read and extend a lexicon.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

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
    "humas-media": ("humas", "media sosial", "pemberitaan", "publikasi", "jurnalis", "wartawan", "konten",
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
_WORD_EDGE = r"(?<![\w]){}(?![\w])"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        topic: re.compile("|".join(_WORD_EDGE.format(re.escape(w.strip())) for w in words))
        for topic, words in TOPICS.items()
    }


def topic_counts(text: str, title: str = "") -> Counter[str]:
    body, head = text.lower(), title.lower()
    counts: Counter[str] = Counter()
    for topic, pattern in _patterns().items():
        n = len(pattern.findall(body)) + 2 * len(pattern.findall(head))
        if n:
            counts[topic] = n
    return counts


def topics(text: str, title: str = "") -> list[str]:
    """Topics mentioned at least twice (a title mention counts twice) and at least a fifth as
    often as the main topic, most mentioned first: a passing mention is not what a text is about."""
    counts = topic_counts(text, title).most_common()
    if not counts:
        return []
    top = counts[0][1]
    return [t for t, n in counts if n >= 2 and n >= 0.2 * top]


def domain(found: list[str], text: str) -> str:
    """keagamaan unless the text is mostly about elections/politics or social matters."""
    counts = topic_counts(text)
    religious = sum(n for t, n in counts.items() if not any(t in s for s in _DOMAIN_OF.values()))
    for name, members in _DOMAIN_OF.items():
        weight = sum(counts[t] for t in members)
        if weight > religious:
            return name
    return "keagamaan"
