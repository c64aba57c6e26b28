"""One pipeline that understands an item: language, places, topics, domain, tone, whether it
is a near-duplicate, who and what it names, which dates it means, and the meeting it reports.

The ingestion worker and ``satupintu analyze`` both call ``Analyzer.analyze_many``; the models
behind it (sentiment, gazetteer, lexicons, language profiles) load once per process.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import cast
from zoneinfo import ZoneInfo

from satupintu.situation.nlp.dates import (
    date_from_url,
    date_from_weekday_and_year,
    published_date_from_text,
    resolve_dates,
)
from satupintu.situation.nlp.dedupe import DuplicateFinder, minhash, signature
from satupintu.situation.nlp.entities import find_entities
from satupintu.situation.nlp.language import detect_language
from satupintu.situation.nlp.meetings import find_meeting
from satupintu.situation.nlp.news_models import (
    NewsLabels,
    NewsModel,
    Signals,
    get_news_model,
    make_signals,
    predict,
)
from satupintu.situation.nlp.news_tone import NEWS_WORDS, blended_tone, clear_article_tone
from satupintu.situation.nlp.phrases import tokenize
from satupintu.situation.nlp.regions import find_places
from satupintu.situation.nlp.sentiment import sentiment_many
from satupintu.situation.nlp.topics import domain_from_counts, topic_counts, topics_from_counts

JAKARTA = ZoneInfo("Asia/Jakarta")
# Tone is read from the title and the lead: that is where news states it, and reading
# further costs time without changing the label.
SENTIMENT_CHARS = 300
LANGUAGE_CHARS = 300


class BadRecord(ValueError):
    """A record the pipeline cannot read; the message is for the person who sent it."""


@dataclass
class Record:
    id: str
    text: str
    title: str = ""
    url: str = ""
    published_at: dt.datetime | None = None
    source: str = ""
    extra: dict = field(default_factory=dict)


def parse_datetime(value: object) -> dt.datetime | None:
    """ISO 8601 (a date alone is midnight), or epoch seconds; naive times are Jakarta time."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, ValueError, OSError):  # 1e20, NaN, before year 1
            raise BadRecord(f"published_at di luar rentang waktu: {value!r}") from None
    if not isinstance(value, str):
        raise BadRecord("published_at harus teks tanggal ISO 8601")
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadRecord(f"published_at bukan tanggal ISO 8601: {value!r}") from None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=JAKARTA)
    try:  # the pipeline reads it in Jakarta time: 9999-12-31T23:59-05:00 has no such day
        parsed.astimezone(dt.UTC).astimezone(JAKARTA)
    except OverflowError:
        raise BadRecord(f"published_at di luar rentang waktu: {value!r}") from None
    return parsed


def record_from_json(obj: object, fallback_id: str) -> Record:
    if not isinstance(obj, dict):
        raise BadRecord("baris harus berupa objek JSON")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRecord("kolom text kosong atau tidak ada")
    title = obj.get("title") or ""
    if not isinstance(title, str):
        raise BadRecord("kolom title harus teks")
    raw_id = obj.get("id")
    return Record(
        id=str(raw_id) if raw_id not in (None, "") else fallback_id,
        text=text, title=title, url=str(obj.get("url") or ""),
        published_at=parse_datetime(obj.get("published_at")), source=str(obj.get("source") or ""),
    )


@dataclass
class Analysis:
    """What the pipeline understood of one record; ``as_json()`` is the ``analyze`` output line."""

    id: str
    language: str | None
    province: str | None
    provinces: list[str]
    regency: str | None
    regencies: list[str]
    topics: list[str]
    domain: str
    sentiment: str
    sentiment_score: float
    duplicate_of: str | None
    entities: dict
    dates: list[dict]
    meeting: dict | None
    published_at: dt.datetime | None
    minhash_signature: bytes

    def as_json(self) -> dict:
        return {
            "id": self.id, "language": self.language,
            "province": self.province, "provinces": self.provinces,
            "regency": self.regency, "regencies": self.regencies,
            "topics": self.topics, "domain": self.domain,
            "sentiment": self.sentiment, "sentiment_score": self.sentiment_score,
            "duplicate_of": self.duplicate_of, "entities": self.entities, "dates": self.dates,
            "meeting": self.meeting,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }


def _sentiment_input(r: Record, words: int) -> str:
    """A short text whole (a review cut at 300 characters lost 0.7 points of macro-F1 on held-out
    rows); an article by its title and lead."""
    text = r.text if words < NEWS_WORDS else r.text[:SENTIMENT_CHARS]
    return f"{r.title}\n{text}" if r.title else text


