"""Dates, entities and meeting facts from Indonesian news: each rule on sentences written for it,
then the five labelled seed articles, then inputs that must never break the pipeline."""

import datetime
import json
import random
from pathlib import Path

import pytest

from satupintu.situation.nlp.dates import published_date_from_text, resolve_dates
from satupintu.situation.nlp.entities import find_entities
from satupintu.situation.nlp.meetings import MEETING_TYPES, find_meeting

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "situation-dev.jsonl"
MEETING_KEYS = {"type", "date", "place", "organiser", "participants", "officials", "instructions", "deadlines"}


def _rows() -> list[dict]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def _dates(text: str, published: datetime.date | None) -> list[str]:
    return [d["date"] for d in resolve_dates(text, published)]


def _people(text: str, title: str = "") -> dict[str, str]:
    return {p["name"]: p["role"] for p in find_entities(text, title)["people"]}


# -- dates ------------------------------------------------------------------------------------------------------

PUBLISHED = datetime.date(2021, 4, 7)  # a Wednesday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rapat digelar Senin, 05 April 2021 di aula.", "2021-04-05"),
        ("Kegiatan berlangsung pada 5 April 2021.", "2021-04-05"),
        ("Surat edaran tertanggal 05/04/2021 sudah diterima.", "2021-04-05"),
        ("Data diperbarui 2021-04-05 pukul 10.00 WIB.", "2021-04-05"),
        ("Jadwal manasik dimulai 3 Agt 2020.", "2020-08-03"),
        ("Pendaftaran ditutup 12 Des 2020.", "2020-12-12"),
        ("Sidang isbat digelar 1 Nopember 2019.", "2019-11-01"),
        ("Pengumuman (14/3/2018) menyebutkan hal itu.", "2018-03-14"),
    ],
)
def test_full_dates_need_no_publication_date(text, expected):
    assert _dates(text, None) == [expected]
    assert _dates(text, PUBLISHED) == [expected]


def test_newspaper_style_day_and_month_takes_the_year_of_the_publication():
    assert resolve_dates("“Kita harus bergerak,” kata Kakanwil Rabu (14/3).", datetime.date(2018, 3, 16)) == [
        {"text": "Rabu (14/3)", "date": "2018-03-14"}]
    assert _dates("Rakernas dibuka pada Senin, (5/4).", PUBLISHED) == ["2021-04-05"]
    assert _dates("Pertemuan dilaksanakan Jum'at (2/4) lalu.", PUBLISHED) == ["2021-04-02"]


def test_a_yearless_date_goes_to_the_nearest_year_but_not_far_into_the_future():
    assert _dates("Pada 28 Desember tim sudah berangkat.", datetime.date(2022, 1, 3)) == ["2021-12-28"]
    assert _dates("Rakor berikutnya digelar 10 Januari.", datetime.date(2021, 12, 20)) == ["2022-01-10"]
    assert _dates("Kegiatan serupa pernah digelar 5 Desember.", datetime.date(2021, 6, 1)) == ["2020-12-05"]


def test_a_weekday_that_does_not_match_the_date_does_not_override_it():
    assert _dates("Kegiatan pada Senin, 7 April 2021.", None) == ["2021-04-07"]  # 7 April 2021 was a Wednesday


def test_ranges_give_the_start_and_keep_the_end():
    assert resolve_dates("Rakernas digelar mulai 5-7 April 2021.", None) == [
        {"text": "5-7 April 2021", "date": "2021-04-05", "end": "2021-04-07"}]
    assert resolve_dates("Bimtek berlangsung 30 Maret - 2 April 2021.", None) == [
        {"text": "30 Maret - 2 April 2021", "date": "2021-03-30", "end": "2021-04-02"}]
    assert resolve_dates("Libur 28 Desember - 2 Januari 2022.", None)[0]["date"] == "2021-12-28"
    assert resolve_dates("Manasik digelar Senin-Rabu (5-7/4).", PUBLISHED)[0]["end"] == "2021-04-07"


def test_relative_words_count_from_the_publication_date():
    text = "Hari ini verifikasi dimulai, kemarin berkas dikumpulkan, besok diumumkan dan lusa dilantik."
    assert _dates(text, PUBLISHED) == ["2021-04-07", "2021-04-06", "2021-04-08", "2021-04-09"]
    assert _dates(text, None) == []


