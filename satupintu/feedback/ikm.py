"""The satisfaction index (IKM) of PermenPANRB 14/2017, computed exactly.

Per element: the average answer (NRR). The weighted average gives every element the weight
1/9; the index is that times 25 (so 25-100). We compute with fractions and round only the
final index, half up, to two decimals; the grade is read from the rounded index, so 88.30
is B and 88.31 is A, exactly as the published intervals say. (Some spreadsheets use the
weight 0.111, which makes a perfect score 99.90; we use the exact 1/9.)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, QuerySet, Sum

from satupintu.feedback.elements import ELEMENT_CODES, ELEMENTS, GRADES

TWO_PLACES = Decimal("0.01")


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def grade_for(ikm: Decimal) -> tuple[str, str]:
    for lowest, grade, label in GRADES:
        if ikm >= lowest:
            return grade, label
    return "D", "Tidak Baik"


@dataclass(frozen=True)
class ElementScore:
    code: str
    name: str
    average: Decimal  # NRR, two decimals
    ikm: Decimal  # the element alone on the 25-100 scale


@dataclass
class IkmResult:
    respondents: int
    elements: list[ElementScore]
    ikm: Decimal | None
    grade: str | None
    grade_label: str | None
    profile: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def weakest(self) -> list[ElementScore]:
        """The elements to fix first: the lowest three, lowest first."""
        return sorted(self.elements, key=lambda e: (e.average, e.code))[:3]

    def as_json(self) -> dict[str, object]:
        return {
            "ikm": float(self.ikm) if self.ikm is not None else None,
            "grade": self.grade,
            "respondents": self.respondents,
            "elements": [float(e.average) for e in self.elements],
        }


def ikm_from_sums(respondents: int, sums: list[int]) -> IkmResult:
    """From the number of respondents and the sum of answers per element (u1..u9)."""
    if respondents == 0:
        return IkmResult(0, [], None, None, None)
    nrr = [Fraction(s, respondents) for s in sums]
    weighted = sum(nrr, Fraction(0)) / len(ELEMENTS)
    ikm = _round(weighted * 25)
    grade, label = grade_for(ikm)
    elements = [ElementScore(e.code, e.name, _round(v), _round(v * 25)) for e, v in zip(ELEMENTS, nrr, strict=True)]
    return IkmResult(respondents, elements, ikm, grade, label)


def ikm_for(responses: QuerySet) -> IkmResult:  # type: ignore[type-arg]
    """The index of a set of survey answers, summed in the database."""
    totals = responses.aggregate(n=Count("pk"), **{code: Sum(code) for code in ELEMENT_CODES})
    result = ikm_from_sums(totals["n"], [totals[code] or 0 for code in ELEMENT_CODES])
    if result.respondents:
        for attr in ("sex", "age_group", "education", "occupation"):
            counts = responses.values_list(attr).annotate(n=Count("pk")).order_by()
            result.profile[attr] = Counter({(value or "-"): n for value, n in counts})
    return result
