"""Social figures imported from the platforms' own exports (the sample files of
satupintu/humas/data/samples/, read by social_exports.parse_export): stored per channel and
post, re-import updates, bad rows reported by line, whole-file problems said clearly."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from satupintu.humas.channels import channel_register
from satupintu.humas.figures import refresh_month
from satupintu.humas.models import MonthlyFigure, SocialImport, SocialPost
from satupintu.humas.social_exports import parse_export
from tests.humas.conftest import office

SAMPLES = {"facebook": "meta_facebook_posts_id.csv", "instagram": "meta_instagram_posts_en.csv",
           "tiktok": "tiktok_videos.xlsx", "youtube": "youtube_table_data.csv"}


def _sample(name: str) -> bytes:
    from satupintu.humas.demo import SAMPLES as folder

    return (folder / name).read_bytes()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("platform", list(SAMPLES))
def test_sample_export_imports_through_the_form_and_reimport_updates(hp, platform):
    channel = channel_register(office=office("73.22"), platform=platform, handle="@kemenaglutra")
    data = _sample(SAMPLES[platform])
    expected = parse_export(SAMPLES[platform], data, platform)
    c = _client(hp.humas_lutra)
    r = c.post("/humas/?bulan=2026-11", {"action": "import", "kantor": "73.22", "channel": channel.pk,
                                         "file": SimpleUploadedFile(SAMPLES[platform], data)}, follow=True)
    assert r.status_code == 200
    shown = [str(m) for m in r.context["messages"]]
    assert any(f"{len(expected.rows)} baris diimpor" in m for m in shown)
    posts = SocialPost.objects.filter(channel=channel)
    assert posts.count() == len({row.post_id for row in expected.rows}) > 0
    assert sum(posts.values_list("engagement", flat=True)) == sum(
        {row.post_id: row.engagement for row in expected.rows}.values())
    # the same file again: same posts, updated in place
    c.post("/humas/?bulan=2026-11", {"action": "import", "kantor": "73.22", "channel": channel.pk,
                                     "file": SimpleUploadedFile(SAMPLES[platform], data)})
    assert SocialPost.objects.filter(channel=channel).count() == posts.count()
    assert SocialImport.objects.filter(channel=channel).count() == 2
    refresh_month(date(2026, 11, 1), office_ids=[office("73.22").pk])
    tz = ZoneInfo(office("73.22").timezone)
    november = {row.post_id for row in expected.rows if row.published_at.astimezone(tz).strftime("%Y-%m") == "2026-11"}
    fig = MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 11, 1))
    assert fig.social_posts == len(november)


def test_bad_rows_reported_by_line(hp):
    """A row whose numbers are not numbers: imported rows stay, the bad one is named by line."""
    channel = channel_register(office=office("73.22"), platform="facebook", handle="Kemenag Lutra")
    lines = _sample(SAMPLES["facebook"]).decode("utf-8-sig").splitlines()
    header = lines[0]
    broken = ",".join(["tidak-sah"] * len(header.split(",")))
    data = "\n".join([*lines, broken]).encode("utf-8")
    expected = parse_export(SAMPLES["facebook"], data, "facebook")
    assert expected.problems, "the parser reports the broken row"
    r = _client(hp.humas_lutra).post("/humas/?bulan=2026-11", {
        "action": "import", "kantor": "73.22", "channel": channel.pk,
        "file": SimpleUploadedFile("posts.csv", data)}, follow=True)
    message = " ".join(str(m) for m in r.context["messages"])
    assert f"{len(expected.rows)} baris diimpor" in message
    assert f"{len(expected.problems)} baris bermasalah" in message
    assert f"baris {expected.problems[0].line}:" in message
    record = SocialImport.objects.get(channel=channel)
    assert [p["line"] for p in record.problems] == [p.line for p in expected.problems]


def test_wrong_format_and_wrong_platform_are_refused_clearly(hp):
    tiktok = channel_register(office=office("73.22"), platform="tiktok", handle="@kemenaglutra")
    c = _client(hp.humas_lutra)
    r = c.post("/humas/?bulan=2026-11", {"action": "import", "kantor": "73.22", "channel": tiktok.pk,
                                         "file": SimpleUploadedFile("catatan.csv", b"halo,dunia\n1,2\n")})
    assert r.status_code == 400 and not SocialPost.objects.exists()
    r = c.post("/humas/?bulan=2026-11", {"action": "import", "kantor": "73.22", "channel": tiktok.pk,
                                         "file": SimpleUploadedFile(SAMPLES["youtube"], _sample(SAMPLES["youtube"]))})
    assert r.status_code == 400 and not SocialPost.objects.exists()
    assert "tidak sama dengan platform kanal" in r.content.decode() or r.context["import_form"].errors


def test_other_offices_officer_cannot_import(hp):
    channel = channel_register(office=office("73.22"), platform="facebook", handle="Kemenag Lutra")
    r = _client(hp.humas_makassar).post("/humas/", {"action": "import", "kantor": "73.22", "channel": channel.pk,
                                                    "file": SimpleUploadedFile("a.csv", b"x")})
    assert r.status_code == 403 and not SocialImport.objects.exists()


@pytest.mark.parametrize("missing", ["file", "channel", "both"])
def test_import_without_a_file_or_a_channel_says_what_to_pick(hp, missing):
    channel = channel_register(office=office("73.22"), platform="facebook", handle="Kemenag Lutra")
    data = {"action": "import", "kantor": "73.22", "channel": channel.pk,
            "file": SimpleUploadedFile("a.csv", _sample(SAMPLES["facebook"]))}
    for name in ("file", "channel") if missing == "both" else (missing,):
        data.pop(name)
    r = _client(hp.humas_lutra).post("/humas/", data)  # was a 500
    assert r.status_code == 400 and not SocialImport.objects.exists()
    page = r.content.decode()
    assert ("Pilih berkas ekspor yang akan diimpor." in page) == (missing in ("file", "both"))
    assert ("Pilih kanal tujuan impor." in page) == (missing in ("channel", "both"))


def test_after_an_import_the_page_shows_a_month_the_file_holds(hp):
    """Importing October and November posts from the December page lands on November, not on an
    empty December; from a month the file holds, the page stays on it."""
    channel = channel_register(office=office("73.22"), platform="facebook", handle="Kemenag Lutra")
    data = _sample(SAMPLES["facebook"])
    c = _client(hp.humas_lutra)
    form = {"action": "import", "kantor": "73.22", "channel": channel.pk}
    r = c.post("/humas/?kantor=73.22&bulan=2026-12", {**form, "file": SimpleUploadedFile(SAMPLES["facebook"], data)})
    assert r.status_code == 302 and r["Location"].endswith("bulan=2026-11")
    r = c.post("/humas/?kantor=73.22&bulan=2026-10", {**form, "file": SimpleUploadedFile(SAMPLES["facebook"], data)})
    assert r.status_code == 302 and r["Location"].endswith("bulan=2026-10")


YOUTUBE_HEADER = "Content,Video title,Video publish time,Views,Likes,Comments added,Shares\n"


def test_a_count_or_date_out_of_range_is_a_bad_row_not_a_500():
    """"111…1k" overflowed to infinity; an XLSX publish time of 1e20 made fromtimestamp fail with OSError."""
    import io

    from openpyxl import Workbook

    huge = (YOUTUBE_HEADER + 'pQ3vS1lsA01,Judul,"Oct 6, 2026",' + "1" * 400 + "k,1,1,1\n"
            + 'pQ3vS1lsA02,Judul dua,"Oct 7, 2026",12,1,1,1\n').encode()
    parsed = parse_export("yt.csv", huge, "youtube")
    assert [p.code for p in parsed.problems] == ["bad_number"] and len(parsed.rows) == 1
    book = Workbook()
    sheet = book.active
    sheet.append(YOUTUBE_HEADER.strip().split(","))
    sheet.append(["pQ3vS1lsA01", "Judul", 1e20, 5, 1, 1, 1])
    buf = io.BytesIO()
    book.save(buf)
    parsed = parse_export("yt.xlsx", buf.getvalue(), "youtube")
    assert [p.code for p in parsed.problems] == ["bad_date"] and not parsed.rows


def test_a_csv_wider_than_an_export_is_refused_at_once():
    from satupintu.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        parse_export("lebar.csv", (YOUTUBE_HEADER + "," * 100_000 + "\n").encode(), "youtube")
    assert refused.value.code == "export_unreadable"


def test_thousands_of_bad_rows_keep_the_first_hundred_and_the_count(hp):
    """20,000 bad rows of a small file made 22 MB of JSON per import, drawn on every visit of the page."""
    from satupintu.humas.models import STORED_PROBLEMS

    channel = channel_register(office=office("73.22"), platform="facebook", handle="Kemenag Lutra")
    lines = _sample(SAMPLES["facebook"]).decode("utf-8-sig").splitlines()
    broken = ",".join(["tidak-sah"] * len(lines[0].split(",")))
    data = "\n".join([*lines, *[broken] * 1500]).encode("utf-8")
    c = _client(hp.humas_lutra)
    c.post("/humas/?bulan=2026-11", {"action": "import", "kantor": "73.22", "channel": channel.pk,
                                     "file": SimpleUploadedFile("posts.csv", data)})
    record = SocialImport.objects.get(channel=channel)
    assert len(record.problems) == STORED_PROBLEMS and record.problem_count >= 1500
    page = c.get("/humas/", {"kantor": "73.22", "bulan": "2026-11"}).content.decode()
    assert f"{record.problem_count} baris bermasalah" in page
    assert f"(dan {record.problem_count - STORED_PROBLEMS} lainnya)" in page


def test_a_youtube_zip_is_judged_by_each_members_head_and_reads_the_table_whole():
    """Each member used to be parsed whole to look for the header (fifty of 24 MB: 36 s, 1 GB)."""
    import io
    import zipfile

    filler = b"kolom,lain\n" + b"isi,isi\n" * 200_000  # 1.6 MB each, no export header
    rows = "".join(f'pQ3vS1lsA{i:02d},Judul {i},"Oct 6, 2026",{i},1,1,1\n' for i in range(40))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(8):
            archive.writestr(f"lain-{n}.csv", filler)
        archive.writestr("zz-ekspor-kanal.csv", (YOUTUBE_HEADER + rows).encode())  # not a known name, last
    parsed = parse_export("youtube.zip", buf.getvalue(), "youtube")
    assert not parsed.problems and len(parsed.rows) == 40


def test_the_channel_list_names_the_platform_and_account_not_codes(hp):
    channel = channel_register(office=office("73.22"), platform="instagram", handle="@kemenaglutra")
    page = _client(hp.humas_lutra).get("/humas/?kantor=73.22").content.decode()
    assert f'<option value="{channel.pk}">Instagram · @kemenaglutra</option>' in page
    assert "73.22 Instagram" not in page and "<option value=\"\" selected>— pilih kanal —</option>" in page


def test_a_time_without_a_zone_is_the_channel_offices_own(db):
    # A Papua office's video at 23:30 on 30 November (its page's time, WIT) is a November story; read
    # as WIB it was 01:30 WIT on 1 December, counted in the wrong month.
    from satupintu.humas.imports import social_import
    from satupintu.organization.models import Office

    papua = Office.objects.filter(timezone="Asia/Jayapura", level="kankemenag").first()
    channel = channel_register(office=papua, platform="youtube", url="https://www.youtube.com/@kemenagpapua",
                               check_address=False)
    data = (YOUTUBE_HEADER + 'pQ3vS1lsA01,Judul,"Nov 30, 2026 11:30 PM",12,1,1,1\n').encode()
    social_import(channel=channel, filename="yt.csv", data=data)
    published = SocialPost.objects.get(channel=channel).published_at.astimezone(ZoneInfo("Asia/Jayapura"))
    assert (published.month, published.day, published.hour, published.minute) == (11, 30, 23, 30)
