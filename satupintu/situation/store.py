"""Items into the database: analyse what is new, store it, put it into an issue.

Used by feed/page fetching, social-media imports and the internal (complaints and
aspirations) sync, so every way in gets the same understanding and the same de-duplication.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from satupintu.core.privacy import mask_free_text
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import Item, Source, topics_mask

if TYPE_CHECKING:
    from satupintu.situation.analysis import Analysis, Analyzer

# The analysis (scikit-learn, SciPy, datasketch: about 1.2 s to import) is imported where it is
# used: the pages that only link here (field reports, the room) would otherwise load it into
# every web process's first request and every `satupintu` command, migrations and checks included.

DUPLICATE_WINDOW_DAYS = 30
_ANALYZER_TTL = 6 * 3600  # rebuild now and then so signatures older than the window drop out


def item_key(source_id: int | None, external_id: str) -> str:
    """The id an item has inside the duplicate finder (and in ``duplicate_of`` of `analyze`)."""
    return external_id if source_id is None else f"{source_id}:{external_id}"


def load_recent_signatures(analyzer: Analyzer, days: int = DUPLICATE_WINDOW_DAYS, after_pk: int = 0) -> int:
    """Put stored items of the last ``days`` into the analyzer's duplicate finder."""
    from satupintu.situation.nlp.dedupe import from_signature

    since = timezone.now() - timedelta(days=days)
    n = 0
    rows = (Item.objects.filter(published_at__gte=since, minhash__isnull=False, pk__gt=after_pk)
            .values_list("pk", "source_id", "external_id", "minhash").order_by("pk"))
    for pk, source_id, external_id, sig in rows.iterator(chunk_size=2000):
        # minhash__isnull=False above: sig is the stored bytes (a memoryview on PostgreSQL).
        analyzer.remember(item_key(source_id, external_id), from_signature(bytes(sig)))  # type: ignore[arg-type]
        n += 1
        analyzer.last_pk = pk  # type: ignore[attr-defined]
    return n


class _SharedAnalyzer:
    """One analyzer per process for ingestion, topped up with items stored since (by any worker)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._analyzer: Analyzer | None = None
        self._built = 0.0

    def get(self) -> Analyzer:
        with self._lock:
            if self._analyzer is None or time.monotonic() - self._built > _ANALYZER_TTL:
                from satupintu.situation.analysis import Analyzer

                self._analyzer = Analyzer()
                self._analyzer.last_pk = 0  # type: ignore[attr-defined]
                self._built = time.monotonic()
            load_recent_signatures(self._analyzer, after_pk=self._analyzer.last_pk)  # type: ignore[attr-defined]
            return self._analyzer

    def reset(self) -> None:
        with self._lock:
            self._analyzer = None


shared_analyzer = _SharedAnalyzer()


def mask_personal(text: str) -> str:
    """NIK and phone numbers never reach the Situation Room (complaints, posts and exports may
    contain them, written with spaces, dots or dashes)."""
    return mask_free_text(text)


def _masked(raw: RawItem) -> RawItem:
    return replace(raw, text=mask_personal(raw.text), title=mask_personal(raw.title), author=mask_personal(raw.author))


def _item_from(source: Source, raw: RawItem, analysis: Analysis, now) -> Item:  # type: ignore[no-untyped-def]
    return Item(
        source=source, external_id=raw.external_id[:300], url=raw.url[:800], title=raw.title[:500], text=raw.text,
        author=raw.author[:200], published_at=analysis.published_at or now, fetched_at=now,
        language=analysis.language or "", province_code=analysis.province or "", regency_code=analysis.regency or "",
        provinces=analysis.provinces, regencies=analysis.regencies, topics=analysis.topics,
        topics_mask=topics_mask(analysis.topics), domain=analysis.domain, sentiment=analysis.sentiment,
        sentiment_score=analysis.sentiment_score, minhash=analysis.minhash_signature, entities=analysis.entities,
        dates=analysis.dates, meeting=analysis.meeting,
    )


def save_raw_items(source: Source, raws: list[RawItem], *, region_code: str = "",
                   region_known: bool = False) -> list[Item]:
    """Analyse and store the items not stored before; returns the new Item rows (with issues).

    ``region_code``: where an item is from when its text names no place (an office's
    complaints are about that office's region). ``region_known``: the place is a fact, not a
    guess (a field report's regency, picked or from GPS): it wins over places the text names."""
    from satupintu.situation.analysis import Record
    from satupintu.situation.issues import assign_issue

    seen = set(Item.objects.filter(source=source, external_id__in=[r.external_id for r in raws])
               .values_list("external_id", flat=True))
    fresh: dict[str, RawItem] = {}
    for raw in raws:
        if raw.external_id not in seen and raw.external_id not in fresh and raw.text.strip():
            fresh[raw.external_id] = _masked(raw)  # every way in passes here, so every way in is masked
    if not fresh:
        return []
    now = timezone.now()
    records = [Record(id=item_key(source.pk, r.external_id), text=r.text, title=r.title, url=r.url,
                      published_at=r.published_at or now) for r in fresh.values()]
    analyses = shared_analyzer.get().analyze_many(records)
    items = [_item_from(source, raw, a, now) for raw, a in zip(fresh.values(), analyses, strict=True)]
    if region_code:
        for item in items:
            if region_known or not item.province_code:
                item.province_code = region_code.split(".")[0]
                item.provinces = [item.province_code, *(p for p in item.provinces if p != item.province_code)]
                if "." in region_code:
                    item.regency_code = region_code
                    item.regencies = [region_code, *(r for r in item.regencies if r != region_code)]
    with transaction.atomic():
        Item.objects.bulk_create(items)
        if not items or items[0].pk is None:  # backends without RETURNING for bulk_create
            by_id = dict(Item.objects.filter(source=source, external_id__in=list(fresh))
                         .values_list("external_id", "pk"))
            for item in items:
                item.pk = item.id = by_id[item.external_id]
        _link_duplicates(items, analyses)
        for item in items:
            assign_issue(item)
    return items


def _link_duplicates(items: list[Item], analyses: list[Analysis]) -> None:
    keys = {a.duplicate_of for a in analyses if a.duplicate_of}
    if not keys:
        return
    wanted: dict[str, int] = {}
    for key in keys:
        source_part, _, external = key.partition(":")
        if source_part.isdigit() and external:
            found = Item.objects.filter(source_id=int(source_part), external_id=external).values_list("pk", flat=True)
        else:
            found = Item.objects.filter(source__isnull=True, external_id=key).values_list("pk", flat=True)
        pk = next(iter(found), None)
        if pk:
            wanted[key] = pk
    for item, analysis in zip(items, analyses, strict=True):
        target = wanted.get(analysis.duplicate_of or "")
        if target and target != item.pk:
            Item.objects.filter(pk=item.pk).update(duplicate_of_id=target)
            item.duplicate_of_id = target
