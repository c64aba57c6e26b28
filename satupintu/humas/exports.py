"""The ranking as CSV and XLSX, through core.spreadsheets (office names and handles are text a
person typed somewhere: a cell starting with "=" stays text)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from satupintu.core.spreadsheets import csv_writer, xlsx_bytes
from satupintu.humas.selectors import Period, Row

HEADER = ["peringkat_nasional", "peringkat_kanwil", "kode", "kantor", "kanwil", "berita", "orisinal", "ulangan",
          "target_berita", "capaian_persen", "program_prioritas", "unggahan_medsos", "jangkauan", "interaksi",
          "liputan_positif", "liputan_netral", "liputan_negatif", "wa_dijawab", "wa_tepat_waktu",
          "wa_tak_dijawab", "skor"]


def _rows(rows: list[Row]) -> Iterator[list[object]]:
    for r in rows:
        f = r.figures
        yield [r.rank_national, r.rank_kanwil, r.code, r.name, r.kanwil_code, f.stories, f.original, f.repeats,
               round(r.stories_target, 1) if r.stories_target is not None else "", r.progress_percent
               if r.progress_percent is not None else "", f.priority_stories, f.social_posts, f.social_reach,
               f.social_engagement, f.coverage_positive, f.coverage_neutral, f.coverage_negative, f.wa_answered,
               f.wa_within_target, f.wa_unanswered, r.score]


def ranking_csv(rows: list[Row]) -> bytes:
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(HEADER)
    writer.writerows(_rows(rows))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8


def ranking_xlsx(rows: list[Row], period: Period) -> bytes:
    return xlsx_bytes({f"Humas {period.label}": [HEADER, *_rows(rows)]})
