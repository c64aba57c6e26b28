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
    # Not "kua" alone: the KUA is the ministry's office in every kecamatan, named in news of all kinds.
    "nikah-keluarga": ("nikah", "pernikahan", "perkawinan", "calon pengantin", "catin", "keluarga sakinah",
                       "bimbingan perkawinan", "rujuk", "isbat", "akad nikah", "buku nikah", "pencatatan nikah",
                       "pernikahan dini", "perkawinan anak", "bimwin", "pranikah", "perceraian", "cerai",
                       "ketahanan keluarga", "pengantin"),
    "halal": ("halal", "sertifikasi halal", "bpjph", "produk halal", "sertifikat halal", "satgas halal",
              "jaminan produk halal", "lph", "umkm halal", "kantin halal"),
    "zakat-wakaf": ("zakat", "wakaf", "baznas", "bwi", "infak", "sedekah", "nadzir", "nazir", "laz", "mustahik",
                    "muzaki", "upz", "tanah wakaf", "sertifikat wakaf", "ziswaf", "zis"),
    "kerukunan": ("kerukunan", "moderasi beragama", "toleransi", "fkub", "lintas agama", "antarumat",
                  "rumah ibadah", "kebinekaan", "lintas iman", "kerukunan umat beragama", "umat beragama",
                  "tokoh agama", "tokoh lintas agama", "harmoni", "rumah ibadat", "kampung moderasi",
                  "rumah moderasi", "kondusif"),
    "ibadah": ("ibadah", "salat", "shalat", "puasa", "ramadan", "ramadhan", "idul fitri", "iduladha", "idul adha",
               "hisab", "rukyat", "kiblat", "masjid", "khatib", "tarawih"),
    "layanan-publik": ("pelayanan", "layanan", "ptsp", "pelayanan publik", "super app", "digital", "aplikasi",
                       "paperless", "transformasi layanan", "smart government", "kepuasan masyarakat",
                       "revitalisasi kua", "pengaduan", "transformasi digital", "sistem informasi", "loket",
                       "survei kepuasan", "standar pelayanan"),
    "integritas": ("integritas", "zona integritas", "wbk", "wbbm", "pungli", "gratifikasi", "korupsi",
                   "netralitas", "antikorupsi", "akuntabilitas", "bersih", "pungutan liar", "pakta integritas",
                   "inspektorat", "itjen", "inspektorat jenderal", "audit", "bpk", "lhp", "temuan", "suap",
                   "penyalahgunaan", "saber pungli", "disiplin", "sanksi", "pelanggaran", "penyelewengan",
                   "transparansi", "transparan"),
    "pemilu-politik": ("pemilu", "pilkada", "kampanye", "politik", "netralitas asn", "partai", "caleg", "pilpres",
                       "netral"),
    "kepegawaian-anggaran": ("anggaran", "dipa", "realisasi", "kepegawaian", "asn", "pns", "pppk", "mutasi",
                             "kenaikan pangkat", "rekrutmen", "cpns", "keuangan", "sdm", "pelantikan", "dilantik",
                             "melantik", "jabatan", "satker", "satuan kerja", "pagu", "serapan anggaran", "tunjangan",
                             "tukin", "gaji", "honorer", "p3k", "formasi", "kinerja", "rka", "rencana kerja",
                             "program kerja", "pegawai", "aparatur", "efisiensi anggaran", "belanja"),
    "koordinasi": ("rapat koordinasi", "rakor", "rakernas", "rakerwil", "rapat kerja", "koordinasi",
                   "tindak lanjut", "program prioritas", "arahan", "instruksi", "berkoordinasi", "sinergi",
                   "sinergitas", "bersinergi", "kolaborasi", "rapim", "rapat pimpinan", "raker", "rapat evaluasi",
                   "lintas sektoral", "lintas sektor", "pakem"),
    # Not "humas" alone: every press release carries a "(Humas ...)" byline.
    "humas-media": ("kehumasan", "pranata humas", "tim humas", "media sosial", "pemberitaan", "publikasi",
                    "jurnalis", "wartawan", "konten", "instagram", "tiktok", "youtube", "facebook", "berita",
                    "awak media", "insan pers", "media gathering", "insan media", "media massa", "hoaks", "hoax",
                    "misinformasi", "disinformasi", "siaran pers", "keterbukaan informasi"),
    "bencana-sosial": ("bencana", "banjir", "gempa", "longsor", "kebakaran", "pengungsi", "bantuan sosial",
                       "kemiskinan", "stunting", "korban", "terdampak", "tanggap darurat", "erupsi", "tsunami",
                       "bpbd", "pengungsian", "kekeringan", "puting beliung", "relawan"),
    "radikalisme-intoleransi": ("radikal", "radikalisme", "intoleran", "intoleransi", "terorisme", "ekstremisme",
                                "penolakan rumah ibadah", "penistaan", "aliran sesat", "pakem", "aliran kepercayaan",
                                "penodaan agama", "penodaan", "deradikalisasi", "paham radikal", "persekusi",
                                "ujaran kebencian", "perusakan", "pembubaran", "ekstrem", "teroris",
                                "aliran keagamaan", "sesat", "deteksi dini", "konflik keagamaan"),
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