class Analyzer:
    """Analyses records in order; near-duplicates are looked for among everything it has seen
    (and whatever the caller preloaded with ``remember``, e.g. recent items from the database).

    ``news_model``: the learned topics/domain/tone model (``nlp.news_models``); by default the
    shipped one, ``False`` for the lexicons alone (as before the model; evaluation compares both).
    """

    def __init__(self, duplicates: DuplicateFinder | None = None, news_model: NewsModel | bool | None = None):
        self.duplicates = duplicates or DuplicateFinder()
        self._news_model = news_model

    @property
    def news_model(self) -> NewsModel | None:
        if self._news_model is None:
            return get_news_model()
        return self._news_model if isinstance(self._news_model, NewsModel) else None

    def remember(self, item_id: str, minhash_value) -> None:  # type: ignore[no-untyped-def]
        self.duplicates.add(item_id, minhash_value)

    def analyze_many(self, records: list[Record]) -> list[Analysis]:
        parts = [self._read(r) for r in records]
        labels = self._labels(records, parts)
        return [self._analyze(r, part, label) for r, part, label in zip(records, parts, labels, strict=True)]

    def analyze(self, record: Record) -> Analysis:
        return self.analyze_many([record])[0]

    def signals(self, records: list[Record]) -> list[Signals]:
        """What the learned models read of each record (training uses exactly this)."""
        return [_signals(r, part) for r, part in zip(records, map(self._read, records), strict=True)]

    def _read(self, r: Record) -> _Parts:
        published = r.published_at
        if published is None:
            found = published_date_from_text(r.text[:400])
            published = dt.datetime.combine(found, dt.time(), JAKARTA) if found else None
        published_day = published.astimezone(JAKARTA).date() if published else None
        # Days without a year ("Rabu (22/2)") need a year: the publication's, else the page address's
        # ("/2023/02/23/"), else the one year named in the text that fits the weekday given.
        reference = published_day or date_from_url(r.url) or date_from_weekday_and_year(r.text)
        tokens = tokenize(r.text)
        return _Parts(tokens, published, reference, topic_counts(r.text, r.title, tokens=tokens),
                      find_meeting(r.text, r.title, reference))

    def _labels(self, records: list[Record], parts: list[_Parts]) -> list[NewsLabels]:
        """Topics, domain and tone: the learned model for news-length texts when there is one, else
        the lexicons. The model learned from articles; short texts (comments, posts, snippets) keep
        the lexicons and the short-text sentiment model, which learned from texts like them."""
        model = self.news_model
        articles = [i for i, p in enumerate(parts) if len(p.tokens) >= NEWS_WORDS] if model else []
        learned: dict[int, NewsLabels] = {}
        if model and articles:
            found = predict(model, [_signals(records[i], parts[i]) for i in articles])
            learned = dict(zip(articles, found, strict=True))
        tones: list[tuple[str, float] | None] = []
        for i, p in enumerate(parts):
            tones.append((learned[i].tone, learned[i].tone_score) if i in learned else clear_article_tone(p.tokens))
        unclear = [i for i, tone in enumerate(tones) if tone is None]
        model_tones = sentiment_many([_sentiment_input(records[i], len(parts[i].tokens)) for i in unclear])
        for i, tone in zip(unclear, model_tones, strict=True):
            tones[i] = blended_tone(records[i].text, tone, parts[i].tokens)
        out = []
        for i, p in enumerate(parts):
            tone = cast(tuple[str, float], tones[i])  # every None was replaced just above
            if i in learned:
                out.append(NewsLabels(learned[i].topics, learned[i].domain, tone[0], tone[1]))
            else:
                out.append(NewsLabels(topics_from_counts(p.counts), domain_from_counts(p.counts), tone[0], tone[1]))
        return out

    def _analyze(self, r: Record, p: _Parts, labels: NewsLabels) -> Analysis:
        places = find_places(r.text, r.title, tokens=p.tokens)
        hashed = minhash(f"{r.title}\n{r.text}")
        return Analysis(
            id=r.id,
            language=detect_language(f"{r.title}\n{r.text[:LANGUAGE_CHARS]}"),
            province=places.province, provinces=places.provinces,
            regency=places.regency, regencies=places.regencies,
            topics=labels.topics, domain=labels.domain,
            sentiment=labels.tone, sentiment_score=labels.tone_score,
            duplicate_of=self.duplicates.check_and_add(r.id, hashed),
            entities=find_entities(r.text, r.title),
            dates=resolve_dates(r.text, p.reference_day),
            meeting=p.meeting,
            published_at=p.published,
            minhash_signature=signature(hashed),
        )


@dataclass
class _Parts:
    """What is read of a record before the models run."""

    tokens: list[tuple[str, int, int]]
    published: dt.datetime | None
    reference_day: dt.date | None  # what dates without a year are read against
    counts: Counter[str]
    meeting: dict | None


def _signals(r: Record, p: _Parts) -> Signals:
    text = f"{r.title}\n{r.text}" if r.title else r.text
    return make_signals(text, p.tokens, p.counts, p.meeting)
