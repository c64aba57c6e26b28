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
  story is a repeat when its group's origin is another office's; otherwise (its own, or nobody
  else's earlier) it is original.
- Which story is earliest: a feed's date is whatever the office's CMS says, so a copy could be
  backdated to take the author's originality. A date is believed unless the room has proof
  against it: the room read that feed after the claimed date (a successful fetch before the one
  that brought the story, or another story of the same feed stored in between) and the story
  was not there. Then the story counts from that read, not from its claimed date. Only a story
  that claims an earlier date than the group's first-seen story of another office is checked
  (the rest keep their date). So a story published first but fetched later (a feed read less
  often, or registered later) stays the origin, and a backdated copy does not.
- One story per group per office: the office's own near-duplicates (the same story posted
  twice, or carried by two feeds of its site) count once, in the month of its first one.
- Coverage: items from sources that are no office's (outside media, imported posts) that name
  the ministry ("Kemenag", "Kementerian Agama") and the office's region: for a Kankemenag its
  regency; for a Kanwil its province, when the item names no regency or names the Kanwil. Tone
  is the pipeline's sentiment.
- WhatsApp: conversations of the office first answered in the month, with the office-time
  seconds the inbox recorded (whatsapp/conversations.py); the target is whatsapp.selectors'.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from satupintu.humas.models import Channel, MonthlyFigure, Platform, SocialPost
from satupintu.humas.priorities import programmes_of
from satupintu.organization.models import Level, Office
from satupintu.organization.working_calendar import CalendarCache
from satupintu.situation.models import FetchLog, Item, Source, SourceKind

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


@dataclass(frozen=True)
class StoryKinds:
    repeats: set[int]  # repeat another office's earlier story
    again: set[int]  # the office's own story once more (a re-post, or a second feed of its site)


def _claimed_time(row: dict[str, Any]) -> datetime:
    """When the story was published, as far as the room can tell (module docstring): its own date,
    unless the room read its feed after that date and did not find it there; then the last such
    read. Asked only for a story that claims an earlier date than a story the room saw first."""
    claimed: datetime = row["published_at"]
    seen: datetime = row["fetched_at"]
    other_item = (Item.objects.filter(source_id=row["source_id"], fetched_at__gt=claimed, fetched_at__lt=seen)
                  .order_by("-fetched_at").values_list("fetched_at", flat=True).first())
    # The read that brought the story finished just before it was stored: skip it, the one before counts.
    reads = list(FetchLog.objects.filter(source_id=row["source_id"], ok=True, finished_at__lt=seen)
                 .order_by("-finished_at").values_list("started_at", flat=True)[:2])
    read = reads[1] if len(reads) == 2 and reads[1] > claimed else None
    return max([claimed, *(t for t in (other_item, read) if t is not None)])


def _origins(rows: dict[int, dict[str, Any]], groups: _Groups, sources: dict[int, int]) -> dict[int, dict[str, Any]]:
    """Each group's origin: its earliest story by claimed time, first seen on a tie (docstring)."""
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows.values():
        if row["source_id"] in sources and row["published_at"] != row["fetched_at"]:  # outside or undated: never
            members[groups.find(row["pk"])].append(row)
    origin: dict[int, dict[str, Any]] = {}
    for root, group in members.items():
        first_seen = min(group, key=lambda r: (r["fetched_at"], r["pk"]))
        for row in group:
            suspicious = (sources[row["source_id"]] != sources[first_seen["source_id"]]
                          and row["published_at"] < first_seen["published_at"])
            row["claimed"] = _claimed_time(row) if suspicious else row["published_at"]
        origin[root] = min(group, key=lambda r: (r["claimed"], r["fetched_at"], r["pk"]))
    return origin


def story_kinds(story_ids: list[int], sources: dict[int, int]) -> StoryKinds:
    """Which of ``story_ids`` repeat another office's earlier story, and which are an office's own
    story again (module docstring)."""
    if not story_ids:
        return StoryKinds(set(), set())
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
    origin = _origins(rows, groups, sources)
    # The office's first story of each group (same order as the origin): the others are "again".
    first_own: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows.values():
        if row["source_id"] not in sources or "claimed" not in row:
            continue
        key = (groups.find(row["pk"]), sources[row["source_id"]])
        best = first_own.get(key)
        if best is None or (row["claimed"], row["fetched_at"], row["pk"]) < (
                best["claimed"], best["fetched_at"], best["pk"]):
            first_own[key] = row
    kinds = StoryKinds(set(), set())
    for pk in story_ids:
        row = rows[pk]
        root, office_id = groups.find(pk), sources.get(row["source_id"])
        first = origin.get(root)
        if first is not None and sources.get(first["source_id"]) != office_id:
            kinds.repeats.add(pk)
        mine = first_own.get((root, office_id)) if office_id is not None else None
        if mine is not None and mine["pk"] != pk:
            kinds.again.add(pk)
    return kinds