def test_kemarin_meaning_recent_is_not_yesterday():
    assert _dates("Capaian sepanjang tahun 2023 kemarin sangat baik.", PUBLISHED) == []
    assert _dates("Hal itu ditegaskan saat Rakernas kemarin.", PUBLISHED) == []
    assert _dates("Hal itu disampaikan Menag kemarin di Jakarta.", PUBLISHED) == ["2021-04-06"]


def test_a_weekday_alone_is_the_latest_such_day_up_to_publication():
    assert _dates("Rapat digelar pada hari Senin di aula.", PUBLISHED) == ["2021-04-05"]
    assert _dates("Kakanwil meninjau lokasi Rabu.", PUBLISHED) == ["2021-04-07"]
    assert _dates("Pelatihan dibuka Rabu lalu.", PUBLISHED) == ["2021-03-31"]
    assert _dates("Sosialisasi dilanjutkan Jumat depan.", PUBLISHED) == ["2021-04-09"]
    assert _dates("Rapat digelar pada hari Senin di aula.", None) == []


@pytest.mark.parametrize(
    "text",
    [
        "Layanan WA dibuka Senin - Jumat pukul 08.00 - 16.00.",
        "Pengajian rutin digelar setiap Kamis malam.",
        "Jamaah memadati masjid untuk salat Jumat.",
        "Minggu lalu banyak kegiatan di madrasah.",
        "Program ini berjalan satu minggu penuh.",
        "Telepon 081128099990 atau ke ruang 2.",
        "Ada 4 penguatan dan 7 program prioritas pada tahun 2024.",
        "Usulan tanggal 31 Februari 2021 ditolak.",
    ],
)
def test_texts_without_a_usable_date(text):
    assert resolve_dates(text, PUBLISHED) == []


def test_dates_come_in_order_one_per_day():
    text = "Senin, 05 April 2021 | 13:46\n\nRakernas digelar 5-7 April 2021 dan ditutup Rabu (7/4)."
    assert resolve_dates(text, None) == [
        {"text": "Senin, 05 April 2021", "date": "2021-04-05", "end": "2021-04-07"}]
    assert _dates(text, PUBLISHED) == ["2021-04-05", "2021-04-07"]


def test_publication_date_from_the_page_header():
    assert published_date_from_text("Judul berita\n\nSenin, 05 April 2021 | 13:46   Dibaca 35 kali\n\nIsi") == \
        datetime.date(2021, 4, 5)
    assert published_date_from_text("Diterbitkan: 12/01/2024 09:15 WIB\nPalopo (Humas) - ...") == \
        datetime.date(2024, 1, 12)
    # A lead sentence naming the event's day is not the page's date line.
    lead = ("Pangkep, (Humas) – Kanwil Kemenag Sulsel menggelar Rapat Koordinasi Kehumasan di Aula PLHUT "
            "Kabupaten Pangkep, Senin, 8 Januari 2024.")
    assert published_date_from_text(lead) is None
    assert published_date_from_text("Rapat digelar Senin, 5 April 2021.\nIsi berita.") is None
    assert published_date_from_text("") is None


