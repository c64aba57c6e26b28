"""Page fixes from review #16: bad form values are 400s, months and times are the office's,
stopping a channel leaves every month it counted in as it was, finding a feed foreign rebuilds
every month it counted in, the running
period's target counts the days so far, the report PDF (bad year, rate limit, its wording) and
the targets form's own year."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from satupintu.core import ratelimit
from satupintu.humas import selectors
from satupintu.humas.channels import channel_register
from satupintu.humas.figures import refresh_month
from satupintu.humas.models import Channel, MonthlyFigure, SocialImport, Target
from satupintu.humas.targets import target_set
from tests.humas.conftest import at, feed, office, publish, story, unique_text

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
META_HEAD = ("ID Postingan,ID Halaman,Nama Halaman,Judul,Deskripsi,Waktu publikasi,Tautan permanen,Jenis postingan,"
             "Tayangan,Jangkauan,Reaksi,Komentar,Dibagikan\n")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.mark.parametrize("data", [
    {"action": "remove", "channel": "abc"}, {"action": "remove", "channel": ""}, {"action": "remove", "channel": "٣"},
    {"action": "remove", "channel": "9" * 4301},  # int() refuses more than 4,300 digits: was a 500
    {"action": "hapus-semua"}, {"channel": "1"},
])
def test_a_bad_form_value_is_a_400_saying_so(hp, data):
    feed("73.22")
    r = _client(hp.humas_lutra).post("/humas/?bulan=2026-11", {"kantor": "73.22", **data})
    assert r.status_code == 400
    assert "tidak dikenal" in r.content.decode()
    assert Channel.objects.count() == 1


def test_an_import_refreshes_the_offices_month_not_the_utc_one(hp):
    """05:00 on 1 June (the export's time, the office's day) is 31 May in UTC: June is the month."""
    channel = channel_register(office=office("73.22"), platform="facebook", handle="@lutra")
    csv = META_HEAD + "1_1,1,Kemenag Luwu Utara,,Teks,01/06/2026 05:00,https://www.facebook.com/x/posts/1,Foto,100,80,5,1,1\n"
    c = _client(hp.humas_lutra)
    c.post("/humas/?bulan=2026-06", {"action": "import", "kantor": "73.22", "channel": channel.pk,
                                     "file": SimpleUploadedFile("x.csv", csv.encode())})
    assert MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 6, 1)).social_posts == 1
    assert c.get("/humas/?kantor=73.22&bulan=2026-06").context["row"].figures.social_posts == 1


def test_stopping_a_channel_asks_first_then_leaves_every_month_it_counted_in(hp):
    channel = feed("73.22")
    publish(channel, story("o1", unique_text(1), at(5, month=10)), story("n1", unique_text(2), at(5)))
    refresh_month(OCT)
    refresh_month(NOV)
    c = _client(hp.humas_lutra)
    asked = c.post("/humas/?bulan=2026-11", {"kantor": "73.22", "action": "remove", "channel": channel.pk})
    assert asked.status_code == 200 and asked.context["stopping"] == channel
    assert "tetap dihitung di bulan terbitnya" in asked.content.decode() and "tidak diambil lagi" in asked.content.decode()
    channel.refresh_from_db()
    assert channel.retired_at is None  # the first step only asks
    r = c.post("/humas/?bulan=2026-11", {"kantor": "73.22", "action": "remove", "channel": channel.pk,
                                         "confirm": "on"})
    assert r.status_code == 302
    channel.refresh_from_db()
    assert channel.retired_at is not None and channel.retired_by == hp.humas_lutra
    # Published scorecards do not change: October and November still count the stories.
    assert [MonthlyFigure.objects.get(office__code="73.22", month=m).stories for m in (OCT, NOV)] == [1, 1]
    refresh_month(OCT)
    assert MonthlyFigure.objects.get(office__code="73.22", month=OCT).stories == 1
    page = c.get("/humas/?kantor=73.22&bulan=2026-11")
    assert page.context["channels"] == [] and list(page.context["retired_channels"]) == [channel]
    assert "Kanal yang tidak dipakai lagi" in page.content.decode()


def test_a_retired_social_channel_takes_no_import_and_keeps_its_posts(hp):
    c = _client(hp.humas_lutra)
    channel = channel_register(office=office("73.22"), platform="facebook", handle="kemenaglutra")
    csv = META_HEAD + "1_1,1,Kemenag Luwu Utara,,Teks,15/06/2026 10:00,https://www.facebook.com/x/posts/1,Foto,10,20,1,0,0\n"
    c.post("/humas/?bulan=2026-06", {"kantor": "73.22", "action": "import", "channel": channel.pk, "platform": "",
                                     "file": SimpleUploadedFile("x.csv", csv.encode())})
    assert MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 6, 1)).social_posts == 1
    c.post("/humas/", {"kantor": "73.22", "action": "remove", "channel": channel.pk, "confirm": "on"})
    assert MonthlyFigure.objects.get(office__code="73.22", month=date(2026, 6, 1)).social_posts == 1
    assert channel.posts.count() == 1
    r = c.post("/humas/?bulan=2026-06", {"kantor": "73.22", "action": "import", "channel": channel.pk,
                                         "platform": "", "file": SimpleUploadedFile("y.csv", csv.encode())})
    assert r.status_code == 400 and SocialImport.objects.count() == 1
    # A second stop of the same channel (a double click, an old tab) says so; nothing changes.
    retired_at = Channel.objects.get(pk=channel.pk).retired_at
    again = c.post("/humas/", {"kantor": "73.22", "action": "remove", "channel": channel.pk, "confirm": "on"},
                   follow=True)
    assert again.status_code == 200 and "sudah tidak dipakai" in again.content.decode()
    assert Channel.objects.get(pk=channel.pk).retired_at == retired_at


def test_importing_onto_a_retired_channel_is_refused_with_its_reason(hp):
    from satupintu.core.errors import DomainError
    from satupintu.humas.imports import social_import

    channel = channel_register(office=office("73.22"), platform="facebook", handle="kemenaglutra")
    Channel.objects.filter(pk=channel.pk).update(retired_at=timezone.now())
    channel.refresh_from_db()
    with pytest.raises(DomainError) as e:
        social_import(channel=channel, filename="x.csv", data=(META_HEAD + "1_1,1,Kemenag Luwu Utara,,Teks,15/06/2026 10:00,"
                      "https://www.facebook.com/x/posts/1,Foto,1,1,1,0,0\n").encode())
    assert e.value.code == "humas_channel_retired" and e.value.status == 409


def test_a_feed_found_foreign_stops_counting_in_its_earlier_months_too(db):
    channel = feed("73.22", "ternyata-palopo")
    publish(channel, *(story(f"o{i}", unique_text(i, "Kota Palopo"), at(2 + i, month=10)) for i in range(4)))
    refresh_month(OCT)  # four stories: too few to judge the feed yet
    assert MonthlyFigure.objects.get(office__code="73.22", month=OCT).stories == 4
    publish(channel, *(story(f"n{i}", unique_text(20 + i, "Kota Palopo"), at(2 + i)) for i in range(2)))
    refresh_month(NOV)
    channel.refresh_from_db()
    assert channel.foreign_office is not None
    assert [MonthlyFigure.objects.get(office__code="73.22", month=m).stories for m in (OCT, NOV)] == [0, 0]


def test_the_running_months_target_counts_only_the_days_so_far(hp):
    lutra = office("73.22")
    zone = ZoneInfo(lutra.timezone)
    now = timezone.now().astimezone(zone)
    start = datetime(now.year, now.month, 1, tzinfo=zone)
    target_set(office=lutra, year=now.year, stories_per_week=7, social_posts_per_month=None)  # one a day
    channel = feed("73.22")
    days = now.day
    step = (now - start) / (days + 1)
    publish(channel, *(story(f"d{i}", unique_text(i), start + step * (i + 1)) for i in range(days)))
    refresh_month(start.date())
    row = selectors.scorecard(selectors.parse_month(f"{now:%Y-%m}"), office=lutra)[0]
    assert row.stories_target == pytest.approx(days)  # a story a day, for the days so far
    assert row.progress_percent == 100


def test_period_weeks_until_counts_past_months_whole_and_the_running_one_so_far():
    year = selectors.Period(2026)
    assert year.weeks_until(date(2027, 1, 3)) == pytest.approx(365 / 7)
    nov = selectors.Period(2026, 11)
    assert nov.weeks_until(date(2026, 11, 6)) == pytest.approx(6 / 7)
    assert nov.months_until(date(2026, 11, 6)) == pytest.approx(6 / 30)
    assert nov.weeks_until(date(2026, 12, 6)) == pytest.approx(30 / 7)


def test_the_report_for_a_bad_year_is_a_400(hp):
    r = _client(hp.humas_sulsel).get("/humas/laporan-1999.pdf")
    assert r.status_code == 400 and "Tahun harus empat angka" in r.content.decode()


def test_the_report_pdf_is_rate_limited_per_person(hp):
    c = _client(hp.humas_sulsel)
    for _ in range(ratelimit.HUMAS_REPORT_PER_USER.limit):
        assert c.get("/humas/laporan-2026.pdf").status_code == 200
    r = c.get("/humas/laporan-2026.pdf")
    assert r.status_code == 429 and r["Retry-After"] == str(ratelimit.HUMAS_REPORT_PER_USER.window)
    assert _client(hp.humas_pusat).get("/humas/laporan-2026.pdf").status_code == 200  # another person's own count


def test_the_report_explains_the_score_in_words_with_the_unanswered_whatsapp_rule(hp):
    from pypdf import PdfReader

    r = _client(hp.humas_sulsel).get("/humas/laporan-2026.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages).split())
    assert "target berita 35, orisinalitas 20" in text
    assert "originality" not in text and "coverage" not in text
    assert "tidak dijawab lewat dari satu jam kerja dihitung gagal" in text


def test_the_targets_form_saves_the_year_it_showed(hp):
    r = _client(hp.humas_sulsel).post("/humas/target/?tahun=2025", {"kantor": "73.22", "tahun": "2026",
                                                                     "stories_per_week": "3"})
    assert r.status_code == 302 and r["Location"].endswith("tahun=2026")
    assert list(Target.objects.filter(office__code="73.22").values_list("year", flat=True)) == [2026]


def test_import_problems_keep_column_and_value_and_read_in_the_readers_language(hp):
    channel = channel_register(office=office("73.22"), platform="facebook", handle="@lutra")
    csv = META_HEAD + "1_1,1,Kemenag Luwu Utara,,Teks,kemarin,https://www.facebook.com/x/posts/1,Foto,100,80,5,1,1\n"
    c = _client(hp.humas_lutra)
    c.post("/humas/?bulan=2026-11", {"action": "import", "kantor": "73.22", "channel": channel.pk,
                                     "file": SimpleUploadedFile("x.csv", csv.encode())})
    problem = SocialImport.objects.get().problems[0]
    assert problem["line"] == 2 and problem["column"] == "Waktu publikasi" and problem["value"] == "kemarin"
    record = SocialImport.objects.get()
    with translation.override("id"):
        indonesian = record.problem_lines()[0]
    with translation.override("en"):
        english = record.problem_lines()[0]
    assert indonesian.startswith("baris 2:") and '"Waktu publikasi"' in indonesian and "kemarin" in indonesian
    assert english.startswith("line 2:") and '"Waktu publikasi"' in english and english != indonesian
    page = c.get("/humas/?kantor=73.22&bulan=2026-11", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "kemarin" in page


def test_page_times_are_the_offices(hp):
    """An item fetched at 23:30 WIB (the server's zone) on 4 November is 5 November in Makassar (WITA)."""
    from satupintu.situation.models import Item

    channel = feed("73.22")
    publish(channel, story("nodate", "Rapat persiapan kegiatan akhir tahun di aula kantor.", None))
    when = datetime(2026, 11, 4, 23, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    Item.objects.filter(external_id="nodate").update(fetched_at=when, published_at=when)
    page = _client(hp.humas_lutra).get("/humas/?kantor=73.22&bulan=2026-11").content.decode()
    assert "05/11/2026" in page and "04/11/2026" not in page
