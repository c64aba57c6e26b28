#!/usr/bin/env python3
"""Cost of the Situation Room's dashboard queries at national scale, on PostgreSQL.

Creates a dedicated database (satupintu_bench_room), migrates it, fills situation_item with
N items (default 1,000,000) with PostgreSQL COPY and realistic distributions (time, region,
topic, tone, duplicates, issues), then times the selector functions the room page calls,
and the whole room page, for a set of filters. Machines are noisy, so every figure is also
given as a ratio to a baseline measured in the same run, `SELECT count(*) FROM situation_item`
(a full scan), right before and after each group of queries; medians over the rounds.

    .venv/bin/python bench/situation_room_queries.py [--items 1000000] [--rounds 3] [--keep] [--strict]

See bench/README.md ("Situation Room").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import Interrupted, SetupError, admin_connect, raise_on_signals

from satupintu.demo_national.skew import TOPIC_WEIGHTS  # the same topic mix as the national demo

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "satupintu_bench_room"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
TARGET_QUERY_MS = 1000.0  # each dashboard selector
TARGET_PAGE_MS = 2000.0  # the whole room page, 7 days
DAYS = 180  # items span the last 180 days
RECENCY_DAYS = 90.0  # item density falls off as exp(-age / 90 days): recent days are denser
NEWS_SHARE = 0.7  # news articles (2,000-4,000 characters); the rest are posts and summaries
ISSUE_SHARE = 0.30
DUPLICATE_SHARE = 0.10
JAKARTA = ZoneInfo("Asia/Jakarta")
FILL_MARK = "satupintu bench fill "  # COMMENT ON TABLE situation_item, to reuse a fill (--reuse)

SELECTORS = ("totals", "map_counts", "topic_trend", "topic_totals", "top_issues", "latest_items", "open_alerts",
             "source_counts")
# (label, query string of the room page)
SCENARIOS = (
    ("national 7d", {"hari": "7"}),
    ("national 30d", {"hari": "30"}),
    ("national 90d", {"hari": "90"}),
    ("province 32 30d", {"hari": "30", "provinsi": "32"}),
    ("32 + kerukunan 30d", {"hari": "30", "provinsi": "32", "topik": "kerukunan"}),
    ("regency 32.01 7d", {"hari": "7", "kabkota": "32.01"}),
    ("negative national 7d", {"hari": "7", "nada": "negative"}),
)
# (label, query string, target ms or None)
PAGES = (
    ("room page national 7d", {"hari": "7"}, TARGET_PAGE_MS),
    ("room page national 30d", {"hari": "30"}, None),
)

# Share of items per province: population (millions, 2020 census), so Jawa carries over half.
PROVINCE_WEIGHTS = {
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0, "19": 1.5, "21": 2.1,
    "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 40.7, "36": 11.9, "51": 4.3, "52": 5.3, "53": 5.3,
    "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7, "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6, "75": 1.2,
    "76": 1.4, "81": 1.8, "82": 1.3, "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4, "95": 1.4, "96": 0.6,
}
NO_PROVINCE = 0.04  # the gazetteer found no place
PROVINCE_ONLY = 0.15  # of items with a province: no regency
SOURCES = (  # (name, kind, url, share of items)
    ("Kemenag RI", "feed", "https://kemenag.go.id/feed", 14), ("Kanwil Kemenag Jawa Barat", "feed",
    "https://jabar.kemenag.go.id/feed", 9), ("Kanwil Kemenag Jawa Tengah", "feed", "https://jateng.kemenag.go.id/feed", 8),
    ("Kanwil Kemenag Jawa Timur", "feed", "https://jatim.kemenag.go.id/feed", 8),
    ("Kanwil Kemenag Sulawesi Selatan", "feed", "https://sulsel.kemenag.go.id/feed", 5),
    ("Kanwil Kemenag DKI Jakarta", "feed", "https://dki.kemenag.go.id/feed", 3),
    ("Kanwil Kemenag Banten", "feed", "https://banten.kemenag.go.id/feed", 3),
    ("Kanwil Kemenag Sumatera Utara", "feed", "https://sumut.kemenag.go.id/feed", 3),
    ("Kanwil Kemenag NTB", "feed", "https://ntb.kemenag.go.id/feed", 2),
    ("Kanwil Kemenag Kalimantan Timur", "feed", "https://kaltim.kemenag.go.id/feed", 2),
    ("Antara Kanal Agama", "feed", "https://www.antaranews.com/rss/humaniora", 6),
    ("Detik Hikmah", "feed", "https://www.detik.com/hikmah/rss", 5), ("Kompas Regional", "feed",
    "https://regional.kompas.com/rss", 4), ("Republika Khazanah", "feed", "https://republika.co.id/rss/khazanah", 4),
    ("Humas Kemenag Luwu Utara", "page", "https://sulsel.kemenag.go.id/lutra", 1),
    ("PTSP Kemenag Kota Magelang", "page", "https://jateng.kemenag.go.id/magelang", 1),
    ("Impor X", "social", "", 8), ("Impor Facebook", "social", "", 7), ("Impor Instagram", "social", "", 4),
    ("Pengaduan dan aspirasi", "internal", "", 3),
)


def log(msg: str) -> None:
    print(f"[situation-room] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ PostgreSQL

def prepare_database(reuse: bool) -> bool:
    """Create the bench database; returns True if an existing one is kept for --reuse."""
    with admin_connect(PG_ADMIN, "situation-room") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,)).fetchone()
        if exists and reuse:
            log(f"reusing database {PG_DB}")
            return True
        if exists:
            log(f"dropping the old database {PG_DB}")
            conn.execute(f'DROP DATABASE "{PG_DB}" WITH (FORCE)')
        log(f"creating database {PG_DB}")
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return False


def drop_database() -> None:
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001 - Django may not be set up yet
        pass
    with admin_connect(PG_ADMIN, "situation-room") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
    log(f"dropped database {PG_DB} (--keep keeps it)")


def fill_mark(conn) -> dict | None:  # type: ignore[no-untyped-def]
    row = conn.execute("SELECT obj_description('situation_item'::regclass, 'pg_class')").fetchone()
    if row and row[0] and row[0].startswith(FILL_MARK):
        return json.loads(row[0].removeprefix(FILL_MARK))
    return None


def not_null_extras(conn, table: str, generated: tuple[str, ...]) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """NOT NULL columns without a database default that the generator does not know (a column
    added after this bench was written), with a neutral value for their type."""
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'", (table,)).fetchall()
    neutral = {"character varying": "", "text": "", "integer": 0, "bigint": 0, "smallint": 0, "double precision": 0.0,
               "real": 0.0, "numeric": 0, "boolean": False, "jsonb": "{}", "json": "{}", "bytea": b"",
               "timestamp with time zone": datetime.now(UTC), "date": datetime.now(UTC).date()}
    extras = []
    for name, data_type in rows:
        if name in generated or name == "id":
            continue
        if data_type not in neutral:
            raise SetupError(f"{table}.{name} ({data_type}) is NOT NULL and unknown to this bench: add it to the generator")
        log(f"note: {table}.{name} is not generated by this bench; filled with {neutral[data_type]!r}")
        extras.append((name, neutral[data_type]))
    return extras


# ------------------------------------------------------------------ the data

@dataclass
class Fill:
    items: int
    issues: int
    seed: int
    now: datetime
    seconds: float = 0.0
    reused: bool = False
    notes: list[str] = field(default_factory=list)


def _age_days(rng, n: int):  # type: ignore[no-untyped-def]
    """Ages in days in [0, DAYS), density proportional to exp(-age / RECENCY_DAYS)."""
    import numpy as np

    u = rng.random(n)
    return -RECENCY_DAYS * np.log1p(-u * (1 - np.exp(-DAYS / RECENCY_DAYS)))


def _timestamps(rng, now: datetime, ages):  # type: ignore[no-untyped-def]
    """Epoch seconds: the day from the age, the hour of day as Humas publishes (office hours
    heavy, little at night, Jakarta time), never in the future."""
    import numpy as np

    hours = np.array([1, 1, 1, 1, 2, 4, 6, 8, 10, 11, 11, 10, 8, 9, 10, 9, 8, 6, 5, 5, 4, 3, 2, 1], float)
    local_midnight = datetime.combine(now.astimezone(JAKARTA).date(), datetime.min.time(), JAKARTA).timestamp()
    day = np.floor(ages)
    secs = rng.choice(24, size=len(ages), p=hours / hours.sum()) * 3600 + rng.random(len(ages)) * 3600
    t = local_midnight - day * 86400 + secs
    late = t > now.timestamp()
    t[late] = now.timestamp() - rng.random(int(late.sum())) * 6 * 3600
    return t


def _weighted(rng, weights):  # type: ignore[no-untyped-def]
    import numpy as np

    w = np.asarray(weights, float)
    return w / w.sum()


class Generator:
    """Every column of situation_issue and situation_item, as numpy arrays, consistent with each
    other: items of an issue share its place and topics and fall in its time window; a
    duplicate copies its original (an earlier item that is not itself a duplicate)."""

    def __init__(self, n_items: int, n_issues: int, seed: int, now: datetime):
        import numpy as np

        from satupintu.organization import reference
        from satupintu.situation.models import TOPIC_ORDER

        self.rng = rng = np.random.default_rng(seed)
        self.n, self.m, self.now = n_items, n_issues, now
        provinces = [p["code"] for p in reference.provinces()]
        self.province_codes = np.array(provinces + [""])
        p_weights = [PROVINCE_WEIGHTS.get(c, 1.0) for c in provinces]
        p_share = np.append(_weighted(rng, p_weights) * (1 - NO_PROVINCE), NO_PROVINCE)
        regencies: dict[str, list[str]] = {}
        for r in reference.regencies():
            regencies.setdefault(r["province_code"], []).append(r["code"])
        # A regency's share of its province: log-normal, so cities and big regencies stand out.
        self.regency_codes = {p: np.array(rs) for p, rs in regencies.items()}
        self.regency_share = {p: _weighted(rng, rng.lognormal(0, 0.8, len(rs))) for p, rs in regencies.items()}
        self.topic_order = TOPIC_ORDER
        self.topic_log_w = np.log(np.array([TOPIC_WEIGHTS.get(t, 3) for t in TOPIC_ORDER], float))

        # Issues: a window, a place, one or two topics, a popularity (heavy-tailed).
        m = n_issues
        ages = _age_days(rng, m)
        span = np.minimum(1 + rng.exponential(3.0, m), 30.0) * 86400
        end = _timestamps(rng, now, ages)
        self.issue_start = np.maximum(end - span, now.timestamp() - DAYS * 86400)
        self.issue_end = end
        self.issue_province = rng.choice(len(self.province_codes), m, p=p_share)
        self.issue_regency = self._regencies(self.issue_province, share_without=0.4)
        self.issue_mask = self._topic_masks(m, k_share=(0.7, 0.3, 0.0))
        self.issue_popularity = _weighted(rng, rng.pareto(1.2, m) + 1)
        self.issue_status = rng.choice(np.array(["open", "closed", "merged"]), m, p=(0.85, 0.10, 0.05))

        # Items, before issue membership and duplicates.
        n = n_items
        published = _timestamps(rng, now, _age_days(rng, n))
        province = rng.choice(len(self.province_codes), n, p=p_share)
        regency = self._regencies(province, share_without=PROVINCE_ONLY)
        mask = self._topic_masks(n, k_share=(0.5, 0.35, 0.15))
        issue = np.full(n, -1)
        in_issue = rng.random(n) < ISSUE_SHARE
        k = int(in_issue.sum())
        chosen = rng.choice(m, k, p=self.issue_popularity)
        issue[in_issue] = chosen
        published[in_issue] = self.issue_start[chosen] + rng.random(k) * (self.issue_end[chosen] - self.issue_start[chosen])
        province[in_issue] = self.issue_province[chosen]
        keep_own = rng.random(k) < 0.2  # a fifth of an issue's items name another regency of its province
        own_regency = self._regencies(province[in_issue], share_without=PROVINCE_ONLY)
        regency[in_issue] = np.where(keep_own, own_regency, self.issue_regency[chosen])
        mask[in_issue] = self.issue_mask[chosen]
        fetched = np.minimum(published + rng.exponential(20 * 60, n), now.timestamp())
        # Rows go in as they were fetched: the table's physical order follows time, as in production.
        order = np.argsort(fetched, kind="stable")
        self.published, self.fetched = published[order], fetched[order]
        self.province, self.regency, self.mask, self.issue = province[order], regency[order], mask[order], issue[order]
        u = rng.random(n)
        self.sentiment = np.where(u < 0.60, 0, np.where(u < 0.85, 1, 2))  # neutral, positive, negative
        self.score = np.where(self.sentiment == 0, rng.uniform(-0.19, 0.19, n),
                              np.where(self.sentiment == 1, 0.2 + 0.8 * rng.beta(2, 3, n), -0.2 - 0.8 * rng.beta(2, 3, n)))
        self.news = rng.random(n) < NEWS_SHARE
        self.text_pick = rng.integers(0, 1 << 30, n)
        self.source = rng.choice(len(SOURCES), n, p=_weighted(rng, [s[3] for s in SOURCES]))
        self.language = rng.choice(np.array(["id", "jv", "en", "ms", ""]), n, p=(0.93, 0.03, 0.02, 0.01, 0.01))
        self.author = np.where(rng.random(n) < 0.4, rng.integers(0, 1 << 30, n), -1)
        self.meeting = rng.random(n) < 0.05

        # Duplicates: a copy of an earlier original, mostly within the same few hours.
        dup = rng.random(n) < DUPLICATE_SHARE
        dup[:100] = False
        target = np.arange(n) - 1 - rng.geometric(1 / 300, n)
        target = np.maximum(target, 0)
        dup_of = np.where(dup, target, -1)
        for _ in range(64):  # follow chains to the original (targets only point backwards)
            chained = (dup_of >= 0) & dup[np.maximum(dup_of, 0)]
            if not chained.any():
                break
            dup_of[chained] = dup_of[dup_of[chained]]
        dup_of[(dup_of >= 0) & dup[np.maximum(dup_of, 0)]] = -1  # give up on the rare leftover chain
        copies = dup_of >= 0
        src = dup_of[copies]
        for name in ("province", "regency", "mask", "issue", "sentiment", "score", "news", "text_pick", "language"):
            arr = getattr(self, name)
            arr[copies] = arr[src]
        self.duplicate_of = dup_of

        # What each issue ended up with.
        member = self.issue >= 0
        idx = self.issue[member]
        self.issue_count = np.bincount(idx, minlength=m)
        self.issue_negative = np.bincount(idx, weights=(self.sentiment[member] == 2), minlength=m).astype(int)
        sums = np.bincount(idx, weights=self.score[member], minlength=m)
        self.issue_sentiment = np.divide(sums, np.maximum(self.issue_count, 1))
        first = np.full(m, np.inf)
        last = np.full(m, -np.inf)
        np.minimum.at(first, idx, self.published[member])
        np.maximum.at(last, idx, self.published[member])
        self.issue_first = np.where(np.isfinite(first), first, self.issue_start)
        self.issue_last = np.where(np.isfinite(last), last, self.issue_end)

    def _regencies(self, province_idx, share_without: float):  # type: ignore[no-untyped-def]
        import numpy as np

        out = np.full(len(province_idx), "", dtype="<U5")
        for p_i, code in enumerate(self.province_codes):
            where = np.flatnonzero(province_idx == p_i)
            if not len(where) or code not in self.regency_codes:
                continue
            picks = self.rng.choice(self.regency_codes[code], len(where), p=self.regency_share[code])
            picks[self.rng.random(len(where)) < share_without] = ""
            out[where] = picks
        return out

    def _topic_masks(self, n: int, k_share: tuple[float, float, float]):  # type: ignore[no-untyped-def]
        """1-3 distinct topics per row, drawn by weight (Gumbel top-k), as bit masks."""
        import numpy as np

        k = self.rng.choice(3, n, p=np.array(k_share) / sum(k_share)) + 1
        keys = self.topic_log_w[None, :] + self.rng.gumbel(size=(n, len(self.topic_order)))
        ranked = np.argsort(-keys, axis=1)[:, :3]
        mask = np.zeros(n, dtype=np.int64)
        for j in range(3):
            mask |= np.where(k > j, np.left_shift(1, ranked[:, j]), 0)
        return mask


class Texts:
    """Pools of titles, texts and their analysis JSON (entities, dates, meeting), made once with
    the analysis bench's article generator and the pipeline's own extractors."""

    def __init__(self, seed: int, size: int = 1500):
        from situation_analyze import DEFAULT_SEEDS, ArticleMaker

        from satupintu.situation.nlp.dates import resolve_dates
        from satupintu.situation.nlp.entities import find_entities
        from satupintu.situation.nlp.meetings import find_meeting

        maker = ArticleMaker(seed=seed, seeds_dir=DEFAULT_SEEDS)
        self.articles, self.posts = [], []
        for _ in range(size):
            title, text = maker.article()
            meeting = find_meeting(text, title, None)
            self.articles.append((title, text, json.dumps(find_entities(text, title), ensure_ascii=False),
                                  json.dumps(resolve_dates(text, None), ensure_ascii=False),
                                  json.dumps(meeting, ensure_ascii=False, default=str) if meeting else None))
            post = maker.short_text()
            self.posts.append(("", post, json.dumps(find_entities(post), ensure_ascii=False), "[]", None))
        self.names = [f"{a} {b}" for a in ("Ahmad", "Siti", "Rina", "Budi", "Hendra", "Nur", "Yohanes", "Made")
                      for b in ("Hidayat", "Lestari", "Siregar", "Wijaya", "Rahman", "Saputra")]


def fill(conn, gen: Generator, texts: Texts, source_ids: list[int]) -> None:  # type: ignore[no-untyped-def]
    """COPY situation_issue, then situation_item (indexes and constraints of situation_item are
    dropped for the load and re-created exactly as they were)."""
    import numpy as np
    from tqdm import tqdm

    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '512MB'")
    codes = gen.province_codes
    topics_json: dict[int, str] = {}

    def topic_names(mask: int) -> list[str]:
        return [t for b, t in enumerate(gen.topic_order) if mask >> b & 1]

    def topics_of(mask: int) -> str:
        if mask not in topics_json:
            topics_json[mask] = json.dumps(topic_names(mask))
        return topics_json[mask]

    def domain_of(mask: int) -> str:
        names = topic_names(mask)
        if "pemilu-politik" in names and len(names) == 1:
            return "politik"
        if "bencana-sosial" in names and len(names) <= 2:
            return "sosial"
        return "keagamaan"

    def ts(x: float) -> datetime:
        return datetime.fromtimestamp(x, UTC)

    # ---- issues
    issue_cols = ("id", "title", "status", "merged_into_id", "province_code", "regency_code", "provinces", "regencies",
                  "topics", "topics_mask", "domain", "keywords", "item_count", "negative_count", "sentiment_avg",
                  "first_seen", "last_seen", "title_locked", "created_at")
    extras = not_null_extras(conn, "situation_issue", issue_cols)
    cols = issue_cols + tuple(name for name, _ in extras)
    extra_values = tuple(v for _, v in extras)
    open_ids = np.flatnonzero(gen.issue_status == "open") + 1
    with conn.cursor() as cur:
        with cur.copy(f"COPY situation_issue ({', '.join(cols)}) FROM STDIN") as copy:
            for i in range(gen.m):
                p = codes[gen.issue_province[i]]
                r = gen.issue_regency[i]
                mask = int(gen.issue_mask[i])
                status = str(gen.issue_status[i])
                merged = int(gen.rng.choice(open_ids)) if status == "merged" and len(open_ids) else None
                title = texts.articles[i % len(texts.articles)][0]
                words = re.findall(r"[a-z]{5,}", title.lower())[:6]
                copy.write_row((i + 1, title, status, merged, p, r, json.dumps([p] if p else []),
                                json.dumps([r] if r else []), topics_of(mask), mask, domain_of(mask), json.dumps(words),
                                int(gen.issue_count[i]), int(gen.issue_negative[i]), float(gen.issue_sentiment[i]),
                                ts(gen.issue_first[i]), ts(gen.issue_last[i]), False, ts(gen.issue_first[i]))
                               + extra_values)

    conn.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check merged_into now: no pending trigger events on ALTER

    # ---- items: drop what slows the load, keep its exact definitions
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = 'situation_item'::regclass AND contype IN ('f', 'u', 'c', 'x') ORDER BY contype").fetchall()
    constraint_names = {c[0] for c in constraints}
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'situation_item' "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'situation_item'::regclass "
        "AND contype = 'p')").fetchall()
    indexes = [(name, d) for name, d in indexes if name not in constraint_names]
    for name, _, kind in constraints:
        if kind in ("f", "u", "x"):
            conn.execute(f'ALTER TABLE situation_item DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')

    item_cols = ("id", "source_id", "external_id", "url", "title", "text", "author", "published_at", "fetched_at",
                 "language", "province_code", "regency_code", "provinces", "regencies", "topics", "topics_mask",
                 "domain", "sentiment", "sentiment_score", "duplicate_of_id", "minhash", "entities", "dates",
                 "meeting", "issue_id")
    extras = not_null_extras(conn, "situation_item", item_cols)
    cols = item_cols + tuple(name for name, _ in extras)
    extra_values = tuple(v for _, v in extras)
    tones = ("neutral", "positive", "negative")
    hosts = [re.sub(r"^https?://([^/]+).*$", r"\1", s[2]) or "x.com" for s in SOURCES]
    chunk = 20_000
    tty = sys.stderr.isatty()
    bar = tqdm(total=gen.n, unit="item", unit_scale=True, desc="situation_item", file=sys.stderr,
               mininterval=1 if tty else 30, dynamic_ncols=True)
    with conn.cursor() as cur:
        with cur.copy(f"COPY situation_item ({', '.join(cols)}) FROM STDIN") as copy:
            for start in range(0, gen.n, chunk):
                stop = min(gen.n, start + chunk)
                minhashes = gen.rng.bytes(512 * (stop - start))
                rows = zip(range(start, stop), gen.published[start:stop].tolist(), gen.fetched[start:stop].tolist(),
                           gen.province[start:stop].tolist(), gen.regency[start:stop].tolist(),
                           gen.mask[start:stop].tolist(), gen.sentiment[start:stop].tolist(),
                           gen.score[start:stop].tolist(), gen.duplicate_of[start:stop].tolist(),
                           gen.issue[start:stop].tolist(), gen.news[start:stop].tolist(),
                           gen.text_pick[start:stop].tolist(), gen.source[start:stop].tolist(),
                           gen.language[start:stop].tolist(), gen.author[start:stop].tolist(),
                           gen.meeting[start:stop].tolist(), strict=True)
                for (i, pub, fetched, p_i, r, mask, tone, score, dup, issue, news, pick, src, lang, author,
                     meeting) in rows:
                    p = codes[p_i]
                    pool = texts.articles if news else texts.posts
                    title, text, entities, dates, meeting_json = pool[pick % len(pool)]
                    copy.write_row((
                        i + 1, source_ids[src], str(i + 1), f"https://{hosts[src]}/berita/{i + 1}", title, text,
                        texts.names[author % len(texts.names)] if author >= 0 else "", ts(pub), ts(fetched), lang,
                        p, r, json.dumps([p]) if p else "[]", json.dumps([r]) if r else "[]", topics_of(mask), mask,
                        domain_of(mask), tones[tone], round(score, 4), dup + 1 if dup >= 0 else None,
                        minhashes[512 * (i - start):512 * (i - start + 1)], entities, dates,
                        meeting_json if meeting else None, issue + 1 if issue >= 0 else None) + extra_values)
                bar.update(stop - start)
    bar.close()
    log("re-creating indexes and constraints of situation_item")
    for _, definition in indexes:
        conn.execute(definition)
    for name, definition, kind in constraints:
        if kind in ("u", "x", "f"):  # unique before foreign keys; check constraints were never dropped
            conn.execute(f'ALTER TABLE situation_item ADD CONSTRAINT "{name}" {definition}')
    for table in ("situation_item", "situation_issue"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    after = set(conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'situation_item'").fetchall())
    if not set(indexes) <= after:
        raise SetupError(f"indexes differ after the load: {sorted(set(indexes) - after)}")


def make_small_tables(gen: Generator) -> list[int]:
    """Sources and alerts, with the ORM (a few thousand rows)."""
    from satupintu.situation.models import Alert, AlertKind, AlertStatus, Source

    now = gen.now
    sources = Source.objects.bulk_create([
        Source(name=name, kind=kind, url=url, active=True, interval_minutes=30, last_fetched_at=now,
               last_success_at=now, next_fetch_at=now + timedelta(minutes=30), last_status=200)
        for name, kind, url, _ in SOURCES])
    rng = gen.rng
    alerts = []
    codes = [c for c in gen.province_codes if c]
    kinds = [k.value for k in AlertKind]
    statuses = [AlertStatus.RESOLVED, AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.ASSIGNED]
    n_alerts = max(50, gen.n // 500)
    for i, age in enumerate(_age_days(rng, n_alerts)):
        end = now - timedelta(days=float(age))
        p = str(rng.choice(codes, p=_weighted(rng, [PROVINCE_WEIGHTS.get(c, 1.0) for c in codes])))
        topic = str(rng.choice(gen.topic_order))
        status = statuses[int(rng.choice(4, p=(0.6, 0.2, 0.1, 0.1)))] if age > 2 else AlertStatus.NEW
        count = int(rng.integers(20, 400))
        alerts.append(Alert(
            kind=str(rng.choice(kinds)), status=status, province_code=p, topic=topic,
            window_start=end - timedelta(days=1), window_end=end, count=count, negative_count=count // 3,
            baseline=float(count / (2 + rng.random() * 4)), score=float(3 + rng.random() * 6),
            summary=f"{topic} naik di provinsi {p}", key=f"bench-{i}", created_at=end))
    Alert.objects.bulk_create(alerts, batch_size=2000)
    return [s.pk for s in sources]


def load(n_items: int, seed: int, reuse: bool, fresh_db: bool) -> Fill:
    """Migrate, and fill unless --reuse finds a fill of the same size and seed."""
    import psycopg
    from django.core.management import call_command
    from django.utils import timezone

    t0 = time.perf_counter()
    log("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        mark = fill_mark(conn) if reuse and not fresh_db else None
        if mark and mark.get("items") == n_items and mark.get("seed") == seed:
            now = datetime.fromisoformat(mark["now"])
            f = Fill(n_items, mark.get("issues", 0), seed, now, reused=True)
            age_h = (timezone.now() - now).total_seconds() / 3600
            log(f"reusing the fill of {mark['now']} ({age_h:.1f} h ago)")
            if age_h > 6:
                f.notes.append(f"the reused fill is {age_h:.0f} h old: time windows hold fewer items than on a fresh fill")
            return f
        if mark or conn.execute("SELECT EXISTS (SELECT 1 FROM situation_item)").fetchone()[0]:
            log("emptying the situation tables of the reused database")
            conn.execute("TRUNCATE situation_item, situation_issue, situation_alert, situation_source CASCADE")

    now = timezone.now().replace(microsecond=0)
    n_issues = max(50, n_items // 50)
    log(f"generating {n_items:,} items and {n_issues:,} issues (seed {seed})")
    sys.path.insert(0, str(BENCH_DIR))
    sys.dont_write_bytecode = True  # importing situation_analyze must not leave bench/__pycache__ behind
    gen = Generator(n_items, n_issues, seed, now)
    log("text pools (articles and posts, with their entities, dates and meetings)")
    texts = Texts(seed)
    source_ids = make_small_tables(gen)
    log("COPY")
    with psycopg.connect(PG_URL) as conn:  # one transaction: all or nothing
        fill(conn, gen, texts, source_ids)
        mark = {"items": n_items, "issues": n_issues, "seed": seed, "now": now.isoformat()}
        conn.execute(f"COMMENT ON TABLE situation_item IS '{FILL_MARK}{json.dumps(mark)}'")
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        log("VACUUM (ANALYZE)")
        # VACUUM, not only ANALYZE: a table just loaded by COPY has no visibility map, so no
        # index-only scans, and autovacuum would set it at some moment during the measurements.
        for table in ("situation_item", "situation_issue", "situation_alert", "situation_source"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    return Fill(n_items, n_issues, seed, now, seconds=time.perf_counter() - t0)


# ------------------------------------------------------------------ measuring

class Capture:
    """Django execute wrapper: every query with its parameters and time."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, time.perf_counter() - t))