# -- entities ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name, role",
    [
        ("Hal itu disampaikan Khaeroni, Kakanwil Kemenag Sulsel, saat membuka kegiatan.",
         "Khaeroni", "Kakanwil Kemenag Sulsel"),
        ("Menurut Kepala Kantor Kemenag Kabupaten Gowa, Dr. H. Jamaris, S.Ag., M.Pd., pelayanan harus cepat.",
         "Dr. H. Jamaris", "Kepala Kantor Kemenag Kabupaten Gowa"),
        ("Bupati Luwu Utara, Indah Putri Indriani, hadir membuka acara.", "Indah Putri Indriani", "Bupati Luwu Utara"),
        ("Wakil Menteri Agama Zainut Tauhid Sa'adi membuka acara.", "Zainut Tauhid Sa'adi", "Wakil Menteri Agama"),
        ("Plt. Kakanwil Kemenag Prov. Jatim, Dr. H. Husnul Maram, M.H.I. meminta laporan dikirim.",
         "Dr. H. Husnul Maram", "Plt. Kakanwil Kemenag Prov. Jatim"),
        ("Rapat dipimpin Kabag TU Kanwil Kemenag DIY Jauhar Mustofa di aula.", "Jauhar Mustofa",
         "Kabag TU Kanwil Kemenag DIY"),
        ("Rektor UIN Alauddin Makassar, Prof. Hamdan Juhannis, menyampaikan sambutan.", "Prof. Hamdan Juhannis",
         "Rektor UIN Alauddin Makassar"),
        ("Ketua FKUB Kota Magelang KH. Muhammad Ali hadir.", "KH. Muhammad Ali", "Ketua FKUB Kota Magelang"),
        ("Demikian disampaikan Sofia Nur Kepala Kantor Kementerian Agama Kota Magelang pada rapat itu.",
         "Sofia Nur", "Kepala Kantor Kementerian Agama Kota Magelang"),
        ("Rakernas dibuka oleh Menteri Agama (Menag) Yaqut Cholil Qoumas yang hadir di Jakarta.",
         "Yaqut Cholil Qoumas", "Menteri Agama"),
        ("Bertempat di aula, rapat dipimpin Kakanwil Kemenag Prov. Jateng, Musta’in Ahmad berjalan lancar.",
         "Musta'in Ahmad", "Kakanwil Kemenag Prov. Jateng"),
        ("Kegiatan dihadiri Kepala KUA Kecamatan Masamba, H. Abdul Rahman bin Yusuf, bersama jajaran.",
         "H. Abdul Rahman bin Yusuf", "Kepala KUA Kecamatan Masamba"),
        ("Materi dibawakan Penyuluh Agama Islam Siti Aminah dengan semangat.", "Siti Aminah", "Penyuluh Agama Islam"),
        ("Dijelaskan oleh Kasubbag TU Abdurrosyid bahwa program ini penting.", "Abdurrosyid", "Kasubbag TU"),
    ],
)
def test_people_with_their_role(text, name, role):
    assert _people(text) == {name: role}


def test_bylines():
    people = find_entities("Isi berita.\n\nPenulis: Ahmad Fauzi\nEditor: Siti Nurhaliza")["people"]
    assert people == [{"name": "Ahmad Fauzi", "role": "Penulis"}, {"name": "Siti Nurhaliza", "role": "Editor"}]
    assert _people("Rapat berjalan lancar. (Humas/Rina Marlina)") == {"Rina Marlina": "Penulis"}
    assert _people("Program berlanjut tahun depan. (Wahono/rf)") == {"Wahono": "Penulis"}
    assert _people("Kegiatan ditutup dengan doa. (qq)") == {}


def test_officials_come_before_bylines_and_a_person_is_listed_once():
    text = ("Kontributor: Maharani Ramadhanty Fitria\n"
            "Kakanwil Kemenag Sulsel, Khaeroni, membuka rapat. Kepala Kantor Wilayah Kementerian Agama Provinsi "
            "Sulawesi Selatan, H. Khaeroni, lalu memberi arahan.")
    people = find_entities(text)["people"]
    assert people == [
        {"name": "H. Khaeroni", "role": "Kepala Kantor Wilayah Kementerian Agama Provinsi Sulawesi Selatan"},
        {"name": "Maharani Ramadhanty Fitria", "role": "Kontributor"},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Menag meminta seluruh jajarannya memperbaiki niat.",  # a role with no name
        "“Mari kita laksanakan,” kata Kakanwil Rabu (14/3).",  # a weekday is not a name
        "Peserta terdiri dari Ketua Baznas, Ketua BWI, para Rektor/Ketua Pimpinan PTKN.",  # roles listed
        "Rapat diikuti unsur Pimpinan Kasi, Gara, Kamad, Pojakwas, Pokjaluh dan lainnya.",  # units listed
        "Kepala Kantor Kemenag Kabupaten/Kota se Sulawesi Selatan berkumpul di Palopo.",  # a place is not a name
        "Tindak Lanjuti Hasil Rakernas Kakanwil Ajak Jajarannya Lakukan Terobosan",  # a headline
        "Rapat digelar di Hotel Grand Clarion, Kakanwil hadir tepat waktu.",  # a venue is not a name
        "Hal itu ditegaskan Gus Menteri, dalam sambutannya.",
    ],
)
def test_no_person_without_a_real_name(text):
    assert _people(text) == {}


