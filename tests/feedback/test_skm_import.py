"""Paper surveys from CSV/XLSX: bad rows reported by line, good rows loaded, nobody twice."""

import io
import json
import subprocess
import sys

import pytest

from satupintu.core.errors import DomainError
from satupintu.feedback.models import SurveyResponse
from satupintu.feedback.skm_import import COLUMNS, skm_import
from satupintu.organization.models import Office

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _office():  # type: ignore[no-untyped-def]
    return Office.objects.get(code="73.22")


def test_good_and_bad_rows():
    data = _csv(
        "2026-03-02,legalisir-ijazah-madrasah,4,4,3,4,3,4,4,3,3,L,34,S1,PNS",
        "02/03/2026,Legalisir Ijazah Madrasah,3,3,3,4,3,3,3,2,3,Perempuan,20-29,SMA,Pelajar",
        "2026-03-02,,3,3,3,4,3,3,3,3,3,,,,",  # profile and service may be empty
        "2026-13-02,legalisir-ijazah-madrasah,4,4,4,4,4,4,4,4,4,L,34,S1,PNS",  # bad date
        "2026-03-02,tidak-ada,4,4,4,4,4,4,4,4,4,L,34,S1,PNS",  # unknown service
        "2026-03-02,legalisir-ijazah-madrasah,4,4,5,4,4,4,4,4,4,L,34,S1,PNS",  # out of range
        "2026-03-02,legalisir-ijazah-madrasah,4,4,4,4,4,4,4,4,4,X,34,S1,PNS",  # unknown sex
        "2099-01-01,legalisir-ijazah-madrasah,4,4,4,4,4,4,4,4,4,L,34,S1,PNS",  # future
        ",,,,,,,,,,,,,,",  # blank line: ignored
    )
    report = skm_import(data, filename="kertas.csv", office=_office())
    assert report.loaded == 3 and report.duplicates == 0
    lines = dict(report.errors)
    assert sorted(lines) == [5, 6, 7, 8, 9]
    assert "tanggal" in lines[5] and "layanan 'tidak-ada'" in lines[6] and "u3 harus 1-4" in lines[7]
    assert "jenis_kelamin" in lines[8] and "masa depan" in lines[9]
    first = SurveyResponse.objects.order_by("id").first()
    assert first.channel == "paper" and first.age_group == "30-39" and first.occupation == "PNS"


def test_second_import_counts_nobody_twice_but_identical_respondents_both_count():
    row = "2026-03-02,legalisir-ijazah-madrasah,4,4,3,4,3,4,4,3,3,L,34,S1,PNS"
    data = _csv(row, row)  # two people who answered exactly alike
    first = skm_import(data, filename="a.csv", office=_office())
    assert first.loaded == 2
    again = skm_import(data, filename="a-lagi.csv", office=_office())
    assert again.loaded == 0 and again.duplicates == 2
    assert SurveyResponse.objects.count() == 2
    third = skm_import(_csv(row, row, row), filename="b.csv", office=_office())  # one more person
    assert third.loaded == 1 and third.duplicates == 2


def test_semicolons_and_windows_encoding_and_bom():
    text = HEADER.replace(",", ";") + "\n" + "2026-03-02;Legalisir Ijazah Madrasah;4;4;3;4;3;4;4;3;3;L;34;S1;PNS\n"
    text += "2026-03-03;;3;3;3;3;3;3;3;3;3;P;41;SMA;Ibu rumah tangga\n"
    report = skm_import(text.encode("cp1252"), filename="excel.csv", office=_office())
    assert report.loaded == 2 and not report.errors
    report = skm_import(b"\xef\xbb\xbf" + _csv("2026-03-04,,3,3,3,3,3,3,3,3,3,,,,"), filename="bom.csv",
                        office=_office())
    assert report.loaded == 1


def test_wrong_columns_are_refused_with_a_clear_message():
    with pytest.raises(DomainError) as info:
        skm_import(b"tanggal,layanan,q1,q2\n2026-01-01,x,1,2\n", filename="x.csv", office=_office())
    assert info.value.code == "wrong_columns"
    assert "kolom hilang: u1" in info.value.message and "kolom tidak dikenal: q1" in info.value.message
    with pytest.raises(DomainError):
        skm_import(b"", filename="x.csv", office=_office())
    assert SurveyResponse.objects.count() == 0


