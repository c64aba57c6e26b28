"""The monthly pre-aggregate (MonthlyFigure): per office and month, stories, originality,
priority programmes, outside coverage and its tone, social posts, WhatsApp first responses.

Rules read here, in one place:

- A story is an Item of a feed source attributed to the office (``Source.office``), unless the
  office's channel for it is marked as another office's feed (channels.py). A month is the
  office's local month (WIB/WITA/WIT).
- Undated stories: when a feed entry has no date and its text names none, the fetcher stores
  the moment it fetched it as ``published_at`` (situation/store.py: ``published_at = ... or
  now``, ``fetched_at = now``). Such an item has ``published_at == fetched_at`` exactly; it is
  counted in no month and listed on the channel page (`undated_stories`), because the fetch
  date says nothing about when the office published it.
- Original or repeat: the room's MinHash de-duplication links a near-duplicate to the item it
  met first (``duplicate_of``, within 30 days), whichever feed was fetched first. So links are
  read both ways and across outside media: stories linked by near-duplicate edges form a group;
  the group's earliest dated story from any office's feed (Pusat's included) is its origin. A
  story is a repeat when its group's origin is another office's and was published earlier;
  otherwise (its own, or nobody else's earlier) it is original.
- Coverage: items from sources that are no office's (outside media, imported posts) that name
  the ministry ("Kemenag", "Kementerian Agama") and the office's region: for a Kankemenag its
  regency; for a Kanwil its province, when the item names no regency or names the Kanwil. Tone
  is the pipeline's sentiment.
- WhatsApp: conversations of the office first answered in the month, with the office-time
  seconds the inbox recorded (whatsapp/conversations.py); the target is whatsapp.selectors'.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from satupintu.humas.models import Channel, MonthlyFigure, Platform, SocialPost
from satupintu.humas.priorities import programmes_of
from satupintu.organization.models import Level, Office
from satupintu.organization.working_calendar import CalendarCache
from satupintu.situation.models import Item, Source, SourceKind

MINISTRY_WORDS = ("kemenag", "kementerian agama")
OUTSIDE_KINDS = (SourceKind.FEED, SourceKind.PAGE, SourceKind.SOCIAL)
CHAIN_HOPS = 6  # duplicate_of chains are short (each new item links to the first it met)
LOOKBACK_DAYS = 31  # an origin may be from the month before (the de-duplication window is 30 days)


def first_of(value: date) -> date:
    return value.replace(day=1)


def next_month(first_day: date) -> date:
    return (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_bounds(first_day: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    start = datetime(first_day.year, first_day.month, 1, tzinfo=zone)
    end_day = next_month(first_day)
    return start, datetime(end_day.year, end_day.month, 1, tzinfo=zone)


def dated(qs):  # type: ignore[no-untyped-def]
    """Items whose date is known (see the module docstring: undated ones carry their fetch time)."""
    return qs.exclude(published_at=F("fetched_at"))


def office_feed_sources() -> dict[int, int]:
    """Feed source id -> office id, for every feed that counts as some office's."""
    foreign = Channel.objects.filter(platform=Platform.WEBSITE, foreign_office__isnull=False,
                                     source__isnull=False).values_list("source_id", flat=True)
    return dict(Source.objects.filter(kind=SourceKind.FEED, office__isnull=False).exclude(pk__in=list(foreign))
                .values_list("pk", "office_id"))


def undated_stories(office: Office) -> list[Item]:
    """The office's feed items with no date of their own (counted in no month)."""
    sources = [pk for pk, office_id in office_feed_sources().items() if office_id == office.pk]
    return list(Item.objects.filter(source_id__in=sources, published_at=F("fetched_at")).order_by("-fetched_at")[:50])


# --- original or repeat ------------------------------------------------------------------------

