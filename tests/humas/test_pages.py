"""The pages and who may use them: own office, the Kanwil above, Pusat; nobody else."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client

from satupintu.humas.figures import refresh_month
from satupintu.humas.models import Channel, Target
from tests.humas.conftest import at, feed, office, publish, story, unique_text


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def lutra_month(hp):  # type: ignore[no-untyped-def]
    channel = feed("73.22")
    publish(channel, *(story(f"l{i}", unique_text(i), at(1 + i)) for i in range(3)),
            story("nodate", "Rapat persiapan kegiatan akhir tahun di aula kantor.", None))
    refresh_month(date(2026, 11, 1))
    return channel


def test_own_office_page_shows_figures_channels_and_undated_story(hp, lutra_month):
    r = _client(hp.humas_lutra).get("/humas/?bulan=2026-11")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Luwu Utara" in body and "Berita tanpa tanggal" in body and "Rapat persiapan" in body
    assert r.context["row"].figures.stories == 3


def test_other_offices_humas_officer_can_neither_see_nor_edit(hp, lutra_month):
    c = _client(hp.humas_makassar)
    assert c.get("/humas/?kantor=73.22").status_code == 403
    r = c.post("/humas/", {"kantor": "73.22", "action": "remove", "channel": lutra_month.pk})
    assert r.status_code == 403
    assert Channel.objects.filter(pk=lutra_month.pk).exists()


def test_kanwil_sees_its_offices_and_ranking_not_other_kanwils(hp, lutra_month):
    c = _client(hp.humas_sulsel)
    assert c.get("/humas/?kantor=73.22&bulan=2026-11").status_code == 200
    r = c.get("/humas/peringkat/?bulan=2026-11")
    assert r.status_code == 200 and r.context["kanwil"].code == "73"
    assert "<svg" in r.content.decode()
    assert c.get("/humas/peringkat/?kanwil=33").status_code == 403
    assert _client(hp.humas_jateng).get("/humas/?kantor=73.22").status_code == 403


def test_kankemenag_and_non_humas_staff_and_citizens_are_kept_out(hp, lutra_month):
    assert _client(hp.humas_lutra).get("/humas/peringkat/").status_code == 403
    assert _client(hp.humas_lutra).get("/humas/target/").status_code == 403
    # ... and their own page does not send them there.
    own = _client(hp.humas_lutra).get("/humas/?bulan=2026-11").content.decode()
    assert "/humas/peringkat/" not in own and "/humas/target/" not in own
    kanwil = _client(hp.humas_sulsel).get("/humas/?bulan=2026-11").content.decode()
    assert "/humas/peringkat/" in kanwil and "/humas/target/" in kanwil
    assert _client(hp.fo_lutra).get("/humas/").status_code == 403
    assert Client().get("/humas/").status_code == 302
    from django.contrib.auth import get_user_model

    citizen = get_user_model().objects.create_user("warga", "w@x.local", "sandi-uji-123")
    assert _client(citizen).get("/humas/peringkat/").status_code == 403


def test_pusat_sees_national_ranking(hp, lutra_month):
    r = _client(hp.humas_pusat).get("/humas/peringkat/?bulan=2026-11")
    assert r.status_code == 200 and r.context["kanwil"] is None and r.context["total"] > 500 and len(r.context["rows"]) == 100


def test_register_channel_from_the_page_and_refusal_shown(hp, lutra_month):
    c = _client(hp.admin_lutra)
    r = c.post("/humas/?bulan=2026-11", {"action": "add", "kantor": "73.22", "platform": "instagram",
                                         "handle": "@kemenaglutra"})
    assert r.status_code == 302 and Channel.objects.filter(office__code="73.22", platform="instagram").exists()
    feed("73.71", "kota-makassar")
    r = c.post("/humas/?bulan=2026-11", {"action": "add", "kantor": "73.22", "platform": "website",
                                         "url": "https://sulsel.kemenag.go.id/kota-makassar/feed"})
    assert r.status_code == 409 or r.status_code == 400
    assert "sudah terdaftar sebagai kanal" in r.content.decode()


def test_kanwil_sets_targets_zero_refused_on_the_page(hp):
    c = _client(hp.kakanwil_sulsel)
    r = c.get("/humas/target/?tahun=2026")
    assert r.status_code == 200 and "Luwu Utara" in r.content.decode()
    r = c.post("/humas/target/", {"kantor": "73.22", "tahun": "2026", "stories_per_week": "0",
                                  "social_posts_per_month": ""})
    assert r.status_code == 400 and "minimal 1" in r.content.decode()
    r = c.post("/humas/target/", {"kantor": "73.22", "tahun": "2026", "stories_per_week": "3",
                                  "social_posts_per_month": "12"})
    assert r.status_code == 302
    assert Target.objects.get(office__code="73.22", year=2026).stories_per_week == 3
    # a Kanwil does not set another province's, nor its own (Pusat does)
    assert c.post("/humas/target/", {"kantor": "33.74", "tahun": "2026", "stories_per_week": "3"}).status_code == 403
    assert c.post("/humas/target/", {"kantor": "73", "tahun": "2026", "stories_per_week": "3"}).status_code == 403


def test_csv_and_xlsx_exports_escape_formulas(hp, lutra_month):
    from openpyxl import load_workbook

    office("73.22").__class__.objects.filter(code="73.22").update(name='=HYPERLINK("http://x.example","klik")')
    c = _client(hp.humas_sulsel)
    csv_text = c.get("/humas/peringkat.csv?bulan=2026-11").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text
    r = c.get("/humas/peringkat.xlsx?bulan=2026-11")
    sheet = load_workbook(io.BytesIO(r.content)).active
    names = [row[3] for row in sheet.iter_rows(values_only=True)]
    assert "'=HYPERLINK(\"http://x.example\",\"klik\")" in names
    assert sheet.cell(row=1, column=1).data_type != "f"


def test_yearly_report_pdf_is_readable_and_names_the_offices(hp, lutra_month):
    from pypdf import PdfReader

    r = _client(hp.humas_sulsel).get("/humas/laporan-2026.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "Laporan Kinerja Humas Tahun 2026" in text
    assert "Luwu Utara" in text and "Kantor Wilayah" in text
    assert "Halaman 1" in text


def test_yearly_report_groups_thousands_the_indonesian_way(hp, lutra_month):
    from pypdf import PdfReader

    from satupintu.humas.models import MonthlyFigure

    MonthlyFigure.objects.filter(office__code="73.22", month=date(2026, 11, 1)).update(social_engagement=21649)
    c = _client(hp.humas_sulsel)
    c.cookies["django_language"] = "en"  # the report is Indonesian whoever asks
    r = c.get("/humas/laporan-2026.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "21.649" in text and "21649" not in text and "21,649" not in text


def test_a_kanwil_ranking_without_a_month_opens_on_the_kanwil_s_month(hp, monkeypatch):
    """00:30 WITA on 1 January 2027 is 23:30 WIB on 31 December: Sulawesi Selatan's ranking opens on
    January 2027 (it opened on Jakarta's December); the national one keeps Jakarta's."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Makassar")))
    kanwil = _client(hp.humas_sulsel).get("/humas/peringkat/")
    assert kanwil.status_code == 200 and kanwil.context["period"].label == "2027-01"
    year = _client(hp.humas_sulsel).get("/humas/peringkat/?periode=tahun")
    assert year.status_code == 200 and year.context["period"].label == "2027"
    national = _client(hp.humas_pusat).get("/humas/peringkat/")
    assert national.status_code == 200 and national.context["period"].label == "2026-12"
