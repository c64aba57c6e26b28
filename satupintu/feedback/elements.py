"""The nine SKM elements of PermenPANRB 14/2017, in their official order, with the
questions and the four answer labels of the official questionnaire, and the grade table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Element:
    code: str  # u1 .. u9
    name: str
    question: str
    answers: tuple[str, str, str, str]  # labels for 1, 2, 3, 4


ELEMENTS: tuple[Element, ...] = (
    Element("u1", "Persyaratan",
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Element("u2", "Sistem, mekanisme, dan prosedur",
            "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
            ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    Element("u3", "Waktu penyelesaian",
            "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
            ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    Element("u4", "Biaya/tarif",
            "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Element("u5", "Produk spesifikasi jenis pelayanan",
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
            "pelayanan dengan hasil yang diberikan?",
            ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Element("u6", "Kompetensi pelaksana",
            "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
            ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    Element("u7", "Perilaku pelaksana",
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
            ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah")),
    Element("u8", "Penanganan pengaduan, saran dan masukan",
            "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
            ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik")),
    Element("u9", "Sarana dan prasarana",
            "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            ("Buruk", "Cukup", "Baik", "Sangat baik")),
)
ELEMENT_CODES = tuple(e.code for e in ELEMENTS)

# Grade intervals of the index (IKM, 25-100), PermenPANRB 14/2017: (lowest value, grade, label).
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)

SEX_CHOICES = (("L", "Laki-laki"), ("P", "Perempuan"))
AGE_CHOICES = (("<20", "Di bawah 20 tahun"), ("20-29", "20-29 tahun"), ("30-39", "30-39 tahun"),
               ("40-49", "40-49 tahun"), ("50+", "50 tahun ke atas"))
EDUCATION_CHOICES = (("SD", "SD ke bawah"), ("SMP", "SMP/MTs"), ("SMA", "SMA/MA/SMK"), ("D3", "Diploma (D1-D3)"),
                     ("S1", "S1/D4"), ("S2", "S2 ke atas"))
OCCUPATION_CHOICES = (("PNS", "PNS/ASN"), ("TNI/POLRI", "TNI/Polri"), ("SWASTA", "Pegawai swasta"),
                      ("WIRAUSAHA", "Wirausaha"), ("PELAJAR", "Pelajar/Mahasiswa"), ("GURU", "Guru/Dosen"),
                      ("IRT", "Ibu rumah tangga"), ("LAINNYA", "Lainnya"))