@dataclass
class Sample:
    ms: float
    db_ms: float
    queries: int
    ratio: float = 0.0


@dataclass
class Measured:
    scenario: str
    name: str
    target_ms: float | None
    samples: list[Sample] = field(default_factory=list)
    last_queries: list[tuple[str, object, float]] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(s.ms for s in self.samples)

    @property
    def ratio(self) -> float:
        return statistics.median(s.ratio for s in self.samples)

    @property
    def missed(self) -> bool:
        return self.target_ms is not None and self.ms >= self.target_ms


def baseline_ms() -> float:
    from django.db import connection

    with connection.cursor() as cur:
        t = time.perf_counter()
        cur.execute("SELECT count(*) FROM situation_item")
        cur.fetchone()
        return 1000 * (time.perf_counter() - t)


def timed(fn) -> tuple[Sample, list]:  # type: ignore[no-untyped-def]
    from django.db import connection

    cap = Capture()
    with connection.execute_wrapper(cap):
        t = time.perf_counter()
        fn()
        ms = 1000 * (time.perf_counter() - t)
    return Sample(ms, 1000 * sum(q[2] for q in cap.queries), len(cap.queries)), cap.queries


def explain(sql: str, params: object) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(r[0] for r in cur.fetchall())


def baseline_plan() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN SELECT count(*) FROM situation_item")
        nodes = [re.sub(r"\s+\(cost=.*$", "", r[0]).strip(" ->") for r in cur.fetchall()]
    return " / ".join(n for n in nodes if n and not n.startswith("Workers"))


