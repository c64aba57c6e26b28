"""The index arithmetic against a worked example by hand, and the grade interval edges."""

from decimal import Decimal

import pytest

from satupintu.feedback.ikm import grade_for, ikm_for, ikm_from_sums

# Five respondents, answers per element (worked by hand):
#   u1 4,3,3,2,4 = 16 -> 3.20    u2 3,3,3,3,3 = 15 -> 3.00    u3 2,2,3,3,2 = 12 -> 2.40
#   u4 4,4,4,4,4 = 20 -> 4.00    u5 3,4,3,4,3 = 17 -> 3.40    u6 3,3,4,4,3 = 17 -> 3.40
#   u7 4,4,4,3,4 = 19 -> 3.80    u8 2,3,2,3,2 = 12 -> 2.40    u9 3,3,3,2,3 = 14 -> 2.80
#   sum of NRR 28.40; weighted (x 1/9) 3.1556; IKM = 3.1556 x 25 = 78.89 -> B (Baik)
ANSWERS = [
    [4, 3, 2, 4, 3, 3, 4, 2, 3],
    [3, 3, 2, 4, 4, 3, 4, 3, 3],
    [3, 3, 3, 4, 3, 4, 4, 2, 3],
    [2, 3, 3, 4, 4, 4, 3, 3, 2],
    [4, 3, 2, 4, 3, 3, 4, 2, 3],
]


def test_worked_example():
    sums = [sum(r[i] for r in ANSWERS) for i in range(9)]
    assert sums == [16, 15, 12, 20, 17, 17, 19, 12, 14]
    result = ikm_from_sums(5, sums)
    assert [e.average for e in result.elements] == [Decimal(x) for x in
                                                    ("3.20", "3.00", "2.40", "4.00", "3.40", "3.40", "3.80", "2.40", "2.80")]
    assert result.ikm == Decimal("78.89")
    assert (result.grade, result.grade_label) == ("B", "Baik")
    assert [e.code for e in result.weakest] == ["u3", "u8", "u9"]
    assert result.as_json() == {"ikm": 78.89, "grade": "B", "respondents": 5,
                                "elements": [3.2, 3.0, 2.4, 4.0, 3.4, 3.4, 3.8, 2.4, 2.8]}


@pytest.mark.django_db
def test_same_result_from_the_database(submit):
    from satupintu.feedback.models import Channel, SurveyResponse
    from satupintu.organization.models import Office

    office = Office.objects.get(code="73.22")
    for row in ANSWERS:
        SurveyResponse.objects.create(office=office, channel=Channel.KIOSK, answered_on="2026-11-02",
                                      **{f"u{i + 1}": v for i, v in enumerate(row)})
    assert ikm_for(SurveyResponse.objects.all()).ikm == Decimal("78.89")


@pytest.mark.parametrize(
    "respondents, element_sum, ikm, grade",
    [
        (250, 883, "88.30", "B"),  # NRR 3.532 -> 88.30 exactly: still B
        (2500, 8831, "88.31", "A"),  # NRR 3.5324 -> 88.31 exactly: A
        (10000, 35322, "88.31", "A"),  # 88.305 rounds half up to 88.31
        (1, 4, "100.00", "A"),
        (1, 1, "25.00", "D"),
    ],
)
def test_interval_edges(respondents, element_sum, ikm, grade):
    result = ikm_from_sums(respondents, [element_sum] * 9)
    assert result.ikm == Decimal(ikm) and result.grade == grade


@pytest.mark.parametrize("value, grade", [("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"),
                                          ("76.60", "C"), ("65.00", "C"), ("64.99", "D"), ("25.00", "D")])
def test_grade_table(value, grade):
    assert grade_for(Decimal(value))[0] == grade


def test_no_respondents():
    result = ikm_from_sums(0, [0] * 9)
    assert result.ikm is None and result.grade is None and result.as_json()["respondents"] == 0
