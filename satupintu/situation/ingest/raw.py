"""What every reader (feed, page, social export) hands over: one text with its provenance."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from satupintu.core.links import is_web_link

# Times written without a zone (CSV exports, date-only page metadata) are read as WIB: most
# offices and most national media publish in Western Indonesian Time.
LOCAL_TZ = ZoneInfo("Asia/Jakarta")

# Column sizes of `Item`, so that a long value never makes the caller's INSERT fail.
MAX_EXTERNAL_ID = 300
MAX_TITLE = 500
MAX_AUTHOR = 200
MAX_URL = 800
MIN_YEAR, MAX_YEAR = 2000, 2100  # a publication date outside these years is a feed's mistake


def stable_id(*parts: str) -> str:
    """The same parts give the same id in every run (unlike hash(), which is salted per process)."""
    joined = "\x1f".join(parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:40]


@dataclass
class RawItem:
    external_id: str
    text: str
    title: str = ""
    url: str = ""
    author: str = ""
    published_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.published_at is not None and self.published_at.utcoffset() is None:
            raise ValueError("RawItem.published_at must be timezone-aware")
        if self.published_at is not None and not MIN_YEAR <= self.published_at.year <= MAX_YEAR:
            # A feed's "31 Dec 9999" (or year 1) overflowed when shifted to local time and made the
            # whole batch fail on every fetch: such a date is as good as none (the fetch time).
            self.published_at = None
        self.text = self.text.strip()
        self.title = self.title.strip()[:MAX_TITLE]
        self.author = self.author.strip()[:MAX_AUTHOR]
        # A cut URL would point somewhere else: drop it instead. Only web links are kept: a
        # "javascript:" link from a hostile feed would run in an officer's browser when clicked.
        url = self.url.strip()
        self.url = url if is_web_link(url, MAX_URL) else ""
        self.external_id = self.external_id.strip()
        if len(self.external_id) > MAX_EXTERNAL_ID:
            # Cutting could make two long ids (same prefix) collide; hashing keeps them apart.
            self.external_id = "sha256:" + hashlib.sha256(self.external_id.encode("utf-8")).hexdigest()
        if not self.external_id:
            raise ValueError("RawItem.external_id must not be empty")