def test_organisations_as_written():
    text = ("Kanwil Kemenag Prov. Jateng bersama Pemprov Jateng, MAN 1 Kota Semarang, UIN Walisongo Semarang, "
            "FKUB dan Baznas Kabupaten Luwu Utara membahas layanan Kantor Kementerian Agama Kota Magelang.")
    assert find_entities(text)["organisations"] == [
        "Kanwil Kemenag Prov. Jateng", "Pemprov Jateng", "MAN 1 Kota Semarang", "UIN Walisongo Semarang", "FKUB",
        "Baznas Kabupaten Luwu Utara", "Kantor Kementerian Agama Kota Magelang",
    ]


def test_places_are_venues_then_regions():
    text = ("Rapat digelar di Aula Lt. 3 Kanwil Kemenag Sulsel, lalu peserta salat di Masjid Agung Palopo dan "
            "menginap di Hotel BM Residence Palopo. Esoknya rombongan ke Luwu Utara.")
    assert find_entities(text)["places"] == [
        "Aula Lt. 3 Kanwil Kemenag Sulsel", "Masjid Agung Palopo", "Hotel BM Residence Palopo",
        "Sulawesi Selatan", "Kota Palopo", "Kabupaten Luwu Utara",
    ]
    # Humas does not always capitalise the venue's name.
    lower = "Kegiatan dilaksanakan di Aula Kantor kementerian agama kota magelang diikuti oleh 25 peserta."
    assert find_entities(lower)["places"][0] == "Aula Kantor kementerian agama kota magelang"
    assert find_entities("Acara digelar di Masjid, majelis taklim dan sekolah.")["places"] == []


def test_the_title_is_read_too():
    found = find_entities("Kegiatan berjalan lancar.", title="Kemenag Sulsel Gelar Rakor di Hotel Claro Makassar")
    assert "Hotel Claro Makassar" in found["places"] and "Kemenag Sulsel" in found["organisations"]


# -- meetings ---------------------------------------------------------------------------------------------------

RAKERWIL = """Makassar (Humas Kanwil) – Kanwil Kemenag Sulsel menggelar Rapat Kerja Wilayah (Rakerwil) Tahun 2024 di Hotel Claro Makassar, Selasa (20/2/2024). Rakerwil diikuti sebanyak 250 peserta yang terdiri dari Kepala Kantor Kemenag kabupaten/kota dan pejabat Kanwil.
Kakanwil Kemenag Sulsel, H. Ali Yafid, dalam arahannya meminta seluruh satker agar segera menyusun rencana aksi. "Laporan rencana aksi harus dikirim paling lambat 15 Maret 2024," tegasnya.
Ia juga menginstruksikan agar realisasi anggaran triwulan pertama dilaporkan dalam waktu 7 hari kerja.
Suasana rapat berlangsung hangat dan penuh kekeluargaan.
Penulis: Andi Rahman"""

RAKER = """Palopo, (Humas Palopo) – Kantor Kementerian Agama Kota Palopo melaksanakan rapat kerja bersama seluruh Kepala KUA dan kepala madrasah negeri, Kamis (7/3). Rapat kerja berlangsung di Aula Kantor Kemenag Kota Palopo dan dihadiri 45 orang.
Kepala Kantor Kemenag Kota Palopo, Dr. H. Muhammad Zuhri, S.Ag., M.Pd., menekankan pentingnya pelayanan yang cepat. Seluruh KUA diminta melaporkan data nikah sebelum akhir Maret."""


def test_a_regional_work_meeting():
    meeting = find_meeting(RAKERWIL, published_at=datetime.date(2024, 2, 21))
    assert set(meeting) == MEETING_KEYS
    assert meeting["type"] == "rakerwil"
    assert meeting["date"] == "2024-02-20"
    assert meeting["place"] == "Hotel Claro Makassar"
    assert meeting["organiser"] == "Kanwil Kemenag Sulsel"
    assert meeting["participants"] == 250
    assert meeting["officials"] == ["H. Ali Yafid, Kakanwil Kemenag Sulsel", "Andi Rahman, Penulis"]
    assert len(meeting["instructions"]) == 3
    assert meeting["instructions"][0].startswith("Kakanwil Kemenag Sulsel, H. Ali Yafid, dalam arahannya meminta")
    assert not any("hangat" in s for s in meeting["instructions"])
    assert meeting["deadlines"] == [
        {"text": "paling lambat 15 Maret 2024", "date": "2024-03-15"},
        {"text": "dalam waktu 7 hari kerja", "date": "2024-02-29"},  # seven working days after the meeting
    ]


