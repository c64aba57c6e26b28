"""Issue #16: each office's social posts, reach and engagement from the platforms' own export
files; bad rows reported by line with the good rows kept; files in the wrong format or language
refused with a clear message. Pure functions: no database."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from satupintu.core.errors import DomainError
from satupintu.humas import social_exports_files
from satupintu.humas.social_exports import PLATFORMS, ParsedExport, RowProblem, parse_export
from satupintu.humas.social_exports_values import NoYear, parse_count, parse_when, tiktok_id_time

SAMPLES = Path(__file__).resolve().parents[2] / "satupintu" / "humas" / "data" / "samples"
WIB = ZoneInfo("Asia/Jakarta")


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def by_line(parsed: ParsedExport) -> dict:  # type: ignore[type-arg]
    return {row.line: row for row in parsed.rows}


def problems(parsed: ParsedExport) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.code, p.column, p.value) for p in parsed.problems]


def refused(data: bytes, platform: str | None = None, filename: str = "ekspor.csv") -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse_export(filename, data, platform)
    return caught.value


def as_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def sample_table(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(sample(name).decode("utf-8-sig"), newline="")))


# --- the TikTok sample is written here (the README says how to run it) -------------------------

TIKTOK_HEADER: list[object] = ["Video title", "Video link", "Post time", "Total likes", "Total comments", "Total shares",
                 "Total views", "Add to favorites"]


def tiktok_id(posted_utc: datetime) -> str:
    # A TikTok id starts with the Unix time of posting (its top 32 bits); the rest is invented.
    return str((int(posted_utc.timestamp()) << 32) | 0x5A17C0DE)


def tiktok_link(posted_utc: datetime) -> str:
    return f"https://www.tiktok.com/@kemenaglutra/video/{tiktok_id(posted_utc)}"


TIKTOK_POSTED = [datetime(2026, 10, 22, 1, 10, tzinfo=timezone.utc), datetime(2026, 11, 5, 12, 30, tzinfo=timezone.utc),
                 datetime(2026, 11, 15, 4, 0, tzinfo=timezone.utc), datetime(2026, 11, 26, 9, 5, tzinfo=timezone.utc)]


def tiktok_sample_rows() -> list[list[object]]:
    """As TikTok Studio writes them: a real date cell, text dates (one without its year, one
    month first), numbers as numbers and one typed as text."""
    a, b, c, d = TIKTOK_POSTED
    return [
        TIKTOK_HEADER,
        ["Apel Hari Santri 2026 di lapangan Andi Djemma, Masamba", tiktok_link(a), datetime(2026, 10, 22, 8, 10),
         1250, 84, 61, 18400, 95],
        ["Cara cek status legalisir ijazah lewat Satu Pintu", tiktok_link(b), "2026-11-05 19:30:00",
         640, 52, 38, 9120, 77],
        ["Madrasah tangguh bencana: simulasi evakuasi di MTsN 1 Luwu Utara", tiktok_link(c), "November 15",
         2310, 140, 205, 35210, 180],
        ["Penyuluh KUA Rampi menembus jalan berlumpur menuju desa binaan", tiktok_link(d), "11/26/2026 16:05",
         "1,204", 66, 49, 15030, 58],
    ]


def write_tiktok_sample(path: Path = SAMPLES / "tiktok_videos.xlsx") -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Content"
    for row in tiktok_sample_rows():
        sheet.append(row)
    book.properties.creator = "Satu Pintu"
    book.properties.created = book.properties.modified = datetime(2026, 12, 1, 8, 0)
    book.save(path)


def test_the_committed_tiktok_sample_is_what_the_generator_writes():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(sample("tiktok_videos.xlsx")), read_only=True).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == tiktok_sample_rows()


# --- each platform and language -----------------------------------------------------------------


def test_facebook_export_in_indonesian():
    parsed = parse_export("meta_facebook_posts_id.csv", sample("meta_facebook_posts_id.csv"))
    assert (parsed.platform, parsed.language) == ("facebook", "id")
    assert sorted(by_line(parsed)) == [2, 3, 4, 5, 6, 7, 8]
    first = by_line(parsed)[2]
    assert first.post_id == "610000000000417_1020000000000101"
    assert first.published_at == wib(2026, 10, 2, 9, 12)  # day first in an Indonesian export
    assert (first.views, first.reach, first.engagement) == (3412, 2180, 142 + 31 + 14)
    assert first.url == "https://www.facebook.com/kemenaglutra/posts/pfbid0Dm1LutraA101"
    assert first.title.startswith("Kepala Kantor Kemenag Luwu Utara membuka Pembinaan")
    # A caption with a line break is one row, as a spreadsheet shows it: the next row is line 5.
    video = by_line(parsed)[4]
    assert video.title.startswith("Manasik haji tingkat kecamatan di KUA Sabbang.\nJamaah")
    assert (video.published_at, video.views, video.reach, video.engagement) == (wib(2026, 10, 21, 8, 5), 8944, 6310, 522)
    assert by_line(parsed)[5].views == 12508 and by_line(parsed)[5].engagement == 1046
    # Text is data: a caption starting with "=" stays that text.
    assert by_line(parsed)[8].title.startswith("=Simulasi tanggap bencana")
    assert problems(parsed) == [(9, "bad_number", "Jangkauan", "4.11O")]
    november = [r for r in parsed.rows if r.published_at.month == 11]
    assert sum(r.reach for r in november) == 2966 + 1904 + 5118


def test_instagram_export_in_english():
    parsed = parse_export("meta_instagram_posts_en.csv", sample("meta_instagram_posts_en.csv"))
    assert (parsed.platform, parsed.language) == ("instagram", "en")
    assert sorted(by_line(parsed)) == [2, 3, 4, 5, 7, 8]
    reel = by_line(parsed)[3]
    assert reel.post_id == "17900000000100002"
    assert reel.published_at == wib(2026, 10, 14, 19, 0)  # month first in an English export
    assert (reel.views, reel.reach) == (24310, 15877)  # "24,310"
    assert reel.engagement == 1288 + 310 + 64 + 402  # likes + shares + comments + saves
    assert reel.url == "https://www.instagram.com/reel/DSulselA002/"
    assert by_line(parsed)[5].published_at == wib(2026, 11, 2, 15, 20)
    assert problems(parsed) == [(6, "missing_date", "", "")]


def test_tiktok_xlsx():
    parsed = parse_export("tiktok_videos.xlsx", sample("tiktok_videos.xlsx"))
    assert (parsed.platform, parsed.language, parsed.problems) == ("tiktok", "en", [])
    rows = by_line(parsed)
    assert [rows[n].post_id for n in (2, 3, 4, 5)] == [tiktok_id(t) for t in TIKTOK_POSTED]
    assert rows[2].published_at == wib(2026, 10, 22, 8, 10)  # a date cell
    assert rows[3].published_at == wib(2026, 11, 5, 19, 30)
    assert rows[4].published_at == TIKTOK_POSTED[2]  # "November 15": the year (and time) from the id
    assert rows[5].published_at == wib(2026, 11, 26, 16, 5)
    assert (rows[2].views, rows[2].reach, rows[2].engagement) == (18400, 18400, 1250 + 84 + 61 + 95)
    assert rows[5].engagement == 1204 + 66 + 49 + 58  # "1,204" typed as text
    assert rows[3].url == tiktok_link(TIKTOK_POSTED[1]) and rows[3].title.startswith("Cara cek status")


def test_youtube_table_data_skips_the_total_row():
    parsed = parse_export("Table data.csv", sample("youtube_table_data.csv"))
    assert (parsed.platform, parsed.language) == ("youtube", "en")
    assert sorted(by_line(parsed)) == [3, 4, 5, 6, 8]  # line 2 is "Total": skipped, not a problem
    first = by_line(parsed)[3]
    assert first.post_id == "pQ3vS1lsA01" and first.url == "https://www.youtube.com/watch?v=pQ3vS1lsA01"
    assert first.published_at == wib(2026, 10, 6)
    assert (first.views, first.reach, first.engagement) == (3480, 3480, 236 + 58 + 91)
    assert first.title == "Dialog Interaktif: Persiapan Haji 2027 bersama Kabid PHU Kanwil Kemenag Sulsel"
    assert problems(parsed) == [(7, "bad_date", "Video publish time", "Nov 31, 2026")]  # no 31 November


def test_youtube_zip_as_studio_exports_it():
    table = sample("youtube_table_data.csv")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Chart data.csv", "Date,Content,Video title,Views\n2026-11-01,pQ3vS1lsA01,Dialog,120\n")
        z.writestr("Table data.csv", table)
        z.writestr("Totals.csv", "Date,Views\n2026-11-01,120\n")
    from_zip = parse_export("Kanwil Sulsel 2026-10-01_2026-11-30.zip", archive.getvalue(), "youtube")
    from_csv = parse_export("Table data.csv", table)
    assert from_zip.rows == from_csv.rows and from_zip.problems == from_csv.problems
    assert len(from_zip.rows) == 5


def test_facebook_in_english_and_instagram_in_indonesian():
    facebook = as_csv([
        ["Post ID", "Page ID", "Page name", "Title", "Description", "Publish time", "Permalink", "Post type", "Date",
         "Views", "Reach", "Reactions, comments and shares", "Reactions", "Comments", "Shares"],
        ["1_2", "1", "Kemenag Kota Makassar", "", "Pelayanan nikah di KUA Tamalate", "11/03/2026 08:15",
         "https://www.facebook.com/kemenagmakassar/posts/2", "Photos", "Lifetime", "2,540", "1,980", "130", "100",
         "20", "10"],
        ["1_3", "1", "Kemenag Kota Makassar", "Video", "", "11/04/2026 10:00",
         "https://www.facebook.com/kemenagmakassar/videos/3", "Videos", "Lifetime", "900", "700", "55", "", "", ""],
    ])
    parsed = parse_export("fb.csv", facebook.encode())
    assert (parsed.platform, parsed.language) == ("facebook", "en")
    first, second = parsed.rows
    assert (first.published_at, first.views, first.reach, first.engagement) == (wib(2026, 11, 3, 8, 15), 2540, 1980, 130)
    assert first.title == "Pelayanan nikah di KUA Tamalate"
    assert second.title == "Video" and second.engagement == 0  # the three apart, all empty: 0, not the total

    instagram = as_csv([
        ["ID Postingan", "ID Akun", "Nama pengguna akun", "Deskripsi", "Waktu publikasi", "Tautan permanen",
         "Jenis postingan", "Tayangan", "Jangkauan", "Suka", "Dibagikan", "Komentar", "Disimpan"],
        ["1790", "1784", "kemenaggowa", "Manasik haji di Sungguminasa", "03/11/2026 08.15",
         "https://www.instagram.com/p/GowaA1/", "Gambar IG", "1.250", "3,4 rb", "210", "12", "9", "30"],
    ])
    parsed = parse_export("ig.csv", instagram.encode("utf-8-sig"))
    assert (parsed.platform, parsed.language) == ("instagram", "id")
    row = parsed.rows[0]
    assert row.published_at == wib(2026, 11, 3, 8, 15)  # 3 November: day first
    assert (row.views, row.reach, row.engagement) == (1250, 3400, 210 + 12 + 9 + 30)


def test_tiktok_and_youtube_in_indonesian():
    tiktok = as_csv([
        ["Judul video", "Tautan video", "Waktu posting", "Total suka", "Total komentar", "Total bagikan",
         "Total tayangan"],
        ["Sosialisasi SEHATI di Bone", "https://www.tiktok.com/@kemenagbone/video/7704663665401118942",
         "05/11/2026 19:30", "1,2 rb", "40", "15", "12.480"],
    ], delimiter=";")
    parsed = parse_export("tiktok.csv", tiktok.encode("cp1252"), "tiktok")
    assert (parsed.platform, parsed.language) == ("tiktok", "id")
    row = parsed.rows[0]
    assert (row.post_id, row.published_at) == ("7704663665401118942", wib(2026, 11, 5, 19, 30))
    assert (row.views, row.reach, row.engagement) == (12480, 12480, 1200 + 40 + 15)

    youtube = as_csv([
        ["Konten", "Judul video", "Waktu publikasi video", "Durasi", "Penayangan", "Waktu tonton (jam)", "Suka",
         "Komentar yang ditambahkan", "Berbagi"],
        ["Total", "", "", "", "1500", "40,2", "90", "12", "7"],
        ["kL4mS1lsB01", "Pembinaan KUA se-Maros", "3 Nov 2026", "600", "1500", "40,2", "90", "12", "7"],
    ])
    parsed = parse_export("Data tabel.csv", youtube.encode())
    assert (parsed.platform, parsed.language, parsed.problems) == ("youtube", "id", [])
    row = parsed.rows[0]
    assert (row.line, row.published_at, row.views, row.engagement) == (3, wib(2026, 11, 3), 1500, 109)


# --- encodings and delimiters ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])  # with its BOM, and without as some tools write it
def test_utf16_tab_separated_meta_export(encoding):
    table = sample_table("meta_instagram_posts_en.csv")
    data = as_csv(table, delimiter="\t").encode(encoding)
    parsed = parse_export("posts.csv", data)
    original = parse_export("posts.csv", sample("meta_instagram_posts_en.csv"))
    assert parsed.rows == original.rows and parsed.problems == original.problems
    assert len(parsed.rows) == 6


def test_semicolon_separated_export():
    table = sample_table("meta_facebook_posts_id.csv")
    parsed = parse_export("posts.csv", as_csv(table, delimiter=";").encode())
    original = parse_export("posts.csv", sample("meta_facebook_posts_id.csv"))
    assert parsed.rows == original.rows and parsed.problems == original.problems


def test_a_title_line_above_the_header_and_blank_rows_keep_spreadsheet_line_numbers():
    table = sample_table("youtube_table_data.csv")
    data = as_csv([["Kanwil Kemenag Sulawesi Selatan, Oktober-November 2026"], *table[:4], [], *table[4:]]).encode()
    parsed = parse_export("Table data.csv", data)
    assert sorted(by_line(parsed)) == [4, 5, 7, 8, 10]
    assert by_line(parsed)[4].post_id == "pQ3vS1lsA01"
    assert problems(parsed)[0][:2] == (9, "bad_date")


# --- bad rows --------------------------------------------------------------------------------------


def test_bad_rows_are_reported_by_line_and_the_good_rows_kept():
    data = as_csv([
        ["Post ID", "Account username", "Description", "Publish time", "Permalink", "Views", "Reach", "Likes",
         "Comments", "Shares", "Saves"],
        ["11", "kemenagbone", "Baik", "11/02/2026 09:00", "https://www.instagram.com/p/A/", "100", "80", "5", "1", "0", "2"],
        ["12", "kemenagbone", "Tanpa tanggal", "", "https://www.instagram.com/p/B/", "100", "80", "5", "1", "0", "2"],
        ["13", "kemenagbone", "Tanggal rusak", "kemarin", "https://www.instagram.com/p/C/", "1", "1", "1", "1", "1", "1"],
        ["14", "kemenagbone", "Angka rusak", "11/03/2026 09:00", "https://www.instagram.com/p/D/", "12.5", "1", "-3",
         "1", "1", "1"],
        ["", "kemenagbone", "Tanpa ID", "11/04/2026 09:00", "javascript:alert(1)", "1", "1", "1", "1", "1", "1"],
        ["", "kemenagbone", "Tanpa ID tapi ada tautan", "11/04/2026 10:00", "https://www.instagram.com/p/E/", "7", "6",
         "1", "0", "0", "0"],
        ["11", "kemenagbone", "Dua kali", "11/02/2026 09:00", "https://www.instagram.com/p/A/", "100", "80", "5", "1",
         "0", "2"],
        ["15", "kemenagbone", "x" * 400, "11/05/2026 09:00", "", "", "", "", "", "", ""],
    ])
    parsed = parse_export("ig.csv", data.encode(), "instagram")
    assert sorted(by_line(parsed)) == [2, 7, 9]
    assert by_line(parsed)[7].post_id == "https://www.instagram.com/p/E/"  # no id: the permalink
    last = by_line(parsed)[9]
    assert (len(last.title), last.url, last.views, last.reach, last.engagement) == (300, "", 0, 0, 0)
    assert problems(parsed) == [
        (3, "missing_date", "", ""),
        (4, "bad_date", "Publish time", "kemarin"),
        (5, "bad_number", "Views", "12.5"),
        (5, "bad_number", "Likes", "-3"),
        (6, "missing_id", "", ""),  # a javascript: link is no link
        (8, "duplicate", "Post ID", "11"),
    ]


def test_row_problems_read_in_both_languages():
    problem = RowProblem(9, "bad_number", "Angka tidak terbaca (harus bilangan bulat, misalnya 1234, 1.234 atau 1,2 rb).",
                         "Jangkauan", "4.11O")
    with translation.override("id"):
        assert problem.display() == ('Angka tidak terbaca (harus bilangan bulat, misalnya 1234, 1.234 atau 1,2 rb). '
                                     'Kolom "Jangkauan": "4.11O".')
    with translation.override("en"):
        text = problem.display()
    assert text.startswith("Unreadable number") and 'Column "Jangkauan": "4.11O".' in text
    parsed = parse_export("ig.csv", sample("meta_instagram_posts_en.csv"))
    with translation.override("en"):
        assert parsed.problems[0].display().startswith("No publish date")


# --- whole files refused ----------------------------------------------------------------------------


def test_a_quote_never_closed_is_named_with_its_line_not_read_as_posts_without_dates():
    """Read leniently, the rest of the file became one caption: its posts were reported as having no
    publish date. Quotes doubled inside a caption, and captions over several lines, still read."""
    lines = sample("meta_instagram_posts_en.csv").decode("utf-8-sig").splitlines()
    # Cut inside the third post's caption (a download that stopped, a hand edit).
    broken = "\n".join([*lines[:3], lines[3][:lines[3].index('"') + 20]])
    error = refused(broken.encode())
    assert error.code == "export_unreadable" and error.message.startswith('Tanda kutip (") di baris 4 tidak pernah')
    with translation.override("en"):
        assert "line 4 is never closed" in error.message
    fine = sample_table("meta_instagram_posts_en.csv")
    fine[1][1] = 'Kata "kutip" di dalam keterangan,\ndua baris'
    assert parse_export("ekspor.csv", as_csv(fine).encode(), None).rows


def test_wrong_formats_are_refused_with_their_code():
    assert refused(b"").code == "export_empty"
    assert refused(b"\xef\xbb\xbf\r\n").code == "export_empty"
    header_only = sample("meta_instagram_posts_en.csv").split(b"\n")[0] + b"\n"
    assert refused(header_only).code == "export_empty"
    assert refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", filename="a.csv").code \
        == "export_unreadable"
    assert refused(bytes(range(256)) * 40).code == "export_unreadable"  # binary
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600).code == "export_unreadable"  # .xls / encrypted
    assert refused(b"PK\x03\x04 broken zip").code == "export_unreadable"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("foto.jpg", b"\xff\xd8\xff")
    assert refused(archive.getvalue()).code == "export_unreadable"


def test_a_csv_of_something_else_names_the_platforms_and_the_columns_expected():
    error = refused(b"Nama,Alamat,Telepon\nBudi,Jl. Veteran Makassar,0811\n")
    assert error.code == "export_unknown_format"
    for words in ("Meta Business Suite", "TikTok Studio", "YouTube Studio", '"Post id" / "Id postingan"',
                  '"Video link" / "Tautan video"', '"Content" / "Konten"', '"Nama", "Alamat", "Telepon"'):
        assert words in error.message
    only_tiktok = refused(b"Nama,Alamat\nBudi,Makassar\n", "tiktok")
    assert "TikTok Studio" in only_tiktok.message and "Meta Business Suite" not in only_tiktok.message


def test_an_xlsx_with_other_headers_is_an_unknown_format():
    from satupintu.core.spreadsheets import xlsx_bytes

    data = xlsx_bytes({"Rekap": [["Tanggal", "Layanan", "Jumlah"], ["2026-11-03", "Legalisir", 12]]})
    error = refused(data, filename="rekap.xlsx")
    assert error.code == "export_unknown_format" and '"Tanggal", "Layanan", "Jumlah"' in error.message


@pytest.mark.parametrize(("header", "example"), [
    # Meta Business Suite with the interface in German (the header of a real export).
    ("Beitrags-ID,Konto-ID,Konto-Benutzername,Kontoname,Beschreibung,Dauer (Sek.),Veröffentlichungszeitpunkt,"
     "Permalink,Beitragstyp,Datenkommentar,Datum,Aufrufe,Reichweite,„Gefällt mir“-Angaben,Geteilte Inhalte,"
     "Follows,Kommentare,Gespeicherte Beiträge", "Beitrags-ID"),
    # YouTube Studio in French.
    ("Contenu,Titre de la vidéo,Heure de publication de la vidéo,Durée,Vues,Durée de visionnage (heures),"
     "J'aime,Partages", "Contenu"),
    # TikTok Studio in Japanese.
    ("動画のタイトル,動画リンク,投稿日時,いいね,コメント,シェア,視聴数", "動画のタイトル"),
    # Meta Business Suite in Malay: close to Indonesian, but not it.
    ("ID Siaran,Nama Halaman,Penerangan,Masa terbit,Pautan kekal,Jenis siaran,Tontonan,Capaian,Reaksi,Komen,Kongsi",
     "ID Siaran"),
])
def test_an_export_in_another_language_says_to_switch_the_interface(header, example):
    data = (header + "\n" + ",".join(["1"] * len(header.split(","))) + "\n").encode("utf-8-sig")
    error = refused(data)
    assert error.code == "export_language"
    with translation.override("id"):
        assert f'"{example}"' in error.message and "Bahasa Indonesia atau English" in error.message
        assert "Meta Business Suite / TikTok Studio / YouTube Studio" in error.message
    with translation.override("en"):
        assert "Bahasa Indonesia or English" in error.message


def test_a_japanese_caption_in_a_data_row_is_not_a_language_problem():
    data = "Nama,Keterangan\nBudi,日本語のキャプション\n".encode()
    assert refused(data).code == "export_unknown_format"


def test_platform_mismatch():
    error = refused(sample("youtube_table_data.csv"), "tiktok")
    assert error.code == "export_platform_mismatch"
    assert "YouTube" in error.message and "TikTok" in error.message
    assert refused(sample("meta_instagram_posts_en.csv"), "facebook").code == "export_platform_mismatch"
    assert refused(sample("meta_facebook_posts_id.csv"), "instagram").code == "export_platform_mismatch"
    assert refused(sample("tiktok_videos.xlsx"), "youtube").code == "export_platform_mismatch"
    assert parse_export("fb.csv", sample("meta_facebook_posts_id.csv"), "facebook").platform == "facebook"
    with pytest.raises(ValueError):
        parse_export("x.csv", sample("youtube_table_data.csv"), "twitter")
    assert PLATFORMS == ("facebook", "instagram", "tiktok", "youtube")


def test_huge_files_are_refused_before_reading_them():
    limit = social_exports_files.MAX_BYTES
    big = sample("youtube_table_data.csv") + b"x" * limit
    assert refused(big).code == "export_too_large"
    header = b"Content,Video title,Video publish time,Views\n"
    many = header + b"".join(b"v%010d,Judul,2026-11-03,%d\n" % (i, i) for i in range(social_exports_files.MAX_ROWS + 20))
    error = refused(many)
    assert error.code == "export_too_large" and "20000" in error.message.replace(".", "")
    # A ZIP whose table unpacks past the limit (a few KB compressed).
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Table data.csv", header + b"0" * (limit + 10))
    assert len(bomb.getvalue()) < limit // 100
    assert refused(bomb.getvalue()).code == "export_too_large"


def test_every_whole_file_message_has_its_english():
    data = {"export_empty": b"", "export_unreadable": b"%PDF-1.4", "export_unknown_format": b"a,b\n1,2\n",
            "export_language": "Beitrags-ID,Reichweite\n1,2\n".encode()}
    for code, content in data.items():
        error = refused(content)
        assert error.code == code
        with translation.override("en"):
            assert error.message != error.text % error.params if error.params else error.message != error.text


# --- the cell readers ---------------------------------------------------------------------------------


def test_counts():
    cases = {"": 0, "-": 0, "—": 0, None: 0, 7: 7, 12.0: 12, "1234": 1234, "1,234": 1234, "1.234": 1234,
             "1.234.567": 1234567, "1 234": 1234, "1\u00a0234": 1234, "1.2K": 1200, "3,4 rb": 3400, "1,5 jt": 1500000,
             "2M": 2000000, "1,234.00": 1234, "1.234,00": 1234, "12.0": 12}
    for raw, expected in cases.items():
        assert parse_count(raw) == expected, raw
    for raw in ("12.5", "1,5", "-3", "abc", "45%", True, 1.5, "1.23.4"):
        with pytest.raises(ValueError):
            parse_count(raw)


def test_dates():
    nov3 = wib(2026, 11, 3, 8, 15)
    assert parse_when("11/03/2026 08:15", day_first=False) == nov3
    assert parse_when("03/11/2026 08:15", day_first=True) == nov3
    assert parse_when("03/11/2026 08.15", day_first=True) == nov3
    assert parse_when("25/11/2026", day_first=False) == wib(2026, 11, 25)  # no 25th month: day first
    assert parse_when("2026-11-03 08:15:00", day_first=False) == nov3
    assert parse_when("2026-11-03T01:15:00Z", day_first=False) == nov3
    assert parse_when("2026-11-03T09:15:00+08:00", day_first=True) == nov3
    assert parse_when("3 Nov 2026 09.15 WITA", day_first=True) == nov3
    assert parse_when("Nov 3, 2026, 8:15 AM", day_first=False) == nov3
    assert parse_when("Nov 3, 2026", day_first=False) == wib(2026, 11, 3)
    assert parse_when("November 3, 2026", day_first=False) == wib(2026, 11, 3)
    assert parse_when("3 Agustus 2026", day_first=True) == wib(2026, 8, 3)
    assert parse_when("Selasa, 3 Des 2026", day_first=True) == wib(2026, 12, 3)
    assert parse_when("3 Okt 2026", day_first=True) == wib(2026, 10, 3)
    assert parse_when(datetime(2026, 11, 3, 8, 15), day_first=False) == nov3
    assert parse_when(46329.34375, day_first=False) == nov3  # an Excel serial
    assert parse_when("", day_first=False) is None
    with pytest.raises(NoYear):
        parse_when("September 4", day_first=False)
    for raw in ("kemarin", "31/02/2026", "Nov 31, 2026", "13/13/2026", "01/01/1990", "3 Foo 2026"):
        with pytest.raises(ValueError):
            parse_when(raw, day_first=True)
    assert tiktok_id_time(tiktok_id(TIKTOK_POSTED[2])) == TIKTOK_POSTED[2]
    assert tiktok_id_time("12345") is None


def test_xlsx_rows_keep_their_spreadsheet_numbers_and_formulas_stay_unevaluated():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Content", "Video title", "Video publish time", "Views", "Likes"])
    sheet.append(["Total", None, None, 30, 2])
    sheet["A5"], sheet["B5"], sheet["C5"], sheet["D5"], sheet["E5"] = "kL4mS1lsB02", "=1+1", "Nov 3, 2026", 30, 2
    data = io.BytesIO()
    book.save(data)
    parsed = parse_export("Table data.xlsx", data.getvalue())
    (row,) = parsed.rows
    # A formula is never evaluated: only the value a spreadsheet saved with it is read (none here).
    assert (row.line, row.post_id, row.title, row.views, row.engagement) == (5, "kL4mS1lsB02", "", 30, 2)
