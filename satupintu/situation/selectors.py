"""What the room shows, as queries: figures per region, trends per topic, top issues, latest
items, open alerts and internal signals, for one set of filters (time, region, topic, domain,
tone, source). Views and the brief PDF both read from here.

Queries group in the database and touch only indexed columns plus the topic bit mask, so they
stay fast at national scale (see bench/situation_room_queries.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_noop

from satupintu.core.numbers import typed_int
from satupintu.organization import reference
from satupintu.situation.models import (
    TOPIC_ORDER,
    Alert,
    AlertStatus,
    Issue,
    IssueStatus,
    Item,
    Source,
    shown_source_name,
    topic_bit,
)

PERIODS = {"1": 1, "7": 7, "30": 30, "90": 90}
DOMAINS = ("keagamaan", "sosial", "politik")
TONES = ("positive", "neutral", "negative")
MEASURES = ("negatif", "zona")
_PROVINCE = re.compile(r"^\d{2}$")
_REGENCY = re.compile(r"^\d{2}\.\d{2}$")


@dataclass
class RoomFilter:
    days: int = 7
    province: str = ""
    regency: str = ""
    topic: str = ""
    domain: str = ""
    tone: str = ""
    source: int | None = None
    measure: str = ""  # the map's measure ("negatif", "zona"; blank: items), kept when drilling down
    until: datetime = field(default_factory=timezone.now)
    problems: list[str] = field(default_factory=list)  # in Indonesian, marked: the page translates them

    @property
    def since(self) -> datetime:
        return self.until - timedelta(days=self.days)

    @property
    def region(self) -> str:
        return self.regency or self.province

    def region_label(self) -> str:
        return reference.region_label(self.region)

    def querystring(self, **changes: object) -> str:
        values = {"hari": str(self.days), "provinsi": self.province, "kabkota": self.regency, "topik": self.topic,
                  "domain": self.domain, "nada": self.tone, "sumber": str(self.source or ""), "ukuran": self.measure}
        values.update({k: str(v) for k, v in changes.items()})
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in values.items() if v})


def parse_filter(params, until: datetime | None = None) -> RoomFilter:  # type: ignore[no-untyped-def]
    """Filters from a query string; a bad value is dropped with a message, never an error page."""
    f = RoomFilter(until=until or timezone.now())
    days = params.get("hari", "7")
    if days in PERIODS:
        f.days = PERIODS[days]
    else:
        f.problems.append(gettext_noop("Periode tidak dikenal; memakai 7 hari."))
    names = reference.region_names()
    province, regency = params.get("provinsi", "").strip(), params.get("kabkota", "").strip()
    if regency:
        if _REGENCY.match(regency) and regency in names:
            f.regency, f.province = regency, regency[:2]
        else:
            f.problems.append(gettext_noop("Kabupaten/kota tidak dikenal."))
    if province and not f.province:
        if _PROVINCE.match(province) and province in names:
            f.province = province
        else:
            f.problems.append(gettext_noop("Provinsi tidak dikenal."))
    topic = params.get("topik", "")
    if topic:
        if topic in TOPIC_ORDER:
            f.topic = topic
        else:
            f.problems.append(gettext_noop("Topik tidak dikenal."))
    if params.get("domain", "") in DOMAINS:
        f.domain = params["domain"]
    if params.get("nada", "") in TONES:
        f.tone = params["nada"]
    if params.get("ukuran", "") in MEASURES:
        f.measure = params["ukuran"]
    source = params.get("sumber", "")
    if source:
        if (pk := typed_int(source)) is not None and Source.objects.filter(pk=pk).exists():
            f.source = pk
        else:
            f.problems.append(gettext_noop("Sumber tidak dikenal."))
    return f


def items(f: RoomFilter, *, with_time: bool = True, original_only: bool = True) -> QuerySet[Item]:
    qs = Item.objects.all()
    if with_time:
        qs = qs.filter(published_at__gt=f.since, published_at__lte=f.until)
    if f.regency:
        qs = qs.filter(regency_code=f.regency)
    elif f.province:
        qs = qs.filter(province_code=f.province)
    if f.topic:
        bit = topic_bit(f.topic)
        qs = qs.annotate(_t=F("topics_mask").bitand(bit)).filter(_t=bit)
    if f.domain:
        qs = qs.filter(domain=f.domain)
    if f.tone:
        qs = qs.filter(sentiment=f.tone)
    if f.source:
        qs = qs.filter(source_id=f.source)
    if original_only:
        # A story copied by ten sites is one story: counts and lists leave the copies out.
        qs = qs.filter(duplicate_of__isnull=True)
    return qs


@dataclass
class Totals:
    items: int
    negative: int
    positive: int
    previous: int

    @property
    def negative_share(self) -> float:
        return self.negative / self.items if self.items else 0.0

    @property
    def change(self) -> float | None:
        return (self.items - self.previous) / self.previous if self.previous else None


def totals(f: RoomFilter) -> Totals:
    now = items(f).aggregate(n=Count("id"), neg=Count("id", filter=Q(sentiment="negative")),
                             pos=Count("id", filter=Q(sentiment="positive")))
    before = RoomFilter(**{**f.__dict__, "until": f.since, "problems": []})
    previous = items(before).count()
    return Totals(now["n"], now["neg"], now["pos"], previous)


def map_counts(f: RoomFilter) -> dict[str, tuple[int, int]]:
    """Region code -> (items, negative items): provinces nationally, regencies within a province."""
    by = "regency_code" if f.province else "province_code"
    scope = RoomFilter(**{**f.__dict__, "regency": "", "problems": []})
    rows = (items(scope).exclude(**{by: ""}).values(by)
            .annotate(n=Count("id"), neg=Count("id", filter=Q(sentiment="negative"))).order_by())
    return {r[by]: (r["n"], r["neg"]) for r in rows}


def topic_trend(f: RoomFilter, top: int = 6) -> tuple[list[date], dict[str, list[int]]]:
    """Items per day for the most frequent topics in the period."""
    tz = timezone.get_current_timezone()
    rows = (items(f).exclude(topics_mask=0).annotate(day=TruncDate("published_at", tzinfo=tz))
            .values("day", "topics_mask").annotate(n=Count("id")).order_by())
    # Every calendar day the period touches, the first (partial) one included.
    first, last = timezone.localtime(f.since, tz).date(), timezone.localtime(f.until, tz).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    index = {d: i for i, d in enumerate(days)}
    series: dict[str, list[int]] = {}
    topics_of: dict[int, list[str]] = {}  # a mask's topics, worked out once per distinct mask
    for row in rows:
        slot = index.get(row["day"])
        if slot is None:
            continue
        mask = row["topics_mask"]
        names = topics_of.get(mask)
        if names is None:
            names = topics_of[mask] = [t for bit, t in enumerate(TOPIC_ORDER) if mask & (1 << bit)]
        for topic in names:
            series.setdefault(topic, [0] * len(days))[slot] += row["n"]
    ranked = sorted(series, key=lambda t: -sum(series[t]))[:top]
    return days, {t: series[t] for t in ranked}


def topic_totals(f: RoomFilter) -> list[tuple[str, int]]:
    rows = items(f).exclude(topics_mask=0).values("topics_mask").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(TOPIC_ORDER, 0)
    for row in rows:
        for bit, topic in enumerate(TOPIC_ORDER):
            if row["topics_mask"] & (1 << bit):
                counts[topic] += row["n"]
    return sorted(((t, n) for t, n in counts.items() if n), key=lambda x: -x[1])


def top_issues(f: RoomFilter, limit: int = 8) -> list[Issue]:
    """Open issues with the most items in the period (within the filters)."""
    # Both counts of the same items (the period's, within the filters): a list that said "5
    # items" next to the issue's all-time negative count read as 8 negative out of 5.
    rows = (items(f).exclude(issue=None).values("issue")
            .annotate(n=Count("id"), negative=Count("id", filter=Q(sentiment="negative")))
            .order_by("-n")[:limit * 2])
    counts = {r["issue"]: (r["n"], r["negative"]) for r in rows}
    issues = Issue.objects.filter(pk__in=counts, status=IssueStatus.OPEN)
    ranked = sorted(issues, key=lambda i: (-counts[i.pk][0], -i.last_seen.timestamp()))[:limit]
    for issue in ranked:
        issue.period_count, issue.period_negative = counts[issue.pk]  # type: ignore[attr-defined]
        # Where and since when: two stories with the same headline a week apart are two issues
        # (issues.WINDOW), and the list tells them apart.
        where = issue.regency_code or issue.province_code
        issue.place = reference.region_name(where) if where else ""  # type: ignore[attr-defined]
    return ranked


def latest_items(f: RoomFilter, limit: int = 15) -> list[Item]:
    return list(items(f).select_related("source").order_by("-published_at", "-id")[:limit])


def open_alerts(f: RoomFilter, limit: int = 10) -> list[Alert]:
    qs = Alert.objects.exclude(status=AlertStatus.RESOLVED).select_related("issue", "assigned_to")
    if f.province:
        qs = qs.filter(province_code=f.province)
    if f.topic:
        qs = qs.filter(topic=f.topic)
    return list(qs.order_by("-created_at")[:limit])


def source_counts(f: RoomFilter, limit: int = 8) -> list[tuple[str, int]]:
    # Grouped by the source id, names looked up after: no join over every item of the period.
    rows = list(items(f).values("source_id").annotate(n=Count("id")).order_by("-n", "source_id")[:limit])
    names = dict(Source.objects.filter(pk__in=[r["source_id"] for r in rows if r["source_id"]]).values_list("pk", "name"))
    return [(shown_source_name(names.get(r["source_id"]) or "-"), r["n"]) for r in rows]


@dataclass
class InternalSignals:
    complaints_open: int
    complaints_period: int
    applications_overdue: int
    applications_open: int
    ikm: float | None
    ikm_respondents: int
    low_ikm_offices: list[tuple[str, str, float]]


def internal_signals(f: RoomFilter) -> InternalSignals:
    """Service quality beside public mood: complaints, late applications and IKM of the region's offices."""
    from satupintu.feedback.elements import ELEMENT_CODES
    from satupintu.feedback.ikm import ikm_from_sums
    from satupintu.feedback.models import Report, ReportStatus, SurveyResponse
    from satupintu.services.models import FINAL_STATUSES, Application, Status

    def in_region(prefix: str) -> Q:
        if f.regency:
            return Q(**{f"{prefix}code": f.regency})
        if f.province:
            return Q(**{f"{prefix}code": f.province}) | Q(**{f"{prefix}code__startswith": f.province + "."})
        return Q()

    now = timezone.now()
    reports = Report.objects.filter(in_region("office__"))
    # The open statuses named, not "not final": the status index then reads the few open rows
    # instead of a year of applications (the same set: every status is one of Status).
    open_statuses = [s for s in Status.values if s not in FINAL_STATUSES]
    apps = Application.objects.filter(in_region("office__"), status__in=open_statuses)
    responses = SurveyResponse.counted.filter(in_region("office__"), answered_on__gt=f.since.date(),
                                              answered_on__lte=f.until.date())
    sums = responses.aggregate(n=Count("pk"), **{c: Sum(c) for c in ELEMENT_CODES})
    result = ikm_from_sums(sums["n"], [sums[c] or 0 for c in ELEMENT_CODES])
    low = []
    # Grouped by the office id (no join to the office table on every answer), names looked up after.
    # n annotated on its own (after the sums) so that the filter on it can be checked by the type checker.
    per_office = list(responses.values("office_id").annotate(**{c: Sum(c) for c in ELEMENT_CODES})
                      .annotate(n=Count("pk")).filter(n__gte=10).order_by())
    from satupintu.organization.models import Office

    names = dict((pk, (code, name)) for pk, code, name in Office.objects.filter(
        pk__in=[r["office_id"] for r in per_office]).values_list("pk", "code", "name"))
    for row in per_office:
        # Exact index (fractions) only where it may be below B: 25 * sum / (9 n) is the index before
        # rounding; well above the bound it cannot round below it (most offices, skipped cheaply).
        if 25 * sum(row[c] or 0 for c in ELEMENT_CODES) / (9 * row["n"]) >= 76.63:
            continue
        row["office__code"], row["office__name"] = names[row["office_id"]]
        office_result = ikm_from_sums(row["n"], [row[c] or 0 for c in ELEMENT_CODES])
        if office_result.ikm is not None and office_result.ikm < 76.61:  # below grade B ("Baik")
            low.append((row["office__code"], row["office__name"], float(office_result.ikm)))
    return InternalSignals(
        complaints_open=reports.filter(status__in=[v for v in ReportStatus.values
                                                   if v not in (ReportStatus.CLOSED, ReportStatus.REJECTED)]).count(),
        complaints_period=reports.filter(submitted_at__gt=f.since, submitted_at__lte=f.until).count(),
        applications_overdue=apps.filter(due_at__lt=now).count(),
        applications_open=apps.count(),
        ikm=float(result.ikm) if result.ikm is not None else None,
        ikm_respondents=result.respondents,
        low_ikm_offices=sorted(low, key=lambda x: x[2])[:5],
    )