class _Groups:
    """Union-find over item ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def repeat_story_ids(story_ids: list[int], sources: dict[int, int]) -> set[int]:
    """The stories (of ``story_ids``) that repeat another office's earlier story (module docstring)."""
    if not story_ids:
        return set()
    rows: dict[int, dict[str, Any]] = {}

    def load(ids: set[int] | list[int]) -> None:
        want = [i for i in ids if i not in rows]
        for start in range(0, len(want), 900):  # SQLite's parameter limit
            for r in Item.objects.filter(pk__in=want[start:start + 900]).values(
                    "pk", "source_id", "published_at", "fetched_at", "duplicate_of_id"):
                rows[r["pk"]] = dict(r)

    load(story_ids)
    frontier = {r["duplicate_of_id"] for r in rows.values() if r["duplicate_of_id"]}
    for _ in range(CHAIN_HOPS):  # up the chains, through outside media too
        frontier -= rows.keys()
        if not frontier:
            break
        load(frontier)
        frontier = {rows[i]["duplicate_of_id"] for i in frontier if i in rows and rows[i]["duplicate_of_id"]}
    # down: office stories that point at anything in the groups (they may be the earlier ones)
    known = list(rows)
    for start in range(0, len(known), 900):
        for r in Item.objects.filter(duplicate_of_id__in=known[start:start + 900], source_id__in=list(sources)).values(
                "pk", "source_id", "published_at", "fetched_at", "duplicate_of_id"):
            rows.setdefault(r["pk"], dict(r))
    groups = _Groups()
    row: dict[str, Any]
    for row in rows.values():
        groups.find(row["pk"])
        if row["duplicate_of_id"] and row["duplicate_of_id"] in rows:
            groups.join(row["pk"], row["duplicate_of_id"])
    origin: dict[int, dict[str, Any]] = {}
    for row in rows.values():
        if row["source_id"] not in sources or row["published_at"] == row["fetched_at"]:
            continue  # outside media, or undated: never the origin
        root = groups.find(row["pk"])
        best = origin.get(root)
        if best is None or (row["published_at"], row["pk"]) < (best["published_at"], best["pk"]):
            origin[root] = row
    repeats = set()
    for pk in story_ids:
        row = rows[pk]
        first = origin.get(groups.find(pk))
        if (first is not None and sources.get(first["source_id"]) != sources.get(row["source_id"])
                and first["published_at"] < row["published_at"]):
            repeats.add(pk)
    return repeats


# --- the refresh -------------------------------------------------------------------------------

def _blank(office_id: int, first_day: date) -> MonthlyFigure:
    return MonthlyFigure(office_id=office_id, month=first_day, programmes={})


def _stories(figures: dict[int, MonthlyFigure], offices: list[Office], first_day: date,
             sources: dict[int, int]) -> None:
    by_tz: dict[str, set[int]] = defaultdict(set)
    for o in offices:
        by_tz[o.timezone].add(o.pk)
    for tz, office_ids in by_tz.items():
        start, end = month_bounds(first_day, tz)
        mine = [s for s, o in sources.items() if o in office_ids]
        if not mine:
            continue
        stories = list(dated(Item.objects.filter(source_id__in=mine, published_at__gte=start, published_at__lt=end))
                       .values_list("pk", "source_id", "topics_mask"))
        repeats = repeat_story_ids([s[0] for s in stories], sources)
        for pk, source_id, mask in stories:
            fig = figures[sources[source_id]]
            fig.stories += 1
            if pk in repeats:
                fig.repeats += 1
            else:
                fig.original += 1
            codes = programmes_of(mask)
            if codes:
                fig.priority_stories += 1
            for code in codes:
                fig.programmes[code] = fig.programmes.get(code, 0) + 1


def _coverage(figures: dict[int, MonthlyFigure], offices: list[Office], first_day: date,
              sources: dict[int, int]) -> None:
    start, end = month_bounds(first_day, "Asia/Jakarta")  # outside media: one national month
    ministry = Q()
    for word in MINISTRY_WORDS:
        ministry |= Q(text__icontains=word) | Q(title__icontains=word)
    outside = dated(Item.objects.filter(published_at__gte=start, published_at__lt=end, source__kind__in=OUTSIDE_KINDS,
                                        source__office__isnull=True, duplicate_of__isnull=True)
                    .exclude(source_id__in=list(sources)).filter(ministry))
    by_code = {o.code: o.pk for o in offices}
    tone_field = {"positive": "coverage_positive", "neutral": "coverage_neutral", "negative": "coverage_negative"}
    regency_rows = (outside.exclude(regency_code="").values("regency_code", "sentiment")
                    .annotate(n=Count("pk")).order_by())
    for r in regency_rows:
        office_id = by_code.get(r["regency_code"])
        if office_id is not None and r["sentiment"] in tone_field:
            fig = figures[office_id]
            setattr(fig, tone_field[r["sentiment"]], getattr(fig, tone_field[r["sentiment"]]) + r["n"])
    province_rows = (outside.exclude(province_code="").filter(Q(regency_code="") | Q(text__icontains="kanwil"))
                     .values("province_code", "sentiment").annotate(n=Count("pk")).order_by())
    for r in province_rows:
        office_id = by_code.get(r["province_code"])
        if office_id is not None and r["sentiment"] in tone_field:
            fig = figures[office_id]
            setattr(fig, tone_field[r["sentiment"]], getattr(fig, tone_field[r["sentiment"]]) + r["n"])


