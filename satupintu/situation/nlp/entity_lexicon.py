"""The word lists the entity rules read news by: role heads, organisation and unit words, function
words, honorifics, degrees, byline labels, and the head words of organisations and venues.

Kept apart from the rules that read them (entity_tokens.py, people.py, entities.py) so that a list can
be read and extended by itself, without the code around it.
"""

from __future__ import annotations

import re

from satupintu.situation.nlp.dates import MONTHS, WEEKDAYS


# Patterns are built from these lists where they are matched (people.py, entities.py).
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

BYLINE_LABELS = {"kontributor": "Kontributor", "penulis": "Penulis", "reporter": "Reporter", "pewarta": "Pewarta",
                 "editor": "Editor", "redaktur": "Redaktur", "foto": "Fotografer", "fotografer": "Fotografer",
                 "teks": "Penulis"}


# -- organisation heads (entities.organisation_mentions) --------------------------------------------------------

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


# -- venue heads (entities.venue_mentions) ----------------------------------------------------------------------

VENUE_HEADS = (
    "Hotel", "Aula", "Gedung", "Masjid", "Mesjid", "Musala", "Musholla", "Mushola", "Pendopo", "Pendapa", "Ruangan",
    "Ruang", "Auditorium", "Wisma", "Graha", "Asrama Haji", "Islamic Center", "Islamic Centre", "Lapangan",
    "Alun-alun", "Alun-Alun", "Rumah Jabatan", "Rumah Dinas", "Rujab", "Convention Hall", "Convention Center",
    "Balai Kota", "Balai Desa", "Balai Nikah", "Gereja", "Pura", "Vihara", "Klenteng",
)
# Lower-case words that still belong to a venue's name when Humas does not capitalise them
# ("Aula Kantor kementerian agama kota magelang").
_VENUE_LOWER_WORDS = {"kantor", "kementerian", "agama", "kemenag", "wilayah", "kabupaten", "kota", "provinsi",
                      "kecamatan", "kanwil", "lantai", "lt"}
