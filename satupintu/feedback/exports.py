"""Survey answers as CSV or XLSX for the office's own analysis (no personal data is kept
with an answer, so nothing here needs masking)."""

from __future__ import annotations

import csv
import io

from django.db.models import QuerySet

from satupintu.feedback.elements import ELEMENT_CODES
from satupintu.feedback.ikm import IkmResult
from satupintu.feedback.models import SurveyResponse

HEADER = ["tanggal", "kantor", "layanan", "kanal", *ELEMENT_CODES, "jenis_kelamin", "usia", "pendidikan",
          "pekerjaan", "komentar"]


def _rows(responses: QuerySet[SurveyResponse]):  # type: ignore[no-untyped-def]
    for r in responses.select_related("office", "service").order_by("answered_on", "id").iterator(chunk_size=2000):
        yield [r.answered_on.isoformat(), r.office.code, r.service.slug if r.service else "", r.channel,
               *r.answers(), r.sex, r.age_group, r.education, r.occupation, r.comment]


def _summary(result: IkmResult) -> list[list[object]]:
    rows: list[list[object]] = [["unsur", "nama", "nrr", "nrr_x25"]]
    rows += [[e.code, e.name, float(e.average), float(e.ikm)] for e in result.elements]
    rows.append(["ikm", result.grade or "", float(result.ikm) if result.ikm is not None else "", result.respondents])
    return rows


def responses_csv(responses: QuerySet[SurveyResponse]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(_rows(responses))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8 correctly


def responses_xlsx(responses: QuerySet[SurveyResponse], result: IkmResult) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    summary = book.create_sheet("Ringkasan")
    for row in _summary(result):
        summary.append(row)
    sheet = book.create_sheet("Jawaban")
    sheet.append(HEADER)
    for row in _rows(responses):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