def test_a_work_meeting_of_a_city_office():
    meeting = find_meeting(RAKER, published_at=datetime.date(2024, 3, 8))
    assert meeting["type"] == "rapat-kerja"
    assert meeting["date"] == "2024-03-07"
    assert meeting["place"] == "Aula Kantor Kemenag Kota Palopo"
    assert meeting["organiser"] == "Kantor Kementerian Agama Kota Palopo"
    assert meeting["participants"] == 45
    assert meeting["officials"] == ["Dr. H. Muhammad Zuhri, Kepala Kantor Kemenag Kota Palopo"]
    assert meeting["deadlines"] == [{"text": "sebelum akhir Maret", "date": "2024-03-31"}]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Kemenag RI menggelar Rapat Kerja Nasional di Jakarta.", "rakernas"),
        ("Kanwil Kemenag Jateng menggelar Rakerwil 2024 di Semarang.", "rakerwil"),
        ("Kakankemenag Sidrap mengikuti Rakor Program Prioritas secara daring.", "rakor"),
        ("Kemenag Lutra menggelar Raker awal tahun di aula.", "rapat-kerja"),
        ("Pimpinan unit mengikuti rapat evaluasi kinerja triwulan.", "lainnya"),
        ("Kakanwil memimpin pertemuan dengan tokoh lintas agama di aula.", "lainnya"),
        # A follow-up of the national meeting is the provincial coordination meeting it reports on.
        ("Menindaklanjuti hasil Rakernas, Kanwil Kemenag Jateng menggelar Rapat Koordinasi.", "rakor"),
    ],
)
def test_meeting_types(text, kind):
    meeting = find_meeting(text)
    assert meeting is not None and meeting["type"] == kind and kind in MEETING_TYPES


def test_the_title_counts_for_the_meeting():
    meeting = find_meeting("Kegiatan dibuka Kakanwil di Aula Kanwil, Senin (5/4).",
                           title="Kanwil Kemenag Kaltim Hadiri Rakernas Kemenag RI 2021 Secara Virtual",
                           published_at=datetime.date(2021, 4, 6))
    assert meeting["type"] == "rakernas" and meeting["date"] == "2021-04-05"
    assert meeting["place"] == "Aula Kanwil"


@pytest.mark.parametrize(
    "text",
    [
        "Kemenag Luwu Utara menyalurkan bantuan kepada korban banjir di Kecamatan Masamba, Senin (12/6).",
        "Rapat koordinasi adalah pertemuan yang biasanya diadakan oleh instansi pemerintah untuk menyelaraskan "
        "program. Rakor merupakan sarana komunikasi antarunit.",
        "Siswa MTsN 1 Palopo belajar dalam pertemuan tatap muka setiap pekan.",
        "Menindaklanjuti hasil Rakernas, seluruh satker menyusun rencana aksi.",
        # An FGD, a discussion led by speakers, is labelled as no meeting (like a dialog).
        "Bimas Islam menyelenggarakan Focus Group Discussion (FGD) layanan KUA.",
        "",
    ],
)
def test_not_a_meeting(text):
    assert find_meeting(text) is None


def test_the_meeting_date_is_not_the_publication_date():
    text = ("Senin, 05 April 2021 | 13:46\n\nKemenag Luwu Utara menggelar rakor membahas persiapan haji. "
            "Kepala Kantor Kemenag Luwu Utara, M. Rusydi Hasyim, meminta jajaran bekerja keras.")
    assert find_meeting(text)["date"] is None


def test_the_date_line_stands_in_for_a_missing_publication_date():
    text = "Kamis, 08 April 2021 | 09:00\n\nKanwil Kemenag Kaltim menggelar rakor, Rabu (7/4), di Aula Kanwil."
    assert find_meeting(text)["date"] == "2021-04-07"
    assert find_meeting(text, published_at=datetime.date(2020, 4, 9))["date"] == "2020-04-07"


