#!/usr/bin/env python3
"""Throughput of the Situation Room's analysis pipeline on one core, on news-length texts.

Runs ``Analyzer().analyze_many`` (the pipeline behind the ingestion worker and
``satupintu analyze``) over a corpus of Indonesian news articles of 2,000-4,000 characters,
in batches of 64 like the CLI, pinned to one CPU with every BLAS/OpenMP pool at one thread.
Machines are noisy, so each round measures the pipeline between two runs of a fixed
reference workload (JSON round trip + word split of the same texts) and reports the ratio
pipeline time / reference time; medians over the rounds are printed. A per-stage breakdown
(ms per item) shows where the time goes.

    .venv/bin/python bench/situation_analyze.py [--items 1000] [--rounds 5] [--strict]

See bench/README.md ("Situation Room").
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from common import SetupError

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"  # /work/shared/seeds beside the project
REGION_CSV = ROOT / "satupintu" / "organization" / "data"
TARGET_ITEMS_PER_S = 200.0  # on one core
BATCH = 64  # as `satupintu analyze` (situation/analyze_command.py)
MIN_TEXT, MAX_TEXT = 2000, 4000  # news length, in characters
BASELINE_MIN_S = 1.0  # a reference run repeats the corpus until it has taken this long
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def log(msg: str) -> None:
    print(f"[situation-analyze] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the corpus
#
# Pure standard library, so that bench/situation_room_queries.py can import it too.

FIRST_NAMES = (
    "Ahmad", "Muhammad", "Siti", "Nur", "Dewi", "Abdul", "Hasan", "Rahmat", "Yusuf", "Fitri", "Agus", "Budi",
    "Sri", "Wahyu", "Rina", "Andi", "Made", "Ketut", "Yohanes", "Maria", "Hendra", "Rizal", "Nurul", "Ilham",
    "Fauzan", "Laila", "Syamsul", "Darmawan", "Bambang", "Ratna", "Hairul", "Zainal", "Mustafa", "Aminah",
    "Lukman", "Arief", "Yuliana", "Fransiskus", "Komang", "Teguh", "Eka", "Wayan", "Mahmud", "Sulaiman",
)
LAST_NAMES = (
    "Hidayat", "Saputra", "Rahman", "Hasibuan", "Siregar", "Nasution", "Wijaya", "Kurniawan", "Lestari",
    "Pratama", "Syamsuddin", "Mahmud", "Manurung", "Setiawan", "Hakim", "Harahap", "Sinaga", "Suryadi",
    "Ramadhan", "Fadillah", "Gunawan", "Salim", "Latif", "Nugroho", "Susanto", "Anwar", "Tambunan", "Pane",
    "Yasin", "Bakri", "Wibowo", "Sembiring", "Tanjung", "Ismail", "Kusuma", "Daulay", "Lubis", "Asmara",
)
DEGREES = ("", "", "", ", S.Ag.", ", S.Pd.I.", ", M.Pd.", ", M.Ag.", ", S.H.I., M.H.", ", Lc., M.A.")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DISTRICTS = (
    "Sukamaju", "Tanjung Harapan", "Mekarsari", "Sumber Rejo", "Bukit Indah", "Karang Anyar", "Tanah Merah",
    "Sidomulyo", "Pasir Putih", "Batu Ampar", "Sungai Raya", "Kampung Baru", "Lembah Hijau", "Padang Sari",
    "Ujung Pandang Baru", "Telaga Biru", "Margomulyo", "Air Hitam", "Ranah Indah", "Teluk Sepang",
)
VILLAGES = (
    "Sindangsari", "Tegalrejo", "Harapan Jaya", "Bontomarannu", "Lubuk Sakti", "Wonosari", "Paya Bakong",
    "Karya Makmur", "Waetuo", "Gunung Sari", "Simpang Tiga", "Lamalera", "Rantau Panjang", "Sukadana",
)
VENUES = ("aula Kantor Kementerian Agama {kab}", "Masjid Agung {kota}", "Gedung PLHUT {kota}",
          "aula MAN {n1} {kota}", "Hotel Grand {kota}", "Balai Nikah KUA {kec}", "halaman Kantor Bupati {kota}",
          "Islamic Center {kota}", "Gedung Serbaguna {kota}", "aula Kanwil Kemenag {prov}")
ORGS = ("Baznas", "MUI", "PCNU", "PD Muhammadiyah", "FKUB", "BPBD", "Pengadilan Agama", "Dinas Kesehatan",
        "Polres", "Kodim", "Dinas Pendidikan", "LPTQ", "IPHI", "Dewan Masjid Indonesia")
EMBARKASI = ("Solo", "Surabaya", "Jakarta-Pondok Gede", "Makassar", "Batam", "Medan", "Padang", "Balikpapan",
             "Banjarmasin", "Lombok", "Palembang", "Aceh", "Kertajati")
EVENTS = ("Natal dan Tahun Baru", "Idul Fitri", "Pilkada Serentak", "Pemilu", "Hari Raya Nyepi", "Waisak",
          "Tahun Baru Imlek", "Hari Amal Bakti")
ROLES = (
    "Kepala Kantor Kementerian Agama {kab}", "Kepala Kanwil Kemenag Provinsi {prov}", "Kepala KUA Kecamatan {kec}",
    "Ketua FKUB {kab}", "Kepala MTsN {n1} {kota}", "Kepala Seksi Pendidikan Madrasah", "Penyuluh Agama Islam",
    "Kasubbag Tata Usaha Kemenag {kota}", "Kepala Seksi Penyelenggaraan Haji dan Umrah",
    "Ketua Baznas {kab}", "Sekretaris MUI {kota}", "Bupati {kota}", "Kepala Seksi Bimas Islam",
)

# Topic -> (titles, clauses). Clauses are lower-case sentence bodies with slots; sentences are
# assembled from an opener, a clause and an optional tail, so that two articles on the same
# topic share few word triples (the pipeline's near-duplicate finder compares word 3-shingles).
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "madrasah": ((
        "MTsN {n1} {kota} Gelar Asesmen Madrasah bagi {n3} Siswa",
        "Kemenag {kota} Salurkan Beasiswa untuk {n3} Santri Berprestasi",
        "Guru Madrasah di {kota} Ikuti Pelatihan Kurikulum Merdeka",
        "Siswa MAN {n1} {kota} Raih Juara Olimpiade Sains Tingkat Provinsi {prov}",
        "{n2} Madrasah Swasta di {kota} Ajukan Akreditasi Tahun Ini",
    ), (
        "sebanyak {n3} siswa madrasah di {kab} mengikuti asesmen berbasis komputer selama {n1} hari",
        "pihak madrasah menyiapkan {n2} unit komputer dan jaringan internet cadangan agar ujian berjalan lancar",
        "{nama}, {role}, mengatakan bahwa hasil asesmen akan dipakai untuk memetakan mutu pembelajaran",
        "guru-guru madrasah diminta menyesuaikan perangkat ajar dengan Kurikulum Merdeka sebelum tahun ajaran baru",
        "beasiswa senilai Rp{n3} juta diserahkan kepada santri dan siswa dari keluarga kurang mampu",
        "pondok pesantren di Kecamatan {kec} mencatat kenaikan jumlah santri baru hingga {n2} persen",
        "Kementerian Agama mendorong madrasah swasta di {kota} untuk segera mengurus akreditasi",
        "tunjangan profesi guru madrasah triwulan ini telah cair bagi {n3} guru penerima",
        "para siswa mendapat pembinaan karakter dan praktik ibadah setiap pagi sebelum pelajaran dimulai",
        "orang tua siswa menyambut baik program madrasah ramah anak yang digagas sejak tahun {year}",
        "ruang kelas baru MIN {n1} {kota} dibangun dari dana SBSN senilai Rp{n2} miliar",
        "lulusan madrasah aliyah di {kab} yang diterima di perguruan tinggi negeri naik menjadi {n3} orang",
    )),
    "haji": ((
        "{n3} Calon Jemaah Haji {kota} Ikuti Manasik Tingkat Kabupaten",
        "Pelunasan Bipih Tahap {n1} Dibuka, Kemenag {kota} Imbau Jemaah Segera Melunasi",
        "Kloter {n2} Embarkasi {emb} Diberangkatkan ke Tanah Suci",
        "Jemaah Haji Asal {kota} Tiba Kembali di Tanah Air",
    ), (
        "sebanyak {n3} calon jemaah haji asal {kab} mengikuti bimbingan manasik di {venue}",
        "jemaah diminta menjaga kesehatan dan melengkapi dokumen paspor sebelum batas waktu pelunasan",
        "{nama}, {role}, menjelaskan bahwa kuota haji {kab} tahun ini berjumlah {n3} orang",
        "petugas PLHUT {kota} melayani pendaftaran haji reguler setiap hari kerja mulai pukul 08.00",
        "jemaah lanjut usia mendapat pendampingan khusus dari petugas kesehatan kloter",
        "masyarakat diimbau berhati-hati terhadap tawaran umrah murah dari biro perjalanan yang tidak berizin",
        "keberangkatan kloter {n2} dijadwalkan melalui embarkasi {emb} pada {tgl}",
        "jemaah yang belum melakukan perekaman biometrik diminta datang ke kantor Kemenag paling lambat {tgl}",
        "masa tunggu haji reguler di {prov} kini mencapai {n2} tahun",
        "koper dan paspor jemaah diserahkan di {venue} sehari sebelum keberangkatan",
    )),
    "kua": ((
        "KUA Kecamatan {kec} Catat {n3} Peristiwa Nikah Sepanjang Semester Ini",
        "Bimbingan Perkawinan untuk {n2} Calon Pengantin Digelar di {kota}",
        "Kemenag {kota} Luncurkan Layanan Nikah Terpadu di KUA {kec}",
    ), (
        "KUA Kecamatan {kec} mencatat {n3} peristiwa nikah dan {n1} peristiwa rujuk sejak awal tahun",
        "calon pengantin wajib mengikuti bimbingan perkawinan sebelum akad agar siap membangun keluarga sakinah",
        "{nama}, {role}, menegaskan bahwa nikah di kantor KUA pada jam kerja tidak dipungut biaya",
        "penghulu melayani pernikahan di luar kantor dengan biaya yang disetor langsung ke kas negara",
        "layanan isbat nikah keliling menyasar pasangan yang belum memiliki buku nikah di Desa {desa}",
        "angka perkawinan anak di {kab} turun {n1} persen berkat kerja sama dengan pengadilan agama",
        "penyuluh agama Islam memberikan materi kesehatan reproduksi dan pengelolaan keuangan keluarga",
        "pendaftaran nikah kini dapat dilakukan melalui aplikasi tanpa harus datang berulang kali ke KUA",
        "Balai Nikah KUA {kec} direnovasi agar layanan lebih nyaman bagi pasangan dan keluarga",
    )),
    "fkub": ((
        "FKUB {kota} Gelar Dialog Lintas Agama Jaga Kerukunan Jelang {event}",
        "Tokoh Lintas Iman di {kota} Deklarasikan Komitmen Moderasi Beragama",
        "Kemenag dan FKUB {kota} Kunjungi Rumah Ibadah di Kecamatan {kec}",
    ), (
        "Forum Kerukunan Umat Beragama {kab} menggelar dialog lintas agama yang dihadiri {n2} tokoh agama",
        "{nama}, {role}, mengajak warga untuk tidak mudah terpancing isu yang memecah belah",
        "moderasi beragama menjadi kunci menjaga toleransi di tengah keberagaman masyarakat {kota}",
        "perwakilan umat Islam, Kristen, Katolik, Hindu, Buddha, dan Konghucu menyampaikan pandangan tentang kerukunan",
        "rekomendasi pendirian rumah ibadah diproses sesuai peraturan bersama menteri dengan melibatkan warga sekitar",
        "kegiatan ditutup dengan penandatanganan deklarasi damai dan doa bersama lintas iman",
        "Kampung Moderasi Beragama di Desa {desa} dijadikan contoh praktik toleransi bagi daerah lain",
        "pengamanan ibadah menjelang {event} disiapkan bersama aparat dan pemuda lintas agama",
    )),
    "banjir": ((
        "Banjir Rendam {n2} Madrasah di {kota}, Kemenag Liburkan Kegiatan Belajar",
        "Kemenag {kota} Salurkan Bantuan untuk Korban Banjir di Kecamatan {kec}",
        "Longsor di {kota}, Santri Pondok Pesantren Dievakuasi",
    ), (
        "banjir setinggi {n1} meter merendam permukiman warga dan {n2} gedung madrasah di Kecamatan {kec}",
        "ratusan warga mengungsi ke masjid dan balai desa setelah hujan deras mengguyur {kota} sejak {tgl}",
        "Kantor Kementerian Agama {kab} bersama Baznas menyalurkan bantuan sembako, selimut, dan perlengkapan sekolah",
        "kegiatan belajar di madrasah terdampak dialihkan ke pembelajaran jarak jauh hingga air surut",
        "BPBD mencatat {n3} rumah terdampak dan {n1} jembatan rusak akibat luapan sungai",
        "para penyuluh agama mendampingi korban bencana dengan layanan trauma healing bagi anak-anak",
        "tidak ada korban jiwa dalam peristiwa tersebut, namun kerugian material ditaksir mencapai Rp{n2} miliar",
        "santri dan warga bergotong royong membersihkan lumpur dari ruang kelas dan masjid",
    )),
    "zakat": ((
        "Baznas {kota} Himpun Zakat Rp{n2} Miliar Sepanjang Tahun",
        "Sertifikasi Tanah Wakaf di {kota} Dipercepat",
    ), (
        "Badan Amil Zakat Nasional {kab} menghimpun zakat, infak, dan sedekah senilai Rp{n2} miliar",
        "dana zakat disalurkan kepada {n3} mustahik dalam bentuk modal usaha dan beasiswa",
        "sebanyak {n2} bidang tanah wakaf di {kab} telah bersertifikat berkat kerja sama dengan BPN",
        "nadzir diminta mengelola aset wakaf secara produktif dan transparan",
        "pembayaran zakat kini dapat dilakukan melalui kanal digital dan unit pengumpul zakat di setiap KUA",
    )),
    "halal": ((
        "{n2} Pelaku UMK di {kota} Ikuti Sertifikasi Halal Gratis",
        "Kemenag {kota} Percepat Sertifikasi Halal Produk Pangan",
    ), (
        "program sertifikasi halal gratis menyasar {n3} pelaku usaha mikro dan kecil di {kab}",
        "pendamping proses produk halal membantu pelaku usaha mengisi permohonan melalui sistem BPJPH",
        "produk makanan dan minuman wajib bersertifikat halal sesuai tahapan yang ditetapkan pemerintah",
        "pedagang di pasar tradisional {kota} mendapat sosialisasi kewajiban sertifikasi halal",
    )),
    "layanan": ((
        "Kemenag {kota} Canangkan Zona Integritas Menuju WBK",
        "PTSP Kemenag {kota} Raih Predikat Pelayanan Prima",
        "Layanan Legalisir Ijazah Madrasah di {kota} Kini Bisa Daring",
    ), (
        "seluruh pegawai menandatangani pakta integritas dan berkomitmen menolak gratifikasi",
        "survei kepuasan masyarakat terhadap layanan PTSP mencapai nilai {n2},{n1}",
        "legalisir ijazah, rekomendasi paspor haji, dan izin operasional madrasah kini dapat diajukan secara daring",
        "tim penilai internal mengevaluasi enam area perubahan zona integritas di Kemenag {kota}",
        "{nama}, {role}, meminta petugas melayani dengan ramah, cepat, dan tanpa pungutan liar",
        "antrean di PTSP {kota} berkurang setelah layanan berbasis aplikasi diterapkan",
    )),
    "pemilu": ((
        "Kemenag {kota} Ingatkan ASN Jaga Netralitas Jelang {event}",
    ), (
        "aparatur sipil negara diminta menjaga netralitas dan tidak terlibat kampanye",
        "rumah ibadah tidak boleh dijadikan tempat kampanye politik praktis",
        "penyuluh agama diminta menyejukkan suasana dan menangkal politisasi agama menjelang pemungutan suara",
        "pelanggaran netralitas ASN dapat dilaporkan kepada Bawaslu {kab} disertai bukti",
    )),
    "rakor": ((
        "Rakor Evaluasi Kinerja Triwulan {n1} Digelar di {kota}",
        "Kanwil Kemenag {prov} Evaluasi Realisasi Anggaran Satker",
    ), (
        "realisasi anggaran DIPA hingga akhir bulan ini mencapai {n2} persen",
        "para kepala seksi diminta mempercepat serapan anggaran tanpa mengabaikan akuntabilitas",
        "rapat koordinasi membahas program prioritas dan tindak lanjut arahan pimpinan",
        "sebanyak {n3} PPPK guru madrasah di {kab} menerima surat keputusan pengangkatan",
        "setiap satuan kerja wajib melaporkan capaian kinerja paling lambat {tgl}",
    )),
    "intoleransi": ((
        "Warga Tolak Pembangunan Rumah Ibadah di {kota}, FKUB Turun Tangan",
        "Kemenag {kota} Mediasi Polemik Izin Rumah Ibadah di Desa {desa}",
    ), (
        "sekelompok warga menolak rencana pembangunan rumah ibadah di Desa {desa}",
        "Kemenag dan pemerintah daerah memfasilitasi mediasi antara panitia pembangunan dan warga",
        "aparat kepolisian berjaga untuk mencegah bentrokan di lokasi",
        "masyarakat diimbau tidak menyebarkan hoaks dan ujaran kebencian di media sosial",
        "{nama}, {role}, menyayangkan aksi penolakan yang sempat viral di media sosial",
    )),
    "ibadah": ((
        "Kemenag {kota} Gelar Rukyatul Hilal di {venue}",
        "Masjid di {kota} Siapkan Program Ramadan",
    ), (
        "tim hisab rukyat melakukan pengamatan hilal menjelang awal Ramadan",
        "masjid-masjid di {kota} menyiapkan kegiatan tarawih dan kajian selama bulan puasa",
        "penyuluh agama membina majelis taklim di {n2} desa di Kecamatan {kec}",
        "arah kiblat {n2} masjid di {kab} diukur ulang oleh tim dari Kantor Kementerian Agama",
    )),
}
GENERIC = (
    "kegiatan tersebut dihadiri oleh {role}, {nama}, beserta jajaran",
    "acara berlangsung di {venue} dan diikuti sekitar {n3} peserta dari berbagai unsur",
    "{nama} berharap kegiatan serupa dapat dilaksanakan secara rutin setiap tahun",
    "pihaknya akan terus berkoordinasi dengan pemerintah daerah dan {org} {kota}",
    "masyarakat dapat menyampaikan pengaduan melalui layanan WhatsApp kantor atau datang langsung ke PTSP",
    "hasil kegiatan akan dilaporkan kepada Kepala Kantor Wilayah Kementerian Agama Provinsi {prov}",
    "{org} {kab} menyatakan dukungan penuh terhadap program tersebut",
    "kegiatan dibuka secara resmi oleh {role}, {nama}, pada {tgl}",
    "peserta berasal dari {n2} kecamatan di {kab}",
    "program ini merupakan bagian dari tujuh program prioritas Kementerian Agama",
)
OPENERS = ("", "", "", "Dalam kesempatan tersebut, ", "Selain itu, ", "Menurut {nama}, ", "Pada {tgl}, ",
           "Sementara itu, ", "Di sisi lain, ", "Lebih lanjut, ", "Sebelumnya, ", "Untuk itu, ", "Ke depan, ",
           "Tahun ini, ", "Hingga {tgl}, ", "Berdasarkan data {org}, ")
TAILS = ("", "", "", "", " di {venue}", " bersama {org} {kota}", " sejak {n1} tahun terakhir",
         " yang diikuti {n3} peserta", " sesuai arahan {role}", " pada {tgl}", " di wilayah {kab}")
QUOTES = (
    "Kami ingin layanan ini benar-benar dirasakan manfaatnya oleh masyarakat {kota}",
    "Ini adalah tanggung jawab kita bersama, bukan hanya tugas Kementerian Agama",
    "Kami mohon dukungan semua pihak agar program ini berjalan sesuai rencana",
    "Jangan ragu melapor apabila menemukan pungutan di luar ketentuan",
    "Kerukunan di {kota} harus kita jaga bersama, mulai dari lingkungan terdekat",
    "Target kami tahun ini adalah {n3} penerima manfaat di seluruh {kab}",
    "Kami sudah berkoordinasi dengan {org} agar penanganannya cepat dan tepat",
)


class Places:
    """Regencies and provinces from the shipped Kemendagri list (falls back to a few names)."""

    def __init__(self) -> None:
        provinces: dict[str, str] = {}
        self.regencies: list[tuple[str, str, str]] = []  # (full name, short name, province name)
        try:
            with open(REGION_CSV / "provinces.csv", encoding="utf-8") as f:
                provinces = {row["code"]: row["name"] for row in csv.DictReader(f)}
            with open(REGION_CSV / "regencies.csv", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    full = row["name"]
                    short = full.removeprefix("Kabupaten ").removeprefix("Kota Administrasi ").removeprefix("Kota ")
                    self.regencies.append((full, short, provinces.get(row["province_code"], "")))
        except OSError:
            pass
        if not self.regencies:
            self.regencies = [("Kota Palopo", "Palopo", "Sulawesi Selatan"), ("Kabupaten Sleman", "Sleman",
                              "Daerah Istimewa Yogyakarta"), ("Kota Samarinda", "Samarinda", "Kalimantan Timur"),
                              ("Kabupaten Garut", "Garut", "Jawa Barat"), ("Kota Kupang", "Kupang",
                              "Nusa Tenggara Timur")]


def _number(rng: random.Random, digits: int) -> str:
    return str(rng.randint(10 ** (digits - 1) if digits > 1 else 2, 10 ** digits - 1))


class ArticleMaker:
    """Indonesian news-like articles of a given length, varied enough not to be near-duplicates."""

    SEED_PLACES = ("Luwu Utara", "Sulawesi Selatan", "Sulsel", "Palopo", "Samarinda", "Kaltim", "Pangkep",
                   "Parepare", "Sidrap", "Semarang", "Jateng", "Magelang", "Kalimantan Timur")
    SEED_PEOPLE = ("M.Rusydi Hasyim", "Khaeroni", "Mawardy Siradj", "Yaqut Cholil Qoumas", "Musta’in Ahmad",
                   "Sofia Nur", "Abdurrosyid", "Maharani Ramadhanty Fitria")

    def __init__(self, seed: int = 7, seeds_dir: Path | None = None):
        self.rng = random.Random(seed)
        self.places = Places()
        self.seed_paragraphs: list[str] = []
        self.seed_files: list[Path] = []
        if seeds_dir is not None and seeds_dir.is_dir():
            self.seed_files = sorted(seeds_dir.glob("*.txt"))
            for path in self.seed_files:
                for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                    line = re.sub(r"\s+", " ", line).strip()
                    if len(line) >= 60:  # paragraphs, not share buttons, phone numbers or headings
                        self.seed_paragraphs.append(line)
        self._places_re = re.compile(r"\b(" + "|".join(map(re.escape, self.SEED_PLACES)) + r")\b", re.I)
        self._people_re = re.compile("|".join(map(re.escape, self.SEED_PEOPLE)))

    # -- slots
    def _slots(self) -> dict[str, Callable[[], str]]:
        rng = self.rng
        full, short, prov = rng.choice(self.places.regencies)
        day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 730))

        def tgl() -> str:
            d = day + timedelta(days=rng.randint(-20, 20))
            if rng.random() < 0.5:
                return f"{WEEKDAYS[d.weekday()]} ({d.day}/{d.month})"
            return f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}"

        def nama() -> str:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            return ("H. " if rng.random() < 0.25 else "") + name + rng.choice(DEGREES)

        fixed = {"kota": short, "kab": full, "prov": prov, "kec": rng.choice(DISTRICTS), "desa": rng.choice(VILLAGES)}
        slots: dict[str, Callable[[], str]] = {k: (lambda v=v: v) for k, v in fixed.items()}
        slots.update({
            "n1": lambda: _number(rng, 1), "n2": lambda: _number(rng, 2), "n3": lambda: _number(rng, 3),
            "year": lambda: str(rng.randint(2015, 2024)), "tgl": tgl, "nama": nama,
            "org": lambda: rng.choice(ORGS), "emb": lambda: rng.choice(EMBARKASI), "event": lambda: rng.choice(EVENTS),
        })
        slots["venue"] = lambda: self._fill(rng.choice(VENUES), slots)
        slots["role"] = lambda: self._fill(rng.choice(ROLES), slots)
        return slots

    @staticmethod
    def _fill(template: str, slots: dict[str, Callable[[], str]]) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)](), template)

    def _sentence(self, clauses: tuple[str, ...], slots: dict[str, Callable[[], str]]) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            return f"“{self._fill(rng.choice(QUOTES), slots)},” {rng.choice(('kata', 'ujar', 'tegas', 'jelas'))} " \
                   f"{slots['nama']().rstrip('.')}."
        body = self._fill(rng.choice(OPENERS) + rng.choice(clauses) + rng.choice(TAILS), slots).rstrip(".")
        return body[0].upper() + body[1:] + "."

    def _seed_paragraph(self, slots: dict[str, Callable[[], str]]) -> str:
        """A seed paragraph with other places, people and numbers."""
        rng = self.rng
        text = rng.choice(self.seed_paragraphs)
        text = self._places_re.sub(lambda m: slots["prov"]() if m.group(1).lower() in (
            "sulawesi selatan", "sulsel", "kaltim", "jateng", "kalimantan timur") else slots["kota"](), text)
        text = self._people_re.sub(lambda m: slots["nama"](), text)

        def number(m: re.Match[str]) -> str:
            s = m.group(0)
            if len(s) == 4 and s.startswith(("19", "20")):
                return str(rng.randint(2019, 2025))
            return "".join(rng.choice("0123456789") if i or s[0] == "0" else rng.choice("123456789")
                           for i in range(len(s)))

        return re.sub(r"\d+", number, text)

    def article(self, min_chars: int = MIN_TEXT, max_chars: int = MAX_TEXT) -> tuple[str, str]:
        """(title, text) with min_chars <= len(text) <= max_chars."""
        rng = self.rng
        slots = self._slots()
        themes = rng.sample(sorted(THEMES), 3)
        main = THEMES[themes[0]]
        clauses = main[1] * 3 + THEMES[themes[1]][1] + THEMES[themes[2]][1] + GENERIC
        title = self._fill(rng.choice(main[0]), slots)
        kota = slots["kota"]()
        dateline = rng.choice((f"{kota} (Humas {kota}) – ", f"{kota}, (Humas) – ", f"{kota.upper()} – ",
                               f"{kota} (Kemenag) - "))
        paragraphs = [dateline + self._sentence(main[1], slots) + " " + self._sentence(main[1], slots)]
        target = rng.randint(min_chars, max_chars - 400)
        length = len(paragraphs[0])
        body: list[str] = []
        while length < target:
            if self.seed_paragraphs and rng.random() < 0.35:
                p = self._seed_paragraph(slots)
            else:
                p = " ".join(self._sentence(clauses, slots) for _ in range(rng.randint(2, 4)))
            if length + len(p) + 1 > max_chars:
                continue
            body.append(p)
            length += len(p) + 1
        rng.shuffle(body)
        if rng.random() < 0.6:
            body.append(f"({rng.choice(('rf', 'wn', 'qq', 'ran', 'Humas'))}/{rng.choice(FIRST_NAMES)[:3].lower()})")
        text = "\n".join(paragraphs + body)
        return title, text[:max_chars]

    def short_text(self, min_chars: int = 80, max_chars: int = 400) -> str:
        """A post or feed summary: one to three sentences."""
        slots = self._slots()
        themes = THEMES[self.rng.choice(sorted(THEMES))][1] + GENERIC
        text = " ".join(self._sentence(themes, slots) for _ in range(self.rng.randint(1, 3)))
        if len(text) < min_chars:
            text += " " + self._sentence(GENERIC, slots)
        return text if len(text) <= max_chars else text[:max_chars].rsplit(" ", 1)[0]


# ------------------------------------------------------------------ measuring

@dataclass
class Round:
    pipeline_s: float
    baseline_before_s: float  # per item
    baseline_after_s: float  # per item
    duplicates: int
    n: int  # items

    @property
    def items_per_s(self) -> float:
        return self.n / self.pipeline_s

    @property
    def ratio(self) -> float:
        return (self.pipeline_s / self.n) / ((self.baseline_before_s + self.baseline_after_s) / 2)


def run_pipeline(records: list, batch: int) -> tuple[float, int]:
    """Seconds for the whole corpus with a fresh Analyzer (as one `satupintu analyze` run), and how
    many items it found to be near-duplicates."""
    from satupintu.situation.analysis import Analyzer

    gc.collect()
    analyzer = Analyzer()
    duplicates = 0
    t0 = time.perf_counter()
    for i in range(0, len(records), batch):
        for a in analyzer.analyze_many(records[i:i + batch]):
            duplicates += a.duplicate_of is not None
    return time.perf_counter() - t0, duplicates


_WORD = re.compile(r"\w+")


def run_baseline(records: list) -> float:
    """The reference workload: seconds per item for a JSON round trip of the record and a word
    split of its text. Plain interpreter and regex work that any machine does at about the same
    speed relative to the pipeline. Repeats the corpus until BASELINE_MIN_S has passed."""
    gc.collect()
    done = 0
    t0 = time.perf_counter()
    while True:
        for r in records:
            obj = json.loads(json.dumps({"id": r.id, "title": r.title, "text": r.text,
                                         "published_at": r.published_at.isoformat()}))
            _WORD.findall(obj["text"].lower())
        done += len(records)
        elapsed = time.perf_counter() - t0
        if elapsed >= BASELINE_MIN_S:
            return elapsed / done


# Stage -> the functions `satupintu.situation.analysis` imports and calls for it. The breakdown
# wraps these names in that module with timers and runs the real Analyzer, so it follows the
# pipeline as it changes; a name the module no longer has is skipped, and a function it calls
# that no stage lists is reported (its time lands in "other").
STAGES: dict[str, tuple[str, ...]] = {
    "tokenize": ("tokenize",),
    "places": ("find_places",),
    "topics": ("topic_counts", "topics_from_counts", "domain_from_counts"),
    "language": ("detect_language",),
    "sentiment": ("sentiment_many",),
    "minhash": ("minhash", "signature"),
    "dedupe": (),  # DuplicateFinder.check_and_add, wrapped on the class
    "entities": ("find_entities",),
    "dates": ("resolve_dates", "published_date_from_text", "date_from_url", "date_from_weekday_and_year"),
    "meeting": ("find_meeting",),
    "news tone": ("blended_tone", "clear_article_tone", "news_polarity"),
    "news model": ("predict", "make_signals", "get_news_model"),  # topics, domain, tone learned from news
}


def stage_breakdown(records: list, batch: int) -> tuple[dict[str, float], float, int, list[str]]:
    """Seconds per stage over one pass of the real pipeline, that pass's total, how many texts the
    sentiment model was given, and the pipeline's functions no stage covers.

    Stages run in the pipeline's own order and share its per-text caches (entities and meeting
    both read people, organisations and date mentions), so each is charged what it costs there.
    The timers add well under a microsecond per call."""
    from satupintu.situation import analysis as A
    from satupintu.situation.nlp.dedupe import DuplicateFinder

    spent = dict.fromkeys(STAGES, 0.0)
    model_texts = 0
    pc = time.perf_counter
    originals: dict[str, object] = {}

    def timed(stage: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            t = pc()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += pc() - t
        return wrapper

    def count_texts(fn):  # type: ignore[no-untyped-def]
        def wrapper(texts, *args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal model_texts
            model_texts += len(texts)
            return fn(texts, *args, **kwargs)
        return wrapper

    for stage, names in STAGES.items():
        for name in names:
            if callable(getattr(A, name, None)):
                originals[name] = getattr(A, name)
                fn = originals[name]
                setattr(A, name, timed(stage, count_texts(fn) if name == "sentiment_many" else fn))
    uncovered = sorted(name for name, obj in vars(A).items()
                       if callable(obj) and not isinstance(obj, type) and name not in originals
                       and getattr(obj, "__module__", "").startswith("satupintu.situation.nlp"))
    original_check = DuplicateFinder.check_and_add
    DuplicateFinder.check_and_add = timed("dedupe", original_check)  # type: ignore[method-assign]
    try:
        gc.collect()
        analyzer = A.Analyzer()
        t0 = pc()
        for i in range(0, len(records), batch):
            analyzer.analyze_many(records[i:i + batch])
        total = pc() - t0
    finally:
        DuplicateFinder.check_and_add = original_check  # type: ignore[method-assign]
        for name, fn in originals.items():
            setattr(A, name, fn)
    return spent, total, model_texts, uncovered


def pin_one_core(cpu: int | None) -> int:
    allowed = sorted(os.sched_getaffinity(0))
    if cpu is None:
        cpu = allowed[-1]  # the last one: the first often takes the interrupts
    if cpu not in allowed:
        raise SetupError(f"CPU {cpu} is not available to this process (allowed: {allowed})")
    os.sched_setaffinity(0, {cpu})
    return cpu


def build_records(n: int, seeds_dir: Path | None, seed: int) -> tuple[list, str]:
    from satupintu.situation.analysis import Record

    maker = ArticleMaker(seed=seed, seeds_dir=seeds_dir)
    now = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    records = []
    for i in range(n):
        title, text = maker.article()
        records.append(Record(id=f"bench-{i}", text=text, title=title,
                              published_at=now - timedelta(minutes=17 * (n - i))))
    if maker.seed_paragraphs:
        what = (f"{len(maker.seed_files)} seed articles ({len(maker.seed_paragraphs)} paragraphs, "
                f"{seeds_dir}) mixed with generated paragraphs")
    else:
        what = "generated articles (no seed articles found)"
    return records, what


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Throughput of the Situation Room analysis pipeline on one core.")
    p.add_argument("--items", type=int, default=1000, help="corpus size (default 1000)")
    p.add_argument("--rounds", type=int, default=5, help="measured rounds; medians are reported (default 5)")
    p.add_argument("--batch", type=int, default=BATCH, help=f"items per analyze_many call (default {BATCH}, as the CLI)")
    p.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: the last one allowed)")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help=f"seed articles (default {DEFAULT_SEEDS})")
    p.add_argument("--no-seeds", action="store_true", help="generated articles only, even if seeds exist")
    p.add_argument("--corpus-seed", type=int, default=7, help="random seed of the corpus (default 7)")
    p.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    p.add_argument("--output", type=Path, default=None, help="also write the results as JSON to this file")
    p.add_argument("--strict", action="store_true", help=f"exit 1 below {TARGET_ITEMS_PER_S:g} items/s")
    args = p.parse_args(argv)
    if args.items < 1 or args.rounds < 1 or args.batch < 1:
        p.error("--items, --rounds and --batch must be at least 1")

    # One core, one thread everywhere, before numpy (imported by the pipeline) is loaded.
    for var in THREAD_VARS:
        os.environ[var] = "1"
    data_dir = tempfile.mkdtemp(prefix="satupintu-bench-analyze-")
    os.environ["SATUPINTU_DATA_DIR"] = data_dir  # settings write a secret key there, nothing else
    os.environ.pop("DATABASE_URL", None)  # the pipeline needs no database; never touch the user's
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    try:
        cpu = pin_one_core(args.cpu)
        sys.path.insert(0, str(ROOT))
        t = time.perf_counter()
        import django

        django.setup()
        import satupintu.situation.analysis  # noqa: F401  (numpy, datasketch, lingua, ...)

        import_s = time.perf_counter() - t
        log(f"pinned to CPU {cpu}; imports {import_s:.2f} s; building the corpus")
        seeds_dir = None if args.no_seeds else args.seeds
        records, corpus_what = build_records(args.items, seeds_dir, args.corpus_seed)
        lengths = [len(r.text) for r in records]

        # Cold start: the models (sentiment, language profiles, gazetteer, lexicons) load on the
        # first call. The same batch again, warm, tells the load time apart.
        first = records[:args.batch]
        cold_s, _ = run_pipeline(first, args.batch)
        warm_s, _ = run_pipeline(first, args.batch)
        load_s = max(0.0, cold_s - warm_s)
        log(f"cold first batch {cold_s:.2f} s, warm {warm_s:.2f} s: model load ~{load_s:.2f} s; warming up")
        run_pipeline(records[:min(len(records), 4 * args.batch)], args.batch)
        run_baseline(records)

        rounds: list[Round] = []
        for k in range(1, args.rounds + 1):
            before = run_baseline(records)
            pipeline_s, dups = run_pipeline(records, args.batch)
            after = run_baseline(records)
            r = Round(pipeline_s, before, after, dups, n=len(records))
            rounds.append(r)
            log(f"round {k}/{args.rounds}: {r.items_per_s:.1f} items/s, reference {1 / before:.0f}/"
                f"{1 / after:.0f} items/s, ratio {r.ratio:.0f}x")

        stages = pipeline_stage_s = None
        model_texts, uncovered = 0, []
        if not args.no_stages:
            log("per-stage breakdown")
            stages, pipeline_stage_s, model_texts, uncovered = stage_breakdown(records, args.batch)
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except SetupError as e:
        log(f"cannot run: {e}")
        return 2
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    n = len(records)
    ips = statistics.median(r.items_per_s for r in rounds)
    base_ips = statistics.median(2 / (r.baseline_before_s + r.baseline_after_s) for r in rounds)
    ratio = statistics.median(r.ratio for r in rounds)
    ratios = [r.ratio for r in rounds]
    passed = ips >= TARGET_ITEMS_PER_S

    print()
    print(f"Situation Room analysis pipeline, one core (CPU {cpu}), {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()}")
    print(f"corpus: {n} items, {corpus_what}")
    print(f"        text length {min(lengths)}-{max(lengths)} chars, median {statistics.median(lengths):.0f}; "
          f"batches of {args.batch}; {args.rounds} rounds")
    print(f"start-up: imports {import_s:.2f} s, model load ~{load_s:.2f} s (first batch {cold_s:.2f} s cold, "
          f"{warm_s:.2f} s warm); not in the figures below")
    print()
    print(f"{'':<22}{'items/s':>10}{'ms/item':>10}")
    print(f"{'pipeline (median)':<22}{ips:>10.1f}{1000 / ips:>10.2f}")
    print(f"{'reference (median)':<22}{base_ips:>10.0f}{1000 / base_ips:>10.3f}")
    print(f"ratio pipeline time / reference time: {ratio:.0f}x (rounds {min(ratios):.0f}-{max(ratios):.0f}x)")
    dup_counts = sorted({r.duplicates for r in rounds})
    print(f"near-duplicates found in the corpus: {', '.join(map(str, dup_counts))} of {n} "
          "(the corpus is meant to have none)")
    if stages is not None:
        per_item = {k: 1000 * v / n for k, v in stages.items()}
        total = sum(per_item.values())
        real = 1000 * pipeline_stage_s / n
        print()
        print(f"per stage (one pass of the real pipeline with timers, in batches of {args.batch}; ms per item):")
        for name in sorted(per_item, key=lambda k: -per_item[k]):
            print(f"  {name:<12}{per_item[name]:>8.3f}  {100 * per_item[name] / real:>5.1f}%")
        print(f"  {'other':<12}{real - total:>8.3f}  {100 * (real - total) / real:>5.1f}%   "
              "(the rest: building results, batching, the timers)")
        print(f"  {'pipeline':<12}{real:>8.3f}  100.0%   ({1000 / real:.1f} items/s in this pass)")
        print(f"  the sentiment model was given {model_texts} of {n} texts "
              f"({1000 * stages['sentiment'] / max(1, model_texts):.3f} ms per text it read)")
        if uncovered:
            print(f"  not broken down (counted in other): {', '.join(uncovered)}: add them to STAGES")
    print()
    verdict = "PASS" if passed else "FAIL"
    print(f"target: >= {TARGET_ITEMS_PER_S:g} items/s on one core: {verdict} ({ips:.1f} items/s)")

    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps({
            "when": datetime.now(UTC).isoformat(timespec="seconds"), "cpu": cpu, "items": n,
            "corpus": corpus_what, "batch": args.batch, "import_s": import_s, "load_s": load_s,
            "items_per_s": ips, "reference_items_per_s": base_ips, "ratio": ratio,
            "rounds": [{"items_per_s": r.items_per_s, "ratio": r.ratio, "reference_items_per_s":
                        2 / (r.baseline_before_s + r.baseline_after_s), "duplicates": r.duplicates} for r in rounds],
            "stages_ms_per_item": {k: 1000 * v / n for k, v in (stages or {}).items()},
            "target_items_per_s": TARGET_ITEMS_PER_S, "verdict": verdict,
        }, indent=2), encoding="utf-8")
    return 1 if (args.strict and not passed) else 0


if __name__ == "__main__":
    sys.exit(main())