def measure(rounds: int, until: datetime) -> tuple[list[Measured], list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from satupintu.situation import selectors

    missing = [name for name in SELECTORS if not callable(getattr(selectors, name, None))]
    if missing:
        raise SetupError(f"selectors.py has no {', '.join(missing)}: update SELECTORS in this bench")
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-room").first() or user_model.objects.create_superuser(
        username="bench-room", email="bench-room@example.invalid", password=None)
    client = Client()
    client.force_login(user)
    room_url = reverse("situation_room")
    from urllib.parse import urlencode

    results: dict[tuple[str, str], Measured] = {}
    for label, _ in SCENARIOS:
        for name in SELECTORS:
            results[(label, name)] = Measured(label, name, TARGET_QUERY_MS)
    for label, _, target in PAGES:
        results[(label, "page")] = Measured(label, "page", target)

    def page(params: dict) -> None:
        response = client.get(f"{room_url}?{urlencode(params)}")
        if response.status_code != 200:
            raise SetupError(f"GET {room_url}?{urlencode(params)} answered {response.status_code}")

    groups = [(label, [(name, (lambda p=params, n=name: getattr(selectors, n)(
        selectors.parse_filter(p, until=until)))) for name in SELECTORS]) for label, params in SCENARIOS]
    groups += [(label, [("page", (lambda p=params: page(p)))]) for label, params, _ in PAGES]
    baselines: list[float] = []
    for r in range(rounds + 1):  # round 0 warms up (page cache, templates, map shapes) and is not counted
        prev = baseline_ms()
        round_base = [prev]
        for label, calls in groups:
            samples = []
            for name, fn in calls:
                sample, queries = timed(fn)
                samples.append((name, sample, queries))
            nxt = baseline_ms()
            round_base.append(nxt)
            for name, sample, queries in samples:
                sample.ratio = sample.ms / ((prev + nxt) / 2)
                if r:
                    m = results[(label, name)]
                    m.samples.append(sample)
                    m.last_queries = queries
            prev = nxt
        if r:
            baselines += round_base
            slowest = max((m for m in results.values() if m.samples), key=lambda m: m.samples[-1].ms)
            log(f"round {r}/{rounds}: count(*) {statistics.median(round_base):.0f} ms; slowest "
                f"{slowest.scenario} {slowest.name} {slowest.samples[-1].ms:.0f} ms")
        else:
            log(f"warm-up round done (count(*) {statistics.median(round_base):.0f} ms)")
    return list(results.values()), baselines


