"""The ranking for a whole year (`?tahun=`): the months summed, the same table, chart, awards and
exports; the month/year choice on the page; a bad `tahun` or `bulan` is a clear 400 in the
reader's language, never a 500."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client

from satupintu.humas.figures import refresh_month
from satupintu.humas.models import MonthlyFigure
from tests.humas.conftest import at, feed, publish, story, unique_text


def _client(user, language: str = "") -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    if language:
        c.cookies["django_language"] = language
    return c


@pytest.fixture
def two_months(hp):  # type: ignore[no-untyped-def]
    """Luwu Utara publishes in October and November, Kota Makassar only in November."""
    lutra, makassar = feed("73.22"), feed("73.71", "kota-makassar")
    publish(lutra, *(story(f"o{i}", unique_text(i), at(3 + i, month=10)) for i in range(4)),
            story("n1", unique_text(40), at(5)))
    publish(makassar, *(story(f"m{i}", unique_text(60 + i, "Kota Makassar"), at(6 + i)) for i in range(3)))
    refresh_month(date(2026, 10, 1))
    refresh_month(date(2026, 11, 1))


def _summed(code: str, name: str) -> int:
    return sum(MonthlyFigure.objects.filter(office__code=code, month__year=2026).values_list(name, flat=True))


def test_year_ranking_sums_the_months_with_table_chart_and_awards(hp, two_months):
    r = _client(hp.humas_sulsel).get("/humas/peringkat/?tahun=2026")
    assert r.status_code == 200
    period = r.context["period"]
    assert period.year == 2026 and period.month is None
    rows = {row.code: row for row in r.context["rows"]}
    assert rows["73.22"].figures.stories == _summed("73.22", "stories") == 5
    assert rows["73.71"].figures.stories == _summed("73.71", "stories") == 3
    assert [row.code for row in r.context["rows"]][:2] == ["73.22", "73.71"]  # ranked on the year's figures
    assert r.context["awards"].website[0].code == "73.22"
    body = r.content.decode()
    assert "Peringkat Humas Kantor Wilayah" in body and ", 2026</h1>" in body
    assert '<svg class="bar-track"' in body
    assert 'id="periode-tahun" name="periode" value="tahun" checked' in body
    assert 'href="/humas/peringkat.csv?tahun=2026&amp;kanwil=73"' in body
    # the month view of the same page is not the year's
    month = _client(hp.humas_sulsel).get("/humas/peringkat/?bulan=2026-10")
    assert {row.code: row for row in month.context["rows"]}["73.71"].figures.stories == 0
    assert 'id="periode-bulan" name="periode" value="bulan" checked' in month.content.decode()


def test_the_forms_choice_picks_the_period(hp, two_months):
    c = _client(hp.humas_sulsel)
    year = c.get("/humas/peringkat/?periode=tahun&bulan=2026-10&tahun=2026")
    assert year.context["period"].month is None
    month = c.get("/humas/peringkat/?periode=bulan&bulan=2026-10&tahun=abc")  # the other field is not read
    assert month.status_code == 200 and month.context["period"].month == 10
    body = month.content.decode()
    assert '<label for="bulan">' in body and '<label for="tahun">' in body and "<legend>Periode</legend>" in body


def test_year_exports_csv_and_xlsx(hp, two_months):
    from openpyxl import load_workbook

    c = _client(hp.humas_pusat)
    r = c.get("/humas/peringkat.csv?tahun=2026&kanwil=73")
    assert r.status_code == 200 and 'filename="humas-peringkat-73-2026.csv"' in r["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_code = {row["kode"]: row for row in table}
    assert int(by_code["73.22"]["berita"]) == _summed("73.22", "stories")
    assert int(by_code["73.22"]["orisinal"]) == _summed("73.22", "original")
    r = c.get("/humas/peringkat.xlsx?tahun=2026")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Humas 2026"]
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) > 500 and {row[2]: row[5] for row in rows[1:]}["73.71"] == _summed("73.71", "stories")


@pytest.mark.parametrize("url", [
    "/humas/peringkat/?tahun=20x6", "/humas/peringkat/?tahun=99999", "/humas/peringkat/?tahun=1999",
    "/humas/peringkat.csv?tahun=dua-ribu", "/humas/peringkat.xlsx?tahun=-2026",
    "/humas/peringkat/?periode=tahun&tahun=2026.5", "/humas/target/?tahun=abad",
])
def test_bad_year_is_a_clear_400(hp, url):
    r = _client(hp.humas_pusat).get(url)
    assert r.status_code == 400
    assert "Tahun harus empat angka, misalnya 2026." in r.content.decode()
    english = _client(hp.humas_pusat, "en").get(url)
    assert english.status_code == 400
    assert "The year must be four digits, for example 2026." in english.content.decode()
    assert "Tahun harus" not in english.content.decode()


@pytest.mark.parametrize("url", [
    "/humas/peringkat/?bulan=2026-13", "/humas/peringkat/?bulan=nov", "/humas/peringkat.csv?bulan=2026/11",
    "/humas/peringkat.xlsx?bulan=11-2026", "/humas/?kantor=73.22&bulan=2026-00",
])
def test_bad_month_is_a_clear_400(hp, url):
    r = _client(hp.humas_sulsel).get(url)
    assert r.status_code == 400
    assert "Bulan harus berbentuk TTTT-BB, misalnya 2026-11." in r.content.decode()
    english = _client(hp.humas_sulsel, "en").get(url)
    assert english.status_code == 400 and "The month must be YYYY-MM, for example 2026-11." in english.content.decode()
