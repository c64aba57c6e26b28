"""Issues: items about the same event, or the same topic and place within days.

An item joins the issue of the story it duplicates; otherwise the open issue of the same
province, sharing a topic, seen within ``WINDOW``, whose keywords it shares most (at least
``MIN_OVERLAP``); otherwise it starts a new issue. Officers can rename, close, merge and
split; every change recomputes the issue's figures from its items, so they never drift.
Errors name the form field at fault (``title``, ``into``, ``items``), so the issue page shows
them next to it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.db.models import Avg, Count, F, Max, Min, Q

from satupintu.core.errors import Conflict, DomainError
from satupintu.situation.models import Issue, IssueStatus, Item, topics_mask

WINDOW = timedelta(days=3)
MIN_OVERLAP = 0.3  # share of the smaller keyword set that must be common
KEYWORDS = 30
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset("""
yang dengan untuk dalam pada dari oleh akan juga atau adalah sebagai tersebut kepada karena bahwa
telah sudah masih dapat bisa lebih para serta antara setelah sebelum hingga sampai saat ketika agar
kami kita mereka beliau dia ini itu tahun hari bulan kabupaten kota provinsi kantor kementerian agama
kemenag kanwil kepala acara kegiatan dilaksanakan mengikuti tentang sangat seluruh semua setiap
""".split())


def keywords(text: str, title: str = "", limit: int = KEYWORDS) -> list[str]:
    """The most frequent content words; title words count three times."""
    counts = Counter(w for w in _WORD.findall(text.lower()) if w not in _STOP)
    for w in _WORD.findall(title.lower()):
        if w not in _STOP:
            counts[w] += 3
    return [w for w, _ in counts.most_common(limit)]


def overlap(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(a), len(b))


def _title_for(item: Item) -> str:
    """One line: it heads alerts, their e-mails and the brief's table."""
    if item.title.strip():
        return " ".join(item.title.split())[:300]
    first = re.split(r"(?<=[.!?])\s", item.text.strip(), maxsplit=1)[0]
    return " ".join(first.split())[:300]


def _candidates(item: Item):  # type: ignore[no-untyped-def]
    qs = Issue.objects.filter(status=IssueStatus.OPEN, last_seen__gte=item.published_at - WINDOW,
                              first_seen__lte=item.published_at + WINDOW, province_code=item.province_code)
    if item.topics_mask:
        qs = qs.annotate(common=F("topics_mask").bitand(item.topics_mask)).filter(common__gt=0)
    else:
        qs = qs.filter(topics_mask=0)
    return qs.order_by("-last_seen")[:50]


def find_issue_for(item: Item, words: list[str]) -> Issue | None:
    if item.duplicate_of_id:
        target = Issue.objects.filter(items__pk=item.duplicate_of_id).first()
        if target is not None and target.status == IssueStatus.MERGED and target.merged_into:
            target = target.merged_into
        if target is not None and target.status == IssueStatus.OPEN:
            return target  # a copy of a story belongs where the story is (unless officers closed it)
    best, best_score = None, MIN_OVERLAP
    for issue in _candidates(item):
        score = overlap(words, issue.keywords)
        if score >= best_score:
            best, best_score = issue, score
    return best


def assign_issue(item: Item) -> Issue:
    """Put a stored item into an issue (an existing one or a new one) and update its figures."""
    words = keywords(item.text, item.title)
    issue = find_issue_for(item, words)
    if issue is None:
        issue = Issue.objects.create(
            title=_title_for(item), province_code=item.province_code, regency_code=item.regency_code,
            provinces=item.provinces, regencies=item.regencies, topics=item.topics, topics_mask=item.topics_mask,
            domain=item.domain, keywords=words, first_seen=item.published_at, last_seen=item.published_at)
    else:
        issue.keywords = _merge_keywords(issue.keywords, words)
        issue.save(update_fields=["keywords"])
    Item.objects.filter(pk=item.pk).update(issue=issue)
    item.issue = issue
    recompute(issue)
    return issue


def _merge_keywords(old: list[str], new: list[str]) -> list[str]:
    # Older keywords keep their rank; new ones fill the tail, so an issue's identity is stable.
    merged = list(dict.fromkeys(old + new))
    return merged[:KEYWORDS]


