"""Survey answers as CSV or XLSX for the office's own analysis (no personal data is kept
with an answer, so nothing here needs masking). Every row goes through core.spreadsheets, so
no typed comment becomes a formula."""

from __future__ import annotations

import io
import itertools

from django.db.models import QuerySet

from satupintu.core.spreadsheets import csv_writer, xlsx_bytes
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
    writer = csv_writer(buf)  # a comment "=HYPERLINK(...)" stays text
    writer.writerow(HEADER)
    writer.writerows(_rows(responses))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8 correctly


def responses_xlsx(responses: QuerySet[SurveyResponse], result: IkmResult) -> bytes:
    return xlsx_bytes({"Ringkasan": _summary(result), "Jawaban": itertools.chain([HEADER], _rows(responses))})