def _social(figures: dict[int, MonthlyFigure], offices: list[Office], first_day: date) -> None:
    by_tz: dict[str, list[int]] = defaultdict(list)
    for o in offices:
        by_tz[o.timezone].append(o.pk)
    for tz, office_ids in by_tz.items():
        start, end = month_bounds(first_day, tz)
        rows = (SocialPost.objects.filter(office_id__in=office_ids, published_at__gte=start, published_at__lt=end)
                .values("office_id").annotate(n=Count("pk"), views=Sum("views"), reach=Sum("reach"),
                                              engagement=Sum("engagement")).order_by())
        for r in rows:
            fig = figures[r["office_id"]]
            fig.social_posts, fig.social_views = r["n"], r["views"] or 0
            fig.social_reach, fig.social_engagement = r["reach"] or 0, r["engagement"] or 0


def _whatsapp(figures: dict[int, MonthlyFigure], offices: list[Office], first_day: date) -> None:
    from satupintu.whatsapp.models import Conversation
    from satupintu.whatsapp.selectors import TARGET_SECONDS

    calendars = CalendarCache()
    by_tz: dict[str, list[int]] = defaultdict(list)
    for o in offices:
        by_tz[o.timezone].append(o.pk)
    for tz, office_ids in by_tz.items():
        start, end = month_bounds(first_day, tz)
        seconds: dict[int, list[int]] = defaultdict(list)
        for office_id, s in Conversation.objects.filter(
                office_id__in=office_ids, first_response_seconds__isnull=False, first_response_at__gte=start,
                first_response_at__lt=end).values_list("office_id", "first_response_seconds"):
            seconds[office_id].append(int(s or 0))
        for office_id, values in seconds.items():
            fig = figures[office_id]
            fig.wa_answered = len(values)
            fig.wa_within_target = sum(1 for s in values if s <= TARGET_SECONDS)
            fig.wa_median_seconds = int(median(values))
        # Handed over in the month, never answered, and past the target by the month's end (or now,
        # or when it was closed): a miss. Answered later, it moves to the month of its answer.
        now = timezone.now()
        for conv in Conversation.objects.filter(office_id__in=office_ids, first_response_at__isnull=True,
                                                waiting_since__gte=start, waiting_since__lt=end).select_related("office"):
            assert conv.waiting_since is not None and conv.office_id is not None
            until = min(conv.closed_at or now, end, now)
            if until > conv.waiting_since and calendars.for_office_of(conv).working_seconds_between(
                    conv.waiting_since, until) > TARGET_SECONDS:
                figures[conv.office_id].wa_unanswered += 1


def refresh_month(first_day: date, *, office_ids: list[int] | None = None) -> int:
    """Rebuild the month's figures (of these offices, or all); returns the rows written.
    Feeds are checked for their owner first, so a feed found to be another office's stops
    counting in the same refresh."""
    from satupintu.humas.channels import channel_check_owner

    first_day = first_of(first_day)
    offices = list(Office.objects.exclude(merged_into__isnull=False).filter(
        **({"pk__in": office_ids} if office_ids is not None else {})))
    channels = Channel.objects.filter(platform=Platform.WEBSITE, source__isnull=False).select_related("office")
    if office_ids is not None:
        channels = channels.filter(office_id__in=office_ids)
    for channel in channels:
        channel_check_owner(channel)
    sources = office_feed_sources()
    figures = {o.pk: _blank(o.pk, first_day) for o in offices}
    _stories(figures, offices, first_day, sources)
    _coverage(figures, [o for o in offices if o.level != Level.PUSAT], first_day, sources)
    _social(figures, offices, first_day)
    _whatsapp(figures, offices, first_day)
    with transaction.atomic():
        MonthlyFigure.objects.filter(month=first_day, office_id__in=list(figures)).delete()
        MonthlyFigure.objects.bulk_create(figures.values(), batch_size=500)
    return len(figures)


def refresh_recent(today: date | None = None) -> int:
    """This month and the last (late imports and late fetches land in the last one): the beat job."""
    from django.utils import timezone

    this = first_of(today or timezone.localdate())
    last = first_of(this - timedelta(days=1))
    return refresh_month(last) + refresh_month(this)
