"""Which meeting a news item reports and of which kind, by the labelling rules
(situation-news-RULES.md): each rule on sentences written for it."""

import datetime

import pytest

from satupintu.situation.nlp.meetings import find_meeting


def _kind(text: str, title: str = "") -> str | None:
    meeting = find_meeting(text, title)
    return meeting["type"] if meeting else None


@pytest.mark.parametrize(("text", "kind"), [
    # Spelling variants and abbreviations, in any case.
    ("Kemenag Kabupaten menggelar rapat kordinasi lintas sektor di aula kantor.", "rakor"),
    ("Kanwil Kemenag menggelar Rakordasi bidang pendidikan madrasah, Senin (3/6).", "rakor"),
    ("KANWIL KEMENAG MENGGELAR RAPAT KOORDINASI PERSIAPAN HAJI.", "rakor"),
    ("Kantor Kemenag Kota mengikuti Rakorwil Kemenag Provinsi di Sorong.", "rakor"),
    ("Pemerintah Kabupaten menggelar Rapat Kerja Daerah bersama seluruh OPD.", "rapat-kerja"),
    ("Kemenag Kabupaten mengikuti RAKERDA yang dibuka Bupati.", "rapat-kerja"),
    ("Dharma Wanita Persatuan menggelar Muskerwil di aula Kanwil.", "lainnya"),
    ("Seksi Bimas Islam menggelar rapat intern membahas laporan triwulan.", "lainnya"),
])
def test_names_and_their_variants(text, kind):
    assert _kind(text) == kind


@pytest.mark.parametrize("text", [
    # A room named after meetings is a place, not a meeting.
    "Penyerahan bantuan kepada siswa madrasah berlangsung di Aula Rapat Kakanwil, Senin (3/6).",
    "Ramah tamah digelar di ruang pertemuan hotel sebelum para tamu pulang.",
    # Where an official is at the moment is an aside, not what the item reports.
    "Kondisi di lokasi sudah kondusif, tambah Kakanwil yang saat ini sedang mengikuti Rakernas di Jakarta.",
    "Bupati diwakili Asisten I karena mengikuti Rakor di Makassar.",
    # A link to another article is not read.
    "Kemenag Kota menyalurkan bantuan kepada korban banjir, Senin (3/6).\n"
    "Baca juga: Kanwil Gelar Rakorwil di Sorong, Perkuat Organisasi\nBantuan berupa sembako dan selimut.",
    # Time words are no reference back to a meeting.
    "Program Rakor tahun ini belum disusun oleh panitia.",
])
def test_not_the_meeting_reported(text):
    assert find_meeting(text) is None


@pytest.mark.parametrize("text", [
    # Dialog, media gathering, FGD and sosialisasi are not meetings; "pertemuan ini" refers back to them.
    "Kanwil menggelar Dialog Tokoh Agama, Kamis (14/12). Pertemuan ini digelar untuk meredam berita yang viral.",
    "Kanwil menggelar Media Ghatering di hotel. Pertemuan ini dihadiri 50 awak media.",
    "Seksi Bimas Islam menyelenggarakan Focus Group Discussion (FGD) bertajuk deteksi dini konflik.",
    "Kemenag Kota melaksanakan sosialisasi regulasi rumah ibadah. Pertemuan tersebut berlangsung di aula.",
])
def test_activities_that_are_not_meetings(text):
    assert find_meeting(text) is None


def test_a_meeting_held_after_a_non_meeting_activity_still_counts():
    text = ("Kemenag Kota melaksanakan sosialisasi regulasi rumah ibadah. Usai sosialisasi, Kakanwil memimpin "
            "rapat evaluasi program.")
    assert _kind(text) == "lainnya"


def test_a_reference_back_reports_the_meeting():
    # No verb of holding: "ini"/"tersebut" after the name says it is the meeting being reported.
    assert _kind("Rapat kerja pengawas PAI ini memilih ketua baru.") == "rapat-kerja"
    # "Lebih lanjut" is "furthermore", not a follow-up of an earlier meeting.
    assert _kind("Lebih lanjut dalam Raker tersebut peserta merumuskan program kerja.") == "rapat-kerja"
    assert find_meeting("Sebagai tindak lanjut Rakernas, satker menyusun rencana aksi.") is None


def test_a_meeting_held_comes_before_one_to_come():
    text = ("Seksi Pendidikan Madrasah menggelar rapat evaluasi madrasah, Rabu (20/7). Rakor Madrasah yang akan "
            "diadakan pekan depan dibahas pula. Pada Rakor ini nantinya hadir narasumber dari Kanwil. Kepala "
            "madrasah diminta segera mengikuti Rakor tersebut.")
    assert _kind(text) == "lainnya"
    # An announcement alone is still the meeting reported.
    assert _kind("Kanwil Kemenag akan menggelar Rakor Haji pada 20 Mei mendatang di Asrama Haji.") == "rakor"
    # "akan berlangsung ... dibuka": the meeting has begun.
    text = ("Rakor yang akan berlangsung hingga Rabu ini dibuka Kakanwil, Senin (3/6). Usai pembukaan, panitia "
            "menggelar rapat evaluasi.")
    assert _kind(text) == "rakor"


def test_the_name_in_the_lead_counts_double():
    text = ("Kemenag Kota menggelar Raker, Senin (3/6). Peserta juga mengikuti Rakor bidang haji. "
            "Rakor bidang itu dipimpin Kasi PHU.")
    assert _kind(text) == "rapat-kerja"
    # ... but a name the item keeps using outweighs it.
    text = ("Rapat Koordinasi Pengawas dibuka Kabid Pakis, Senin (23/9). Rapat kerja pengawas ini memilih ketua "
            "baru. Dalam rapat kerja tersebut program dirumuskan. Sesi diskusi rapat kerja tersebut berjalan lancar.")
    assert _kind(text) == "rapat-kerja"


def test_a_headline_or_caption_with_its_day():
    text = ("Kakankemenag Dukung Kedatangan Tim FKUB\n\nRapat koordinasi persiapan kunjungan tim FKUB ke Kubar, "
            "(23/10)\n\nKutai Barat – Jajaran FKUB mengunjungi kantor Kemenag untuk berkoordinasi.")
    meeting = find_meeting(text, published_at=datetime.date(2023, 10, 24))
    assert meeting is not None and meeting["type"] == "rakor" and meeting["date"] == "2023-10-23"