def test_deadline_phrases():
    text = ("Kakanwil menggelar rakor dan meminta laporan dikirim paling lambat 30 April. "
            "Data harus masuk selambat-lambatnya akhir Mei 2021, dan perbaikan dalam waktu 7 hari. "
            "Kakanwil berharap sebelum Agustus 2021 semua unit berbenah, dan batas waktu unggah 12/5.")
    meeting = find_meeting(text, published_at=datetime.date(2021, 4, 7))
    assert meeting["deadlines"] == [
        {"text": "paling lambat 30 April", "date": "2021-04-30"},
        {"text": "selambat-lambatnya akhir Mei 2021", "date": "2021-05-31"},
        {"text": "dalam waktu 7 hari", "date": "2021-04-14"},
        {"text": "sebelum Agustus 2021", "date": "2021-07-31"},
        {"text": "batas waktu unggah 12/5", "date": "2021-05-12"},
    ]
    assert find_meeting(text)["deadlines"][0] == {"text": "paling lambat 30 April", "date": None}


def test_instructions_are_what_officials_ask_for():
    text = ("Kanwil Kemenag Sulsel menggelar rakor di Makassar. Rakor diikuti 120 peserta.\n"
            "Kakanwil meminta seluruh Kakankemenag menjaga netralitas ASN. "
            "Pemilu tahun ini harus disikapi dengan bijak.\n"
            "Sekolah itu harus direnovasi tahun depan menurut laporan warga setempat yang datang.\n"
            "“Jangan ada pungutan liar di KUA,” tegasnya.")
    meeting = find_meeting(text)
    assert meeting["participants"] == 120 and meeting["place"] == "Makassar"
    assert meeting["instructions"] == [
        "Kakanwil meminta seluruh Kakankemenag menjaga netralitas ASN.",
        "Pemilu tahun ini harus disikapi dengan bijak.",  # the same speaker, same paragraph
        "“Jangan ada pungutan liar di KUA,” tegasnya.",
    ]
    long = "Kakanwil meminta " + "agar semua unit bekerja " * 30 + "dengan baik."
    trimmed = find_meeting("Kanwil menggelar rakor. " + long)["instructions"][0]
    assert len(trimmed) <= 300 and trimmed.endswith("…")


# -- the labelled seed articles -------------------------------------------------------------------------------


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["id"])
def test_seed_articles(row):
    meeting = find_meeting(row["text"])
    assert row["is_meeting"] and meeting is not None
    assert set(meeting) == MEETING_KEYS
    assert meeting["type"] == row["meeting_type"]
    assert meeting["date"] == row["event_date"]
    assert meeting["participants"] == row["participants"]
    assert meeting["place"] == row["place"]
    names = [official.split(",")[0] for official in meeting["officials"]]
    for official in row["officials"]:
        assert official.split(",")[0] in names
    people = {p["name"] for p in find_entities(row["text"])["people"]}
    assert {official.split(",")[0] for official in row["officials"]} <= people


def test_seed_dates_and_header():
    rows = {row["id"]: row["text"] for row in _rows()}
    assert published_date_from_text(rows["001"]) == datetime.date(2021, 4, 5)
    assert resolve_dates(rows["001"], None) == [
        {"text": "Senin, 05 April 2021", "date": "2021-04-05", "end": "2021-04-07"}]
    assert resolve_dates(rows["002"], None) == [{"text": "Senin, 8 Januari 2024", "date": "2024-01-08"}]
    assert resolve_dates(rows["000"], None) == []
    # Known publication dates resolve the newspaper-style days the seeds leave without a year.
    assert find_meeting(rows["004"], published_at=datetime.date(2022, 3, 24))["date"] == "2022-03-23"
    assert find_meeting(rows["003"], published_at=datetime.date(2018, 3, 15))["date"] == "2018-03-14"
    assert find_meeting(rows["003"])["deadlines"] == [{"text": "sebelum Agustus 2021", "date": "2021-07-31"}]


# -- never break ------------------------------------------------------------------------------------------------


