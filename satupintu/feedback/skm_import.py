"""Paper surveys typed into a spreadsheet, loaded from CSV or XLSX.

Header: tanggal,layanan,u1..u9,jenis_kelamin,usia,pendidikan,pekerjaan (any order, any
case). Bad rows are reported by line with the reason and the good rows still load. Each
row gets a fingerprint (office, its content, and how many identical rows came before it in
the file), so importing the same file again loads nobody twice while two respondents who
happened to answer alike are both counted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from charset_normalizer import from_bytes

from satupintu.core.errors import DomainError
from satupintu.core.spreadsheets import XlsxRows
from satupintu.feedback.elements import ELEMENT_CODES
from satupintu.feedback.models import Channel, SurveyResponse
from satupintu.feedback.survey import survey_submit
from satupintu.organization.models import Office
from satupintu.organization.working_calendar import office_today
from satupintu.services.models import Service

COLUMNS = ("tanggal", "layanan", *ELEMENT_CODES, "jenis_kelamin", "usia", "pendidikan", "pekerjaan")
MAX_ROWS = 50_000

_SEX = {"l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "m": "L",
        "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "f": "P"}
_EDUCATION = {"sd": "SD", "sd ke bawah": "SD", "smp": "SMP", "mts": "SMP", "smp/mts": "SMP", "sma": "SMA",
              "ma": "SMA", "smk": "SMA", "sma/ma/smk": "SMA", "d1": "D3", "d2": "D3", "d3": "D3", "diploma": "D3",
              "s1": "S1", "d4": "S1", "s1/d4": "S1", "s2": "S2", "s3": "S2", "s2 ke atas": "S2"}
_OCCUPATION = {"pns": "PNS", "asn": "PNS", "pns/asn": "PNS", "tni": "TNI/POLRI", "polri": "TNI/POLRI",
               "tni/polri": "TNI/POLRI", "swasta": "SWASTA", "pegawai swasta": "SWASTA", "wirausaha": "WIRAUSAHA",
               "wiraswasta": "WIRAUSAHA", "pelajar": "PELAJAR", "mahasiswa": "PELAJAR",
               "pelajar/mahasiswa": "PELAJAR", "guru": "GURU", "dosen": "GURU", "guru/dosen": "GURU",
               "irt": "IRT", "ibu rumah tangga": "IRT", "lainnya": "LAINNYA", "lain-lain": "LAINNYA"}
_AGE_GROUPS = {"<20", "20-29", "30-39", "40-49", "50+"}


@dataclass
class ImportReport:
    loaded: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.loaded + self.duplicates + len(self.errors)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise DomainError("unreadable_file", "Berkas tidak bisa dibaca: simpan sebagai CSV UTF-8 atau XLSX.") from None
        return str(best)


def _rows_from_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # One row past the limit is enough to refuse the file; the rest is never split into lists.
    try:
        return list(itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), MAX_ROWS + 2))
    except csv.Error:  # a field past the csv module's limit (131,072 characters), a stray NUL
        raise DomainError("unreadable_file", "Berkas tidak bisa dibaca: ada isian yang terlalu panjang atau rusak. "
                                             "Simpan ulang sebagai CSV UTF-8 atau XLSX.") from None


def _rows_from_xlsx(data: bytes) -> list[list[object]]:
    # Streamed, and refused at MAX_ROWS + 1 rows (or unread when the file says it is bigger).
    return [list(row) for row in XlsxRows(data, max_rows=MAX_ROWS)]


def _parse_date(value: object, today: date) -> date:
    """A date cell (XLSX) or text; refused after ``today`` (the office's), as a text date always was
    (a date cell of 2099 was counted in the index)."""
    text = str(value or "").strip()
    parsed: date | None = value.date() if isinstance(value, datetime) else value if isinstance(value, date) else None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        if parsed is not None:
            break
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if parsed is None:
        raise ValueError(f"tanggal '{text}' tidak dikenali (pakai TTTT-BB-HH atau HH/BB/TTTT)")
    if parsed > today:
        raise ValueError(f"tanggal {parsed:%Y-%m-%d} di masa depan")
    return parsed


def _parse_answer(column: str, value: object) -> int:
    text = str(value if value is not None else "").strip()
    if re.fullmatch(r"[1-4](\.0+)?", text):
        return int(float(text))
    raise ValueError(f"{column} harus 1-4, tertulis '{text}'")


def _age_group(value: str) -> str:
    if value in _AGE_GROUPS:
        return value
    if re.fullmatch(r"\d{1,3}(\.0+)?", value):
        age = int(float(value))
        if age < 10 or age > 110:
            raise ValueError(f"usia {age} tidak wajar")
        return "<20" if age < 20 else "50+" if age >= 50 else f"{age // 10 * 10}-{age // 10 * 10 + 9}"
    raise ValueError(f"usia '{value}' tidak dikenali (angka tahun atau kelompok seperti 30-39)")


def _lookup(table: dict[str, str], value: str, column: str) -> str:
    key = value.strip().lower()
    if not key:
        return ""
    if key in table:
        return table[key]
    raise ValueError(f"{column} '{value}' tidak dikenali")


def skm_import(data: bytes, *, filename: str, office: Office) -> ImportReport:
    """Load every good row; report the rest by line. Raises only for a file that cannot be read."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        rows: list[list[object]] = _rows_from_xlsx(data)
    else:
        rows = [list[object](row) for row in _rows_from_csv(data)]
    if not rows:
        raise DomainError("empty_file", "Berkas kosong.")
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("kolom hilang: " + ", ".join(missing))
        if unknown:
            parts.append("kolom tidak dikenal: " + ", ".join(unknown))
        raise DomainError("wrong_columns", "Judul kolom tidak sesuai (%(problems)s). Baris pertama harus: %(columns)s",
                          params={"problems": "; ".join(parts), "columns": ",".join(COLUMNS)})
    if len(rows) - 1 > MAX_ROWS:
        raise DomainError("too_many_rows", "Maksimal %(n)d baris per berkas.", max_rows=MAX_ROWS,
                          params={"n": MAX_ROWS})
    position = {name: header.index(name) for name in COLUMNS}
    services = {s.slug: s for s in Service.objects.all()}
    by_name = {s.name.strip().lower(): s for s in services.values()}
    report = ImportReport()
    today = office_today(office)  # a WIT office's 1 January begins at 22:00 WIB
    seen: Counter[str] = Counter()
    for line, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i] if i < len(row) else None) for name, i in position.items()}
        if all(str(v or "").strip() == "" for v in cells.values()):
            continue
        try:
            answered_on = _parse_date(cells["tanggal"], today)
            service_text = str(cells["layanan"] or "").strip()
            service = services.get(service_text) or by_name.get(service_text.lower())
            if service_text and service is None:
                raise ValueError(f"layanan '{service_text}' tidak dikenal (pakai slug atau nama layanan)")
            answers = {code: _parse_answer(code, cells[code]) for code in ELEMENT_CODES}
            profile = {
                "sex": _lookup(_SEX, str(cells["jenis_kelamin"] or ""), "jenis_kelamin"),
                "age_group": _age_group(str(cells["usia"]).strip()) if str(cells["usia"] or "").strip() else "",
                "education": _lookup(_EDUCATION, str(cells["pendidikan"] or ""), "pendidikan"),
                "occupation": _lookup(_OCCUPATION, str(cells["pekerjaan"] or ""), "pekerjaan"),
            }
        except ValueError as exc:
            report.errors.append((line, str(exc)))
            continue
        content = "|".join([office.code, answered_on.isoformat(), service.slug if service else "",
                            *(str(answers[c]) for c in ELEMENT_CODES), *profile.values()])
        seen[content] += 1
        key = hashlib.sha256(f"{content}|{seen[content]}".encode()).hexdigest()
        if SurveyResponse.objects.filter(import_key=key).exists():
            report.duplicates += 1
            continue
        try:
            survey_submit(office=office, channel=Channel.PAPER, answers=answers, profile=profile, service=service,
                          answered_on=answered_on, import_key=key)
        except DomainError as exc:
            if exc.code == "duplicate_survey":
                report.duplicates += 1
            else:
                report.errors.append((line, exc.message))
            continue
        report.loaded += 1
    return report