def repeat_story_ids(story_ids: list[int], sources: dict[int, int]) -> set[int]:
    """The stories (of ``story_ids``) that repeat another office's earlier story (module docstring)."""
    return story_kinds(story_ids, sources).repeats


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
        kinds = story_kinds([s[0] for s in stories], sources)
        for pk, source_id, mask in stories:
            if pk in kinds.again:
                continue  # the office's own story once more: it counted the first time
            fig = figures[sources[source_id]]
            fig.stories += 1
            if pk in kinds.repeats:
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


def channel_months(channel: Channel) -> set[date]:
    """The office-local months the channel's stories (dated ones) and imported posts fall in: the
    months to rebuild when the channel stops counting (removed, or found to be another office's)."""
    zone = ZoneInfo(channel.office.timezone)
    instants: list[datetime] = []
    if channel.source_id:
        instants += dated(Item.objects.filter(source_id=channel.source_id)).annotate(
            m=TruncMonth("published_at", tzinfo=zone)).values_list("m", flat=True).distinct()
    instants += SocialPost.objects.filter(channel=channel).annotate(
        m=TruncMonth("published_at", tzinfo=zone)).values_list("m", flat=True).distinct()
    return {first_of(timezone.localtime(m, zone).date()) for m in instants if m is not None}


def local_months(instants: list[datetime], tz: str) -> set[date]:
    """The months (first days) of these instants in the office's timezone (not the server's)."""
    zone = ZoneInfo(tz)
    return {first_of(timezone.localtime(t, zone).date()) for t in instants}


def refresh_months(months: set[date], *, office_ids: list[int] | None = None) -> int:
    """refresh_month for each month, oldest first."""
    return sum(refresh_month(m, office_ids=office_ids) for m in sorted(months))


def refresh_month(first_day: date, *, office_ids: list[int] | None = None, _cascade: bool = True) -> int:
    """Rebuild the month's figures (of these offices, or all); returns the rows written.
    Feeds are checked for their owner first, so a feed found to be another office's stops
    counting in the same refresh; when a channel's mark changes, every other month its stories
    and posts fall in is rebuilt for its office too (not only this one and the last)."""
    from satupintu.humas.channels import channel_check_owner

    first_day = first_of(first_day)
    offices = list(Office.objects.exclude(merged_into__isnull=False).filter(
        **({"pk__in": office_ids} if office_ids is not None else {})))
    channels = Channel.objects.filter(platform=Platform.WEBSITE, source__isnull=False).select_related("office")
    if office_ids is not None:
        channels = channels.filter(office_id__in=office_ids)
    changed: list[Channel] = []
    for channel in channels:
        before = channel.foreign_office_id
        if channel_check_owner(channel).foreign_office_id != before:
            changed.append(channel)
    sources = office_feed_sources()
    figures = {o.pk: _blank(o.pk, first_day) for o in offices}
    _stories(figures, offices, first_day, sources)
    _coverage(figures, [o for o in offices if o.level != Level.PUSAT], first_day, sources)
    _social(figures, offices, first_day)
    _whatsapp(figures, offices, first_day)
    with transaction.atomic():
        MonthlyFigure.objects.filter(month=first_day, office_id__in=list(figures)).delete()
        MonthlyFigure.objects.bulk_create(figures.values(), batch_size=500)
    if _cascade:
        for channel in changed:
            for month in sorted(channel_months(channel) - {first_day}):
                refresh_month(month, office_ids=[channel.office_id], _cascade=False)
    return len(figures)


def refresh_recent(today: date | None = None) -> int:
    """This month and the last (late imports and late fetches land in the last one): the beat job."""
    this = first_of(today or timezone.localdate())
    last = first_of(this - timedelta(days=1))
    return refresh_month(last) + refresh_month(this)