def test_garbage_never_raises():
    pieces = ["Kakanwil", "Kepala Kantor", ",", ".", "(", ")", "Rakor", "rapat", "31/2", "(14/3)", "5-7", "April",
              "2021", "Senin", "pada", "hari", "H.", "S.Ag.,", "Aula", "Lt.", "Sulsel", "Prov.", "paling lambat",
              "sebelum", "akhir", "dalam waktu", "diikuti", "peserta", "Kontributor:", "\n", "“", "/", "(Humas/",
              "rf)", "Jum'at", "kemarin", "Minggu", "agar", "bin", "se-", "dan", "İ", "\xa0", "99999999", "0/0"]
    rng = random.Random(11)
    texts = ["", " ", "\n\n", "(((", ")))", "Kakanwil,,,,", "Rapat " * 300, "(" + "1/" * 300 + ")", "\x00"]
    texts += [" ".join(rng.choice(pieces) for _ in range(rng.randrange(40))) for _ in range(300)]
    for text in texts:
        for published in (None, datetime.date(2021, 4, 5), datetime.datetime(2020, 12, 31, 23, 0)):
            assert isinstance(resolve_dates(text, published), list)
            meeting = find_meeting(text, "Rakor", published)
            assert meeting is None or set(meeting) == MEETING_KEYS
        assert set(find_entities(text, text[:20])) == {"people", "organisations", "places"}
        published_date_from_text(text)
    assert find_entities(None) == {"people": [], "organisations": [], "places": []}
    assert resolve_dates(None, None) == [] and find_meeting(None) is None


@pytest.mark.parametrize(("text", "kind"), [
    # The labelling rules: an audiensi is not a meeting.
    ("Kepala Kanwil melaksanakan audiensi dengan Penjabat Gubernur terkait laporan kerukunan.", None),
    # "Rapat Kerja Wilayah (Rakerwil)" is one mention; a coordination meeting of another body beside it
    # does not outweigh it.
    ("Rapat Kerja Wilayah (Rakerwil) Kanwil Kemenag resmi dibuka Senin malam, dirangkaikan dengan "
     "Rapat Koordinasi Dharma Wanita.", "rakerwil"),
    # A preparation meeting for a Rakor is a plain meeting.
    ("Seksi Pendidikan Madrasah melakukan rapat persiapan Rakor Madrasah di aula kantor.", "lainnya"),
    # A plain "rapat" between named parties counts, on a weak cue.
    ("Kepastian itu terungkap dalam rapat antara Komisi IV DPRD dan Kanwil Kemenag.", "lainnya"),
    # A named meeting whose long name comes before its verb.
    ("Rakor Rencana Kerja dan Anggaran Satuan Kerja Tahun 2014 Tingkat Provinsi di Lantai 6 Hotel Sulthan "
     "akhirnya ditutup Sabtu malam.", "rakor"),
])
def test_meeting_types_by_the_labelling_rules(text, kind):
    meeting = find_meeting(text)
    assert (meeting or {}).get("type") == kind


def test_a_reference_date_from_the_page_address_or_the_weekday():
    from satupintu.situation.nlp.dates import date_from_url, date_from_weekday_and_year

    assert date_from_url("https://contoh.id/2023/02/23/rakor-pimpinan/") == datetime.date(2023, 2, 23)
    assert date_from_url("https://contoh.id/berita/29/05/2024/fkub?amp=1") == datetime.date(2024, 5, 29)
    assert date_from_url("https://contoh.id/2021/04/judul") == datetime.date(2021, 4, 30)
    assert date_from_url("https://contoh.id/berita/judul-2019") is None
    # 15 April was a Tuesday in 2025, not in 2024: the weekday picks the year the text names.
    text = "Capaian program tahun 2024 dan 2025 dibahas, kata Kakanwil, Selasa (15/4)."
    assert date_from_weekday_and_year(text) == datetime.date(2025, 4, 15)
    assert date_from_weekday_and_year("Rapat digelar Selasa (15/4).") is None


def test_the_meeting_date_is_the_day_held_not_a_day_to_come_or_the_dateline():
    from satupintu.situation.analysis import Analyzer, Record

    text = ("Kota Contoh, 20 Juni 2024 - Kantor Kementerian Agama menggelar rapat koordinasi persiapan karnaval "
            "pada Senin (17/6/2024) di aula kantor. Karnaval dijadwalkan berlangsung Sabtu 29 Juni 2024 mendatang.")
    meeting = find_meeting(text)
    assert meeting is not None and meeting["date"] == "2024-06-17"
    # No year in the text: the page address gives it.
    analysis = Analyzer(news_model=False).analyze(Record(
        id="x", text="Kantor Kementerian Agama menggelar rapat koordinasi pimpinan, Rabu (22/2), di aula kantor.",
        url="https://contoh.id/2023/02/23/rakor-pimpinan/"))
    assert analysis.meeting is not None and analysis.meeting["date"] == "2023-02-22"
