"""The SKM report is a real PDF in Bahasa Indonesia: cover with the index, method, results,
profile and a conclusion naming the weakest elements; it also renders with no answers."""

import io
from collections import Counter
from datetime import date

import pytest
from pypdf import PdfReader

from satupintu.feedback.ikm import ikm_from_sums
from satupintu.feedback.report_pdf import skm_report_pdf
from satupintu.feedback.selectors import Period, Row
from satupintu.organization.models import Office

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
# Ten respondents; u3 (Waktu penyelesaian) is clearly the weakest, then u8 and u9.
SUMS = [34, 33, 24, 38, 33, 34, 36, 28, 30]


def _text(data: bytes) -> tuple[int, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), [page.extract_text() for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db
def test_report_has_cover_method_results_and_conclusion():
    office = Office.objects.get(code="73.22")
    result = ikm_from_sums(10, SUMS)
    result.profile = {
        "sex": Counter({"L": 4, "P": 6}),
        "age_group": Counter({"20-29": 3, "30-39": 5, "50+": 1, "-": 1}),
        "education": Counter({"SMA": 5, "S1": 4, "S2": 1}),
        "occupation": Counter({"PNS": 2, "GURU": 3, "WIRAUSAHA": 4, "-": 1}),
    }
    part = ikm_from_sums(6, [20, 20, 14, 23, 20, 20, 22, 17, 18])
    rest = ikm_from_sums(4, [14, 13, 10, 15, 13, 14, 14, 11, 12])
    units = [Row("PENDMA", "Pendidikan Madrasah", part), Row("BIMAS", "Bimas Islam", rest)]
    services = [Row("legalisir", "Legalisir Ijazah Madrasah", part), Row("nikah", "Rekomendasi Nikah", rest)]

    data = skm_report_pdf(office=office, period=PERIOD, result=result, units=units, services=services, children=[])

    assert data.startswith(b"%PDF")
    pages, texts = _text(data)
    assert pages >= 3
    whole = _flat("\n".join(texts))
    cover = _flat(texts[0])
    assert "LAPORAN SURVEI" in cover and "KEPUASAN MASYARAKAT" in cover
    assert office.name in cover
    assert "1 Januari 2026 - 30 Juni 2026" in cover
    ikm = f"{result.ikm:.2f}".replace(".", ",")
    assert "," in ikm
    assert f"IKM {ikm} - {result.grade} ({result.grade_label})" in cover
    assert "Kementerian Agama Republik Indonesia" in cover
    assert "PermenPANRB" in whole and "14 Tahun 2017" in whole
    assert "88,31 - 100,00" in whole and "Kurang Baik" in whole
    assert "Pendidikan Madrasah" in whole and "Legalisir Ijazah Madrasah" in whole
    assert "Laki-laki" in whole and "Tidak diisi" in whole and "Guru/Dosen" in whole
    assert "Halaman 2" in whole
    assert office.name in _flat(texts[1])  # header of inner pages
    conclusion = _flat(texts[-1])
    assert "KESIMPULAN" in conclusion
    assert ikm in conclusion and result.grade_label in conclusion
    weakest = result.weakest[0]
    assert weakest.name == "Waktu penyelesaian"
    assert weakest.name in conclusion and "prioritas perbaikan" in conclusion
    assert f"{weakest.average:.2f}".replace(".", ",") in conclusion


@pytest.mark.django_db
def test_kanwil_report_lists_offices_below_with_dash_for_no_answers():
    office = Office.objects.get(code="73")
    below = list(Office.objects.filter(parent=office).order_by("code")[:3])
    children = [Row(below[0].code, below[0].name, ikm_from_sums(10, SUMS))] + [
        Row(o.code, o.name, ikm_from_sums(0, [0] * 9)) for o in below[1:]
    ]
    result = ikm_from_sums(10, SUMS)
    data = skm_report_pdf(office=office, period=PERIOD, result=result, units=[], services=[], children=children)
    whole = _flat("\n".join(_text(data)[1]))
    assert "Kantor Kementerian Agama Kabupaten/Kota" in whole
    # The table names the offices without the repeated "Kantor Kementerian Agama" prefix.
    assert below[2].name.removeprefix("Kantor Kementerian Agama ") in whole
    assert "2 dari 3 kantor" not in whole and "1 dari 3 kantor" in whole


@pytest.mark.django_db
def test_report_renders_with_no_respondents():
    office = Office.objects.get(code="73.22")
    result = ikm_from_sums(0, [0] * 9)
    assert result.ikm is None

    data = skm_report_pdf(office=office, period=PERIOD, result=result, units=[], services=[], children=[])

    assert data.startswith(b"%PDF")
    pages, texts = _text(data)
    assert pages >= 3
    whole = _flat("\n".join(texts))
    assert office.name in whole
    assert "belum ada jawaban survei" in whole.lower()
    assert "belum ada jawaban survei" in _flat(texts[-1]).lower()
    assert "Halaman" in whole
    assert "None" not in whole
