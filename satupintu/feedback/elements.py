"""The nine SKM elements of PermenPANRB 14/2017, in their official order, with the
questions and the four answer labels of the official questionnaire, and the grade table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Marked for the catalogue, kept in Indonesian here: the official PDF report prints them as they
# are, pages translate them where they show them (gettext on the value).
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class Element:
    code: str  # u1 .. u9
    name: str
    question: str
    answers: tuple[str, str, str, str]  # labels for 1, 2, 3, 4


ELEMENTS: tuple[Element, ...] = (
    Element("u1", gettext_noop("Persyaratan"),
            gettext_noop("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
            (gettext_noop("Tidak sesuai"), gettext_noop("Kurang sesuai"), gettext_noop("Sesuai"), gettext_noop("Sangat sesuai"))),
    Element("u2", gettext_noop("Sistem, mekanisme, dan prosedur"),
            gettext_noop("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
            (gettext_noop("Tidak mudah"), gettext_noop("Kurang mudah"), gettext_noop("Mudah"), gettext_noop("Sangat mudah"))),
    Element("u3", gettext_noop("Waktu penyelesaian"),
            gettext_noop("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
            (gettext_noop("Tidak cepat"), gettext_noop("Kurang cepat"), gettext_noop("Cepat"), gettext_noop("Sangat cepat"))),
    Element("u4", gettext_noop("Biaya/tarif"),
            gettext_noop("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
            (gettext_noop("Sangat mahal"), gettext_noop("Cukup mahal"), gettext_noop("Murah"), gettext_noop("Gratis"))),
    Element("u5", gettext_noop("Produk spesifikasi jenis pelayanan"),
            gettext_noop("Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
               "pelayanan dengan hasil yang diberikan?"),
            (gettext_noop("Tidak sesuai"), gettext_noop("Kurang sesuai"), gettext_noop("Sesuai"), gettext_noop("Sangat sesuai"))),
    Element("u6", gettext_noop("Kompetensi pelaksana"),
            gettext_noop("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
            (gettext_noop("Tidak kompeten"), gettext_noop("Kurang kompeten"), gettext_noop("Kompeten"), gettext_noop("Sangat kompeten"))),
    Element("u7", gettext_noop("Perilaku pelaksana"),
            gettext_noop("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
            (gettext_noop("Tidak sopan dan ramah"), gettext_noop("Kurang sopan dan ramah"), gettext_noop("Sopan dan ramah"),
             gettext_noop("Sangat sopan dan ramah"))),
    Element("u8", gettext_noop("Penanganan pengaduan, saran dan masukan"),
            gettext_noop("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
            (gettext_noop("Tidak ada"), gettext_noop("Ada tetapi tidak berfungsi"), gettext_noop("Berfungsi kurang maksimal"),
             gettext_noop("Dikelola dengan baik"))),
    Element("u9", gettext_noop("Sarana dan prasarana"),
            gettext_noop("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
            (gettext_noop("Buruk"), gettext_noop("Cukup"), gettext_noop("Baik"), gettext_noop("Sangat baik"))),
)
ELEMENT_CODES = tuple(e.code for e in ELEMENTS)

# Grade intervals of the index (IKM, 25-100), PermenPANRB 14/2017: (lowest value, grade, label).
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", gettext_noop("Sangat Baik")),
    (Decimal("76.61"), "B", gettext_noop("Baik")),
    (Decimal("65.00"), "C", gettext_noop("Kurang Baik")),
    (Decimal("25.00"), "D", gettext_noop("Tidak Baik")),
)

SEX_CHOICES = (("L", gettext_noop("Laki-laki")), ("P", gettext_noop("Perempuan")))
AGE_CHOICES = (("<20", gettext_noop("Di bawah 20 tahun")), ("20-29", gettext_noop("20-29 tahun")), ("30-39", gettext_noop("30-39 tahun")),
               ("40-49", gettext_noop("40-49 tahun")), ("50+", gettext_noop("50 tahun ke atas")))
EDUCATION_CHOICES = (("SD", gettext_noop("SD ke bawah")), ("SMP", gettext_noop("SMP/MTs")), ("SMA", gettext_noop("SMA/MA/SMK")),
                     ("D3", gettext_noop("Diploma (D1-D3)")), ("S1", gettext_noop("S1/D4")), ("S2", gettext_noop("S2 ke atas")))
OCCUPATION_CHOICES = (("PNS", gettext_noop("PNS/ASN")), ("TNI/POLRI", gettext_noop("TNI/Polri")), ("SWASTA", gettext_noop("Pegawai swasta")),
                      ("WIRAUSAHA", gettext_noop("Wirausaha")), ("PELAJAR", gettext_noop("Pelajar/Mahasiswa")), ("GURU", gettext_noop("Guru/Dosen")),
                      ("IRT", gettext_noop("Ibu rumah tangga")), ("LAINNYA", gettext_noop("Lainnya")))
