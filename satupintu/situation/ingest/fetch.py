"""One attempt at one feed or page source: fetch, parse, log, schedule the next attempt.

`fetch_source` never raises: whatever goes wrong with one source is written to its FetchLog
and `last_error`, and the loop over the other sources goes on. A failing source is asked
less and less often (exponential backoff, at most once a day), and never sooner than its
server's Retry-After.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from satupintu.situation.ingest.errors import FetchError
from satupintu.situation.ingest.feeds import parse_feed
from satupintu.situation.ingest.http import FetchResponse, PoliteFetcher
from satupintu.situation.ingest.pages import extract_page
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import FetchLog, Source, SourceKind

logger = logging.getLogger(__name__)

FETCHED_KINDS = (SourceKind.FEED, SourceKind.PAGE)
MAX_BACKOFF = timedelta(hours=24)
_MAX_DOUBLINGS = 16  # 2**16 intervals is far past the cap already; stops the number growing forever
_BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                 "application/octet-stream")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")

# Columns written on every attempt, so a concurrent edit of the name or URL in the admin survives.
_SCHEDULE_FIELDS = ["etag", "last_modified", "last_fetched_at", "last_success_at", "next_fetch_at",
                    "consecutive_failures", "last_error", "last_status"]


@dataclass
class FetchOutcome:
    log: FetchLog
    items: list[RawItem] = field(default_factory=list)
    retry_after: int | None = None  # seconds the server asked us to wait, if it did


def due_sources(now: datetime | None = None) -> QuerySet[Source]:
    """Active feed and page sources whose next attempt is due, the longest-waiting first."""
    now = now or timezone.now()
    return (Source.objects.filter(active=True, kind__in=FETCHED_KINDS, next_fetch_at__lte=now)
            .order_by("next_fetch_at", "id"))


def backoff(source: Source, failures: int, retry_after: int | None = None) -> timedelta:
    """interval x 2^failures, at most a day; but never sooner than the server asked."""
    interval = timedelta(minutes=max(source.interval_minutes, 1))
    delay = min(interval * 2 ** min(failures, _MAX_DOUBLINGS), MAX_BACKOFF)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def _media_type(response: FetchResponse) -> str:
    return response.content_type.split(";")[0].strip().lower()


def _read_items(source: Source, response: FetchResponse) -> list[RawItem]:
    media_type = _media_type(response)
    if source.kind == SourceKind.FEED:
        if media_type.startswith(_BINARY_TYPES):
            raise FetchError("bad_content", status=response.status, detail=f"jenis isi {media_type}")
        return parse_feed(response.body, response.url, response.content_type)
    if media_type not in _HTML_TYPES:
        raise FetchError("bad_content", status=response.status, detail=f"jenis isi {media_type}")
    item = extract_page(response.text, response.url)
    if item is None:
        raise FetchError("no_article", status=response.status)
    return [item]


def _fetch(source: Source, fetcher: PoliteFetcher) -> tuple[FetchResponse, list[RawItem]]:
    if source.kind not in FETCHED_KINDS:
        raise FetchError("unsupported_kind")
    response = fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
    items = [] if response.not_modified else _read_items(source, response)
    return response, items


def fetch_source(source: Source, fetcher: PoliteFetcher) -> FetchOutcome:
    """Fetch one feed or page source and record the attempt. Never raises."""
    started = timezone.now()
    try:
        response, items = _fetch(source, fetcher)
    except FetchError as exc:
        return _failed(source, started, exc)
    except Exception:  # a parser bug on one odd page must not stop the other sources
        logger.exception("Fetching source %s (%s) failed unexpectedly", source.pk, source.url)
        return _failed(source, started, FetchError("unexpected"))
    return _succeeded(source, started, response, items)


def _fits(value: str, column: str) -> str:
    # A validator cut short would never match again: better to send none.
    limit = getattr(Source._meta.get_field(column), "max_length", None) or 0
    return value if len(value) <= limit else ""


def _succeeded(source: Source, started: datetime, response: FetchResponse, items: list[RawItem]) -> FetchOutcome:
    finished = timezone.now()
    if response.not_modified:
        # A 304 may repeat or refresh the validators; when it says nothing, the old ones still hold.
        source.etag = _fits(response.etag, "etag") or source.etag
        source.last_modified = _fits(response.last_modified, "last_modified") or source.last_modified
    else:
        source.etag = _fits(response.etag, "etag")
        source.last_modified = _fits(response.last_modified, "last_modified")
    source.last_status = response.status
    source.last_fetched_at = source.last_success_at = finished
    source.consecutive_failures = 0
    source.last_error = ""
    source.next_fetch_at = finished + timedelta(minutes=max(source.interval_minutes, 1))
    with transaction.atomic():
        log = FetchLog.objects.create(source=source, started_at=started, finished_at=finished, ok=True,
                                      status_code=response.status, not_modified=response.not_modified)
        source.save(update_fields=_SCHEDULE_FIELDS)
    return FetchOutcome(log=log, items=items)


def _failed(source: Source, started: datetime, error: FetchError) -> FetchOutcome:
    finished = timezone.now()
    if error.message_id == "host_busy":
        # Our own politeness queue was full: the source did nothing wrong, so no backoff and no
        # error on the source; it is simply tried again once the host's turn comes.
        source.next_fetch_at = finished + timedelta(seconds=error.retry_after or 60)
        fields = ["next_fetch_at"]
    else:
        source.consecutive_failures += 1
        source.last_error = error.message
        source.last_status = error.status
        source.last_fetched_at = finished
        source.next_fetch_at = finished + backoff(source, source.consecutive_failures, error.retry_after)
        fields = _SCHEDULE_FIELDS
    with transaction.atomic():
        log = FetchLog.objects.create(source=source, started_at=started, finished_at=finished, ok=False,
                                      status_code=error.status, error=error.message)
        source.save(update_fields=fields)
    return FetchOutcome(log=log, items=[], retry_after=error.retry_after)