def test_xlsx_with_real_dates_and_numbers():
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append([datetime(2026, 4, 1), "legalisir-ijazah-madrasah", 4, 4, 4, 4, 4, 4, 4, 4, 4, "L", 25, "S1", "PNS"])
    sheet.append(["01/04/2026", "", 3.0, 3, 3, 3, 3, 3, 3, 3, 3, None, None, None, None])
    buf = io.BytesIO()
    book.save(buf)
    report = skm_import(buf.getvalue(), filename="kertas.xlsx", office=_office())
    assert report.loaded == 2 and not report.errors
    with pytest.raises(DomainError) as info:
        skm_import(b"PK\x03\x04 broken", filename="rusak.xlsx", office=_office())
    assert info.value.code == "unreadable_file"


def test_a_date_cell_in_the_future_is_refused_like_a_typed_one():
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append([datetime(2099, 1, 1), "", 4, 4, 4, 4, 4, 4, 4, 4, 4, None, None, None, None])  # was counted
    buf = io.BytesIO()
    book.save(buf)
    report = skm_import(buf.getvalue(), filename="kertas.xlsx", office=_office())
    assert report.loaded == 0 and "2099-01-01 di masa depan" in str(report.errors)
    assert not SurveyResponse.objects.exists()


def test_a_field_too_long_for_the_csv_reader_is_a_clear_refusal():
    data = _csv("2025-01-02,," + "x" * 200_000 + ",4,4,4,4,4,4,4,4,,,,")  # was a traceback
    with pytest.raises(DomainError) as info:
        skm_import(data, filename="a.csv", office=_office())
    assert info.value.code == "unreadable_file" and "terlalu panjang" in info.value.message


@pytest.mark.once
def test_cli_import_and_report_json(tmp_path, settings, migrated_sqlite):
    """`satupintu skm import` then `report --json`, in a process of its own on its own data dir."""
    import os

    from tests.conftest import embedded_data_dir

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["SATUPINTU_DATA_DIR"] = str(embedded_data_dir(tmp_path, migrated_sqlite))
    run = [sys.executable, "-m", "satupintu.cli"]
    path = tmp_path / "kertas.csv"
    path.write_bytes(_csv("2026-03-02,legalisir-ijazah-madrasah,4,3,2,4,3,3,4,2,3,L,34,S1,PNS",
                          "2026-03-02,legalisir-ijazah-madrasah,3,3,2,4,4,3,4,3,3,P,29,SMA,GURU",
                          "2026-03-05,legalisir-ijazah-madrasah,9,3,2,4,4,3,4,3,3,P,29,SMA,GURU"))
    imported = subprocess.run([*run, "skm", "import", str(path), "--office", "73.22"], env=env,
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 1  # one row was rejected
    assert "2 jawaban dimuat" in imported.stdout and "baris 4: u1 harus 1-4" in imported.stderr
    report = subprocess.run([*run, "skm", "report", "--office", "73.22", "--from", "2026-01-01", "--to",
                             "2026-12-31", "--json"], env=env, capture_output=True, text=True, timeout=120, check=True)
    body = json.loads(report.stdout)
    # u1: 3.5, u2: 3, u3: 2, u4: 4, u5: 3.5, u6: 3, u7: 4, u8: 2.5, u9: 3 -> 28.5 / 9 * 25 = 79.17
    assert body == {"ikm": 79.17, "grade": "B", "respondents": 2,
                    "elements": [3.5, 3.0, 2.0, 4.0, 3.5, 3.0, 4.0, 2.5, 3.0]}
    text = subprocess.run([*run, "skm", "report", "--office", "73.22", "--from", "2026-01-01", "--to", "2026-12-31"],
                          env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "IKM 79.17 - mutu B (Baik), 2 responden" in text and "Unsur terlemah: Waktu penyelesaian" in text
    bad = subprocess.run([*run, "skm", "report", "--office", "99.99"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "tidak ditemukan" in bad.stderr


def test_a_paper_answer_of_the_offices_today_is_not_in_the_future(monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    papua = Office.objects.filter(timezone="Asia/Jayapura", level="kankemenag").first()
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura")))
    report = skm_import(_csv("01/01/2027,,3,3,3,3,3,3,3,3,3,,,,"), filename="kertas.csv", office=papua)
    assert (report.loaded, report.errors) == (1, [])  # was "tanggal 2027-01-01 di masa depan"