def server_facts() -> dict[str, str]:
    from django.db import connection

    facts = {}
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        facts["version"] = cur.fetchone()[0]
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather", "jit",
                     "random_page_cost"):
            cur.execute(f"SHOW {name}")
            facts[name] = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_table_size('situation_item')), "
                    "pg_size_pretty(pg_indexes_size('situation_item')), "
                    "(SELECT count(*) FROM situation_item WHERE duplicate_of_id IS NULL), "
                    "(SELECT count(*) FROM situation_issue)")
        facts["table"], facts["indexes"], facts["originals"], facts["issues"] = map(str, cur.fetchone())
    return facts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Situation Room dashboard queries at national scale on PostgreSQL.")
    p.add_argument("--items", type=int, default=1_000_000, help="items in situation_item (default 1,000,000)")
    p.add_argument("--rounds", type=int, default=3, help="measured rounds after one warm-up; medians (default 3)")
    p.add_argument("--seed", type=int, default=20, help="random seed of the data (default 20)")
    p.add_argument("--keep", action="store_true", help=f"keep the database {PG_DB} afterwards")
    p.add_argument("--reuse", action="store_true",
                   help="reuse a kept database if it holds a fill of the same --items and --seed (migrations still run)")
    p.add_argument("--explain", type=int, default=0, metavar="N",
                   help="also print EXPLAIN ANALYZE of the N slowest selector calls (misses are always explained)")
    p.add_argument("--output", type=Path, default=None, help="also write the results as JSON to this file")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = p.parse_args(argv)
    if args.items < 1000 or args.rounds < 1:
        p.error("--items must be at least 1000 and --rounds at least 1")

    raise_on_signals()

    data_dir = tempfile.mkdtemp(prefix="satupintu-bench-room-")
    os.environ["SATUPINTU_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = DATABASE_URL  # before django.setup(): settings read it once
    os.environ.pop("CACHE_URL", None)  # the file cache in the temporary dir, never a shared Redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    sys.path.insert(0, str(ROOT))
    created = False
    try:
        reused_db = prepare_database(args.reuse)
        created = True
        import django

        django.setup()
        filled = load(args.items, args.seed, reuse=reused_db, fresh_db=not reused_db)
        until = datetime.now(UTC)
        log(f"measuring: {len(SCENARIOS)} filters x {len(SELECTORS)} selectors + {len(PAGES)} pages, "
            f"{args.rounds} rounds")
        results, baselines = measure(args.rounds, until)
        facts = server_facts()
        base_plan = baseline_plan()
        explained: list[tuple[Measured, list[tuple[float, str, str]]]] = []
        misses = [m for m in results if m.missed]
        slowest = sorted((m for m in results if m.name != "page"), key=lambda m: -m.ms)[:args.explain]
        for m in misses + [m for m in slowest if m not in misses]:
            plans = []
            ranked = sorted(m.last_queries, key=lambda q: -q[2])
            for sql, params, secs in ranked[:3]:
                if m.name == "page" and secs < 0.1:
                    continue
                plans.append((1000 * secs, sql, explain(sql, params)))
            explained.append((m, plans))
    except Interrupted as e:
        log(f"interrupted ({e})")
        return 130
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except SetupError as e:
        log(f"cannot run: {e}")
        return 2
    finally:
        try:
            if created and not args.keep:
                drop_database()
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    base = statistics.median(baselines)
    print()
    print(f"Situation Room dashboard queries on PostgreSQL {facts['version']}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    print(f"server: shared_buffers {facts['shared_buffers']}, work_mem {facts['work_mem']}, effective_cache_size "
          f"{facts['effective_cache_size']}, parallel workers/gather {facts['max_parallel_workers_per_gather']}, "
          f"jit {facts['jit']}, random_page_cost {facts['random_page_cost']}")
    fill_what = "reused" if filled.reused else f"filled in {filled.seconds:.0f} s"
    print(f"data: {filled.items:,} items ({facts['originals']} originals, the rest near-duplicates), "
          f"{facts['issues']} issues, {DAYS} days to {filled.now:%Y-%m-%d %H:%M} UTC; {fill_what}; "
          f"table {facts['table']} + indexes {facts['indexes']}")
    for note in filled.notes:
        print(f"note: {note}")
    print(f"baseline SELECT count(*) FROM situation_item: median {base:.0f} ms "
          f"(range {min(baselines):.0f}-{max(baselines):.0f} over {len(baselines)} runs; plan: {base_plan})")
    print()
    header = f"{'filter':<24}{'selector':<15}{'ms':>9}{'min-max':>15}{'vs count(*)':>13}{'queries':>9}{'db ms':>9}  target"
    print(header)
    print("-" * len(header))
    for m in results:
        lo, hi = min(s.ms for s in m.samples), max(s.ms for s in m.samples)
        target = "" if m.target_ms is None else (f"MISS (<{m.target_ms:.0f})" if m.missed else "ok")
        db = statistics.median(s.db_ms for s in m.samples)
        print(f"{m.scenario:<24}{m.name:<15}{m.ms:>9.1f}{f'{lo:.0f}-{hi:.0f}':>15}{m.ratio:>12.2f}x"
              f"{m.samples[-1].queries:>9}{db:>9.1f}  {target}")
    print()
    selector_misses = [m for m in results if m.missed and m.name != "page"]
    page_misses = [m for m in results if m.missed and m.name == "page"]
    worst = max((m for m in results if m.name != "page"), key=lambda m: m.ms)
    print(f"slowest selector: {worst.scenario} {worst.name} {worst.ms:.0f} ms ({worst.ratio:.2f}x count(*))")
    for m, plans in explained:
        why = "MISSES its target" if m.missed else "among the slowest"
        print()
        print(f"=== {m.scenario} / {m.name}: {m.ms:.0f} ms median, {why}")
        for ms, sql, plan in plans:
            print(f"--- query ({ms:.0f} ms in the last round):")
            print(sql)
            print("--- EXPLAIN (ANALYZE, BUFFERS):")
            print(plan)
    print()
    ok = not selector_misses and not page_misses
    print(f"targets: every selector < {TARGET_QUERY_MS:.0f} ms: "
          f"{'ok' if not selector_misses else 'MISSED by ' + ', '.join(f'{m.scenario} {m.name}' for m in selector_misses)}")
    page7 = next(m for m in results if m.name == "page" and m.target_ms)
    print(f"         room page 7 days < {TARGET_PAGE_MS:.0f} ms: {'ok' if not page_misses else 'MISSED'} "
          f"({page7.ms:.0f} ms)")
    print(f"verdict: {'PASS' if ok else 'FAIL'}")

    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps({
            "when": datetime.now(UTC).isoformat(timespec="seconds"), "items": filled.items, "server": facts,
            "baseline_ms": base, "baselines_ms": baselines, "fill_s": filled.seconds,
            "results": [{"filter": m.scenario, "selector": m.name, "median_ms": m.ms, "ratio": m.ratio,
                         "samples": [s.__dict__ for s in m.samples], "target_ms": m.target_ms, "missed": m.missed}
                        for m in results],
            "verdict": "PASS" if ok else "FAIL",
        }, indent=2), encoding="utf-8")
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
