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
        for value, field in ((first, "from"), (last, "to")):
            # Months are counted a few days past the end: year 9999 would overflow (a 500).
            if not 2000 <= value.year <= 2100:
                raise DomainError("invalid_date", "Tanggal harus antara tahun 2000 dan 2100.", field=field)
        if last < first:
            raise DomainError("invalid_period", "Tanggal akhir harus setelah tanggal awal.", field="to")
        return cls(first, last)


def responses_for(
    office: Office, period: Period, *, include_children: bool = False, unit: str = "", service: str = ""
) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.counted.filter(answered_on__gte=period.start, answered_on__lte=period.end)
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
    """For a Kanwil (or Pusat): every office directly below it, including those with no answers.
    A row holds the office with the offices below it: on Pusat's page a Kanwil's row is its
    province (the Kanwil's own page, which the row links to, counts the same answers)."""
    children = list(Office.objects.filter(parent=office).order_by("code"))
    answered = SurveyResponse.counted.filter(answered_on__gte=period.start, answered_on__lte=period.end)
    sums = _Sums()
    for key, qs in (("office__code", answered.filter(office__parent=office)),
                    ("office__parent__code", answered.filter(office__parent__parent=office))):
        for g in qs.values(key).annotate(n=Count("pk"), **{c: Sum(c) for c in ELEMENT_CODES}).order_by():
            sums.add(g[key], None, g["n"], [g[c] for c in ELEMENT_CODES])
    return [Row(c.code, c.name, ikm_from_sums(sums.rows[c.code][1], sums.rows[c.code][2]) if c.code in sums.rows
                else ikm_from_sums(0, [0] * 9)) for c in children]


# --- the dashboard from the monthly tallies -------------------------------------------------

@dataclass
class Dashboard:
    result: IkmResult
    units: list[Row]
    services: list[Row]
    children: list[Row]


