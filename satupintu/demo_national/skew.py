"""How busy each office, day and hour is, which services people ask for, and which offices run late.

Real PTSP desks are not uniform: big cities take many times what a remote regency takes,
Monday is the busiest day and Friday the shortest, almost nothing comes on weekends and
holidays, a handful of services (legalisir ijazah, haji, nikah, kepegawaian) make up most
of the work, and some offices are chronically late. Everything here is drawn from one seeded
numpy generator, so the same seed gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Population in millions (2020 census), to spread the work over the provinces.
PROVINCE_POPULATION = {
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0, "19": 1.5, "21": 2.1,
    "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 40.7, "36": 11.9, "51": 4.3, "52": 5.3, "53": 5.3,
    "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7, "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6, "75": 1.2,
    "76": 1.4, "81": 1.8, "82": 1.3, "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4, "95": 1.4, "96": 0.6,
}
# The big cities' Kankemenag desks: several times an average regency.
BIG_CITIES = {
    "Kota Administrasi Jakarta Timur": 4.0, "Kota Administrasi Jakarta Barat": 3.5,
    "Kota Administrasi Jakarta Selatan": 3.5, "Kota Administrasi Jakarta Utara": 3.0,
    "Kota Administrasi Jakarta Pusat": 2.5, "Kota Surabaya": 5.0, "Kota Bandung": 4.5, "Kota Medan": 4.5,
    # Makassar is the hub of eastern Indonesia: people from the whole region come to its desk.
    "Kota Makassar": 14.0,
    "Kota Semarang": 3.5, "Kota Palembang": 3.5, "Kota Tangerang": 3.0, "Kota Bekasi": 4.0, "Kota Depok": 3.0,
    "Kota Bogor": 2.5, "Kota Batam": 2.5, "Kota Pekanbaru": 2.5, "Kota Bandar Lampung": 2.5, "Kota Padang": 2.5,
    "Kota Malang": 2.5, "Kota Denpasar": 2.0, "Kota Samarinda": 2.0, "Kota Banjarmasin": 2.0, "Kota Pontianak": 2.0,
    "Kota Manado": 2.0, "Kota Yogyakarta": 2.0, "Kota Mataram": 2.0, "Kota Kupang": 1.8, "Kota Jayapura": 1.8,
    "Kota Ambon": 1.6, "Kota Kendari": 1.6, "Kota Palu": 1.6, "Kota Jambi": 1.8, "Kota Bengkulu": 1.5,
}
# ISO weekday -> relative volume (Monday busiest; online submissions trickle in at weekends).
WEEKDAY = {1: 1.45, 2: 1.15, 3: 1.05, 4: 1.0, 5: 0.78, 6: 0.10, 7: 0.06}
HOLIDAY = 0.12
# Local hour of day on a working day (the desk opens at 08.00, busiest mid-morning).
HOURS = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 3, 9, 12, 12, 10, 6, 8, 8, 5, 2, 1.5, 1.2, 1.2, 1, 0.8, 0.5, 0.3])
WEEKEND_HOURS = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.3, 0.8, 1.5, 2.5, 3, 3, 3, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3,
                          3.5, 3.5, 3, 2, 1])
# Services people ask for most (the rest follow a Zipf tail in catalog order, shuffled by seed).
POPULAR = {
    "legalisir-ijazah-madrasah": 30, "pendaftaran-haji-reguler": 18, "konsultasi-haji-umrah": 12,
    "rekomendasi-paspor-haji-umrah": 10, "duplikat-ijazah-madrasah": 9, "konsultasi-perkawinan": 9,
    "kenaikan-pangkat-reguler": 8, "permohonan-data-dan-informasi": 7, "pembatalan-haji": 5,
    "pelimpahan-porsi-haji": 4, "sertifikat-muallaf": 4, "pengukuran-arah-kiblat": 4, "cuti-pegawai": 6,
    "usulan-tunjangan-guru-madrasah": 6, "izin-penelitian": 5, "rekomendasi-pindah-siswa-madrasah": 5,
    "legalisasi-dokumen-kepegawaian": 5, "pembayaran-tunjangan-profesi-gpai": 4, "konsultasi-emis-simpatika": 4,
    "pendaftaran-id-masjid": 3, "konsultasi-zakat": 3, "konsultasi-wakaf": 3, "usul-pensiun": 3,
}
LATE_OFFICE_SHARE = 0.08  # Kankemenag and Kanwil offices that are chronically late


@dataclass
class OfficeSkew:
    weight: np.ndarray  # relative volume per office (same order as the office list)
    late: np.ndarray  # bool per office


def office_skew(rng: np.random.Generator, offices: list) -> OfficeSkew:  # type: ignore[type-arg]
    from collections import Counter

    per_province = Counter(o.province_code for o in offices if o.level == "kankemenag")
    weight = np.zeros(len(offices))
    for i, o in enumerate(offices):
        pop = PROVINCE_POPULATION.get(o.province_code, 1.0)
        if o.level == "kankemenag":
            base = pop / max(1, per_province[o.province_code])
            city = BIG_CITIES.get(o.region_name, 1.0)
            weight[i] = base * city * rng.lognormal(0, 0.35)
        elif o.level == "kanwil":
            weight[i] = 0.04 * pop * rng.lognormal(0, 0.2)  # a Kanwil desk serves the province-level services
        else:
            weight[i] = 2.0  # Pusat: the national services
    # Normalise so that an average Kankemenag is about 1.
    weight /= weight[[o.level == "kankemenag" for o in offices]].mean()
    late = np.zeros(len(offices), dtype=bool)
    candidates = [i for i, o in enumerate(offices) if o.level in ("kankemenag", "kanwil")]
    k = max(2, round(LATE_OFFICE_SHARE * len(candidates)))
    late[rng.choice(candidates, size=min(k, len(candidates)), replace=False)] = True
    return OfficeSkew(weight, late)


def service_weights(rng: np.random.Generator, slugs: list[str]) -> np.ndarray:
    order = rng.permutation(len(slugs))
    w = np.empty(len(slugs))
    for rank, i in enumerate(order):
        w[i] = POPULAR.get(slugs[i], 2.5 / (1 + rank) ** 0.6)
    return w


def day_weights(days: list, is_holiday) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Relative volume per calendar day: weekday, holidays, and a slow growth over the year
    (the online channel is new: later months are busier)."""
    n = len(days)
    w = np.array([WEEKDAY[d.isoweekday()] * (HOLIDAY if is_holiday(d) else 1.0) for d in days])
    return w * np.linspace(0.85, 1.15, n)


# Share of the Situation Room's items per topic: education, worship and hajj carry most of the news.
TOPIC_WEIGHTS = {
    "pendidikan": 18, "ibadah": 12, "haji-umrah": 10, "layanan-publik": 9, "koordinasi": 8, "nikah-keluarga": 7,
    "kerukunan": 7, "kepegawaian-anggaran": 6, "humas-media": 5, "integritas": 4, "zakat-wakaf": 4,
    "bencana-sosial": 4, "halal": 3, "pemilu-politik": 2, "radikalisme-intoleransi": 1,
}
