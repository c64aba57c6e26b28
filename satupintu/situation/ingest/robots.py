"""What a site's robots.txt allows us, parsed with `urllib.robotparser`.

Three outcomes, following RFC 9309:
- the file was read: its rules apply (and its Crawl-delay / Request-rate slow us down);
- the file does not exist (any 4xx but 429): everything is allowed;
- the file could not be read (5xx, 429, timeout, network error): nothing is allowed for now.
  A server that fails on its smallest file is either down or overloaded, and we cannot know
  what its owner forbids; the RFC asks crawlers to assume a complete disallow. The fetcher
  remembers this only briefly (`FAILURE_TTL`), so the next run asks again.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from satupintu.situation.ingest.errors import UNREACHABLE, FetchError

FAILURE_TTL = 600.0  # seconds an unreadable robots.txt blocks a site before we ask again
MAX_CRAWL_DELAY = 24 * 3600.0  # a site asking for more than a day between requests gets a day
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB; anything after that is ignored


def _readable_lines(text: str) -> list[str]:
    """The lines, less a Crawl-delay or Request-rate whose value is not ASCII: the parser takes
    "²" for a digit, int() refuses it, and the whole file failed to parse."""
    kept = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("crawl-delay", "request-rate") and not value.isascii():
            continue
        kept.append(line)
    return kept


def _longest_match_first(parser: RobotFileParser) -> None:
    """urllib.robotparser applies the first rule that matches, in file order, so "Allow: /" above
    "Disallow: /admin" would allow /admin. RFC 9309 (and Google) apply the most specific rule, with
    Allow winning a tie: sorting each group's rules that way makes first-match give that answer."""
    # entries/default_entry are the parser's own (undocumented, stable since Python 2) rule lists.
    groups = list(parser.entries) + ([parser.default_entry] if parser.default_entry else [])  # type: ignore[attr-defined]
    for entry in groups:
        entry.rulelines.sort(key=lambda rule: (len(rule.path), rule.allowance), reverse=True)


@dataclass
class RobotsPolicy:
    parser: RobotFileParser | None = None  # None and no error: there is no robots.txt
    error: FetchError | None = None  # robots.txt could not be read: nothing is allowed
    expires_at: float = 0.0  # monotonic time after which robots.txt is read again

    @classmethod
    def from_text(cls, text: str, expires_at: float) -> RobotsPolicy:
        parser = RobotFileParser()
        parser.parse(_readable_lines(text))
        _longest_match_first(parser)
        return cls(parser=parser, expires_at=expires_at)

    @classmethod
    def unreadable(cls, cause: FetchError, now: float) -> RobotsPolicy:
        if cause.message_id in UNREACHABLE:
            # The same words as when the page itself cannot be reached: neutral (errors.py).
            return cls(error=FetchError(cause.message_id), expires_at=now + FAILURE_TTL)
        # No status: FetchLog.status_code and Source.last_status describe the source's own URL.
        error = FetchError("robots_unavailable", retry_after=cause.retry_after, detail=cause.reason)
        return cls(error=error, expires_at=now + FAILURE_TTL)

    def check(self, url: str, agent: str) -> None:
        """Raise FetchError unless `agent` may fetch `url`."""
        if self.error is not None:
            # A fresh exception each time: re-raising one instance would pile up tracebacks.
            raise FetchError(self.error.message_id, retry_after=self.error.retry_after, detail=self.error.detail)
        if self.parser is not None and not self.parser.can_fetch(agent, url):
            raise FetchError("robots_disallowed")

    def delay(self, agent: str) -> float:
        """Seconds the site asks between our requests (0 when it says nothing)."""
        if self.parser is None:
            return 0.0
        delay = float(self.parser.crawl_delay(agent) or 0)
        rate = self.parser.request_rate(agent)
        if rate and rate.requests > 0:
            delay = max(delay, rate.seconds / rate.requests)
        return min(delay, MAX_CRAWL_DELAY)
