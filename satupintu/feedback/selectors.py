"""Reading survey results: the index of an office (or a Kanwil with everything below it),
per unit and service, per period, and the drill-down to the offices below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet, Sum

from satupintu.core.errors import DomainError
from satupintu.feedback.elements import ELEMENT_CODES
from satupintu.feedback.ikm import IkmResult, ikm_for, ikm_from_sums
from satupintu.feedback.models import SurveyResponse
from satupintu.organization.models import Office


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def parse(cls, start: str | None, end: str | None, *, today: date) -> "Period":
        try:
            first = date.fromisoformat(start) if start else date(today.year, 1, 1)
            last = date.fromisoformat(end) if end else today
        except ValueError:
            raise DomainError("invalid_date", "Tanggal harus berformat TTTT-BB-HH.", field="from") from None
        if last < first:
            raise DomainError("invalid_period", "Tanggal akhir harus setelah tanggal awal.", field="to")
        return cls(first, last)


def responses_for(
    office: Office, period: Period, *, include_children: bool = False, unit: str = "", service: str = ""
) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.filter(answered_on__gte=period.start, answered_on__lte=period.end)
    if include_children and office.level == "pusat":
        pass  # the whole country
    elif include_children:
        qs = qs.filter(office__in=Office.objects.filter(pk=office.pk) | Office.objects.filter(parent=office))
    else:
        qs = qs.filter(office=office)
    if unit:
        qs = qs.filter(unit__code=unit)
    if service:
        qs = qs.filter(service__slug=service)
    return qs


def ikm_of_office(office: Office, period: Period, **filters: object) -> IkmResult:
    return ikm_for(responses_for(office, period, **filters))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    result: IkmResult


def ikm_breakdown(responses: QuerySet[SurveyResponse], by: str) -> list[Row]:
    """One index per office / unit / service, from a single grouped query."""
    field = {"office": ("office__code", "office__name"), "unit": ("unit__code", "unit__name"),
             "service": ("service__slug", "service__name")}[by]
    grouped = (
        responses.values(*field).annotate(n=Count("pk"), **{c: Sum(c) for c in ELEMENT_CODES}).order_by(field[1])
    )
    return [
        Row(g[field[0]] or "-", g[field[1]] or "(tanpa keterangan)",
            ikm_from_sums(g["n"], [g[c] for c in ELEMENT_CODES]))
        for g in grouped
    ]


def children_breakdown(office: Office, period: Period) -> list[Row]:
    """For a Kanwil (or Pusat): every office directly below it, including those with no answers."""
    children = list(Office.objects.filter(parent=office).order_by("code"))
    below = SurveyResponse.objects.filter(office__parent=office, answered_on__gte=period.start,
                                          answered_on__lte=period.end)
    rows = {r.key: r for r in ikm_breakdown(below, "office")}
    return [rows.get(c.code) or Row(c.code, c.name, ikm_from_sums(0, [0] * 9)) for c in children]