def _month_span(period: Period) -> tuple[date, date] | None:
    """The first days of the first and last whole months inside the period (None: no whole month)."""
    from datetime import timedelta

    first = period.start if period.start.day == 1 else (period.start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after_end = period.end + timedelta(days=1)
    last = (after_end.replace(day=1) - timedelta(days=1)).replace(day=1)  # the month ending on or before period.end
    return (first, last) if first <= last else None


def _office_q(office: Office, include_children: bool, prefix: str = ""):  # type: ignore[no-untyped-def]
    from django.db.models import Q

    if include_children and office.level == "pusat":
        return Q()
    if include_children:
        # The ids themselves, not a join on the parent: the (office, answered_on) index answers it.
        ids = [office.pk, *Office.objects.filter(parent=office).values_list("pk", flat=True)]
        return Q(**{f"{prefix}office_id__in": ids})
    return Q(**{f"{prefix}office_id": office.pk})


class _Sums:
    """Respondents and element sums per key, from tallies and live answers alike."""

    def __init__(self) -> None:
        self.rows: dict[str | None, list] = {}  # type: ignore[type-arg]

    def add(self, key: str | None, label: str | None, n: int, sums: list[int]) -> None:
        row = self.rows.setdefault(key, [label, 0, [0] * 9])
        row[1] += n
        row[2] = [a + (b or 0) for a, b in zip(row[2], sums, strict=True)]


def dashboard(office: Office, period: Period, *, include_children: bool = False, unit: str = "",
              service: str = "") -> Dashboard:
    """What the SKM page shows (index, profile, per unit, per service, offices below), the same
    figures as ikm_for / ikm_breakdown / children_breakdown on the answers, read from the
    monthly tallies for whole months plus, live, the days at the edges of the period and any
    answer newer than the last rebuild. A unit or service filter reads the answers directly
    (a narrower set)."""
    from collections import Counter

    from django.db import connection
    from django.db.models import Q

    from satupintu.feedback.models import SurveyTally
    from satupintu.feedback.tallies import PROFILE_ATTRIBUTES, watermark
    from satupintu.organization.models import Unit
    from satupintu.services.models import Service

    upto = watermark()
    span = _month_span(period)
    if office.level == "kankemenag":
        include_children = False  # nothing below a Kankemenag: the same answers
    children_of = office.level != "kankemenag"
    if unit or service or upto is None or span is None:
        responses = responses_for(office, period, include_children=include_children, unit=unit, service=service)
        return Dashboard(ikm_for(responses), ikm_breakdown(responses, "unit"), ikm_breakdown(responses, "service"),
                         children_breakdown(office, period) if children_of else [])
    first, last = span
    from datetime import timedelta

    last_day = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    # Live: the edge days, and answers in the whole months that the tallies do not hold yet.
    live_q = (Q(answered_on__gte=period.start, answered_on__lt=first)
              | Q(answered_on__gt=last_day, answered_on__lte=period.end)
              | Q(answered_on__gte=first, answered_on__lte=last_day, pk__gt=upto))
    live = SurveyResponse.counted.filter(live_q)
    tallies = SurveyTally.objects.filter(month__gte=first, month__lte=last)
    sum_t = {f"s{i}": Sum(f"s{i}") for i in range(1, 10)}
    sum_l = {f"s{i}": Sum(f"u{i}") for i in range(1, 10)}

    def grouped(fields_t: tuple[str, ...], fields_l: tuple[str, ...], scope_t, scope_l) -> _Sums:  # type: ignore[no-untyped-def]
        out = _Sums()
        for qs, fields, n, sums in ((tallies.filter(scope_t), fields_t, Sum("respondents"), sum_t),
                                    (live.filter(scope_l), fields_l, Count("pk"), sum_l)):
            found = [qs.aggregate(_n=n, **sums)] if not fields else qs.values(*fields).annotate(_n=n, **sums).order_by()
            for r in found:
                key = r[fields[0]] if fields else None
                out.add(key, r[fields[1]] if len(fields) > 1 else None, r["_n"] or 0, [r[f"s{i}"] for i in range(1, 10)])
        return out

    mine = Q(office_id=office.pk, with_children=include_children)
    scope_l = _office_q(office, include_children)
    total = grouped((), (), mine & Q(by="all"), scope_l).rows.get(None, [None, 0, [0] * 9])
    result = ikm_from_sums(total[1], total[2])
    if result.respondents:
        for attr in PROFILE_ATTRIBUTES:
            counts: Counter[str] = Counter()
            for value, n in (tallies.filter(mine, by=attr).values_list("value").annotate(n=Sum("respondents"))
                             .order_by()):
                counts[value or "-"] += n
            for value, n in live.filter(scope_l).values_list(attr).annotate(n=Count("pk")).order_by():
                counts[value or "-"] += n
            result.profile[attr] = Counter({k: v for k, v in counts.items() if v})

    nulls_first = connection.vendor == "sqlite"  # where the database puts a missing name in ORDER BY name

    def rows(sums: _Sums, names: list[str]) -> list[Row]:
        rank = {name: i for i, name in enumerate(names)}
        ordered = sorted(sums.rows.items(), key=lambda kv: (
            (-1 if nulls_first else len(rank)) if kv[1][0] is None else rank.get(kv[1][0], len(rank)),))
        return [Row(key or "-", label or "(tanpa keterangan)", ikm_from_sums(n, s)) for key, (label, n, s) in ordered]

    units = rows(grouped(("unit__code", "unit__name"), ("unit__code", "unit__name"), mine & Q(by="unit"), scope_l),
                 list(Unit.objects.order_by("name").values_list("name", flat=True)))
    services = rows(grouped(("service__slug", "service__name"), ("service__slug", "service__name"),
                            mine & Q(by="service"), scope_l),
                    list(Service.objects.order_by("name").values_list("name", flat=True)))
    children: list[Row] = []
    if children_of:
        # A row is the office below with the offices under it (children_breakdown): a Kanwil's row on
        # Pusat's page reads the Kanwil's with-children tallies, and its Kankemenags' newest answers.
        deep = office.level == "pusat"
        kids = list(Office.objects.filter(parent=office).values_list("pk", flat=True))
        below = grouped(("office__code", "office__name"), ("office__code", "office__name"),
                        Q(office__parent_id=office.pk, with_children=deep, by="all"), Q(office_id__in=kids))
        if deep:
            # The newest answers grouped by their office, then added to its Kanwil here: filtered by the
            # offices (or their parent) in SQL, the planner walked every Kankemenag's answers through the
            # office index and only then kept the few days wanted (340 ms at national scale; this, 20).
            kanwil_of = dict(Office.objects.filter(parent_id__in=kids).values_list("pk", "parent__code"))
            for r in live.values("office_id").annotate(_n=Count("pk"), **sum_l).order_by():
                if (code := kanwil_of.get(r["office_id"])) is not None:
                    below.add(code, None, r["_n"] or 0, [r[f"s{i}"] for i in range(1, 10)])
        found = {key: ikm_from_sums(n, s) for key, (_label, n, s) in below.rows.items()}
        children = [Row(c.code, c.name, found.get(c.code) or ikm_from_sums(0, [0] * 9))
                    for c in Office.objects.filter(parent=office).order_by("code")]
    return Dashboard(result, units, services, children)