def recompute(issue: Issue) -> Issue:
    """Counts, tone, time span, regions and topics from the issue's items."""
    items = Item.objects.filter(issue=issue)
    agg = items.aggregate(n=Count("id"), neg=Count("id", filter=Q(sentiment="negative")),
                          avg=Avg("sentiment_score"), first=Min("published_at"), last=Max("published_at"))
    issue.item_count = agg["n"] or 0
    issue.negative_count = agg["neg"] or 0
    issue.sentiment_avg = round(agg["avg"] or 0.0, 4)
    if agg["first"]:
        issue.first_seen, issue.last_seen = agg["first"], agg["last"]
    provinces: Counter[str] = Counter()
    regencies: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    domains: Counter[str] = Counter()
    for p, r, t, d in items.values_list("provinces", "regencies", "topics", "domain")[:500]:
        provinces.update(p or [])
        regencies.update(r or [])
        topics.update(t or [])
        domains[d] += 1
    issue.provinces = [c for c, _ in provinces.most_common()]
    issue.regencies = [c for c, _ in regencies.most_common()]
    issue.topics = [c for c, _ in topics.most_common()]
    issue.topics_mask = topics_mask(issue.topics)
    if domains:
        issue.domain = domains.most_common(1)[0][0]
    if issue.regencies and not issue.regency_code:
        issue.regency_code = issue.regencies[0]
    issue.save()
    return issue


def rename(issue: Issue, title: str) -> Issue:
    title = " ".join(title.split())  # one line: it heads alerts and their e-mails
    if not title:
        raise DomainError("issue_title_empty", "Judul isu tidak boleh kosong.", field="title")
    issue.title, issue.title_locked = title[:300], True
    issue.save(update_fields=["title", "title_locked"])
    return issue


def close(issue: Issue) -> Issue:
    if issue.status == IssueStatus.MERGED:
        raise Conflict("issue_merged", "Isu ini sudah digabung ke isu lain.")
    issue.status = IssueStatus.CLOSED
    issue.save(update_fields=["status"])
    return issue


def reopen(issue: Issue) -> Issue:
    if issue.status != IssueStatus.CLOSED:
        raise Conflict("issue_not_closed", "Hanya isu yang ditutup yang dapat dibuka kembali.")
    issue.status = IssueStatus.OPEN
    issue.save(update_fields=["status"])
    return issue


@transaction.atomic
def merge(issue: Issue, into: Issue | None) -> Issue:
    """Move every item (and alert) of ``issue`` into ``into``; ``issue`` stays as a pointer."""
    if into is None:
        raise DomainError("invalid_issue", "Pilih isu tujuan penggabungan.", field="into")
    if issue.pk == into.pk:
        raise DomainError("issue_merge_self", "Isu tidak dapat digabung dengan dirinya sendiri.", field="into")
    if into.status == IssueStatus.MERGED:
        raise Conflict("issue_merge_target_merged", "Isu tujuan sudah digabung ke isu lain; pilih isu tujuannya.",
                       field="into")
    Item.objects.filter(issue=issue).update(issue=into)
    issue.alerts.update(issue=into)
    into.keywords = _merge_keywords(into.keywords, issue.keywords)
    into.save(update_fields=["keywords"])
    issue.status, issue.merged_into, issue.item_count, issue.negative_count = IssueStatus.MERGED, into, 0, 0
    issue.save(update_fields=["status", "merged_into", "item_count", "negative_count"])
    Issue.objects.filter(merged_into=issue).update(merged_into=into)
    return recompute(into)


@transaction.atomic
def split(issue: Issue, item_ids: list[int], title: str = "") -> Issue:
    """Move the chosen items into a new issue; both issues' figures are recomputed."""
    chosen = list(Item.objects.filter(issue=issue, pk__in=item_ids).order_by("published_at"))
    if not chosen:
        raise DomainError("issue_split_empty", "Pilih butir yang akan dipisahkan.", field="items")
    if len(chosen) == issue.items.count():
        raise DomainError("issue_split_all", "Sisakan paling sedikit satu butir di isu asal.", field="items")
    first = chosen[0]
    words: list[str] = []
    for item in chosen:
        words = _merge_keywords(words, keywords(item.text, item.title))
    new = Issue.objects.create(
        title=(" ".join(title.split()) or _title_for(first))[:300], title_locked=bool(title.strip()),
        province_code=first.province_code, regency_code=first.regency_code, keywords=words,
        first_seen=first.published_at, last_seen=chosen[-1].published_at)
    Item.objects.filter(pk__in=[i.pk for i in chosen]).update(issue=new)
    recompute(issue)
    return recompute(new)
