"""A polite HTTP client for feeds and pages.

Polite means: it says who it is (User-Agent with our site's address), asks robots.txt first,
leaves a gap between two requests to the same host (longer when the site's Crawl-delay says
so), sends the validators of the last answer (If-None-Match / If-Modified-Since) so an
unchanged feed costs the site a 304, and never reads more than it can use (time and size
limits). Every failure is a `FetchError` whose message officers can read.

One `PoliteFetcher` per run (or per worker process) is meant to be shared by threads: the
robots.txt cache and the per-host clock live in it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import cached_property
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from satupintu.core.netguard import deadline, guarded_client
from satupintu.core.numbers import typed_int
from satupintu.situation.ingest.encoding import charset_of, decode_bytes
from satupintu.situation.ingest.errors import MAX_RETRY_AFTER, FetchError
from satupintu.situation.ingest.robots import MAX_ROBOTS_BYTES, RobotsPolicy

__all__ = ["FetchError", "FetchResponse", "PoliteFetcher", "parse_retry_after"]

_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"


def _setting(name: str, default):  # type: ignore[no-untyped-def]
    return getattr(settings, name, default)


def default_user_agent() -> str:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return _setting("SITUATION_USER_AGENT", f"SatuPintuBot/1.0 (+{site})")


def parse_retry_after(value: str | None, now: datetime | None = None) -> int | None:
    """Seconds to wait, from "120" or an HTTP date; None when absent or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # not "²": int() refuses it
        # More digits than a wait could need (or int() could read): the longest wait allowed.
        seconds = n if (n := typed_int(value)) is not None else MAX_RETRY_AFTER
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = math.ceil((when - (now or datetime.now(timezone.utc))).total_seconds())
    return min(max(seconds, 0), MAX_RETRY_AFTER)


@dataclass
class FetchResponse:
    """What came back from the last hop of a GET."""

    url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    @cached_property
    def text(self) -> str:
        return decode_bytes(self.body, charset_of(self.content_type))


class HostClock:
    """Hands out request slots per host: two requests to one host start at least `interval`
    apart, also across threads (each caller reserves its slot under the lock, then sleeps
    outside it). A wait longer than `max_wait` is refused rather than slept, so a worker thread
    is never parked for minutes behind one slow site."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._held_until: dict[str, float] = {}

    def wait_turn(self, host: str, interval: float, max_wait: float) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._last.get(host, -math.inf) + interval, self._held_until.get(host, now))
            wait = slot - now
            if wait > max_wait:
                raise FetchError("host_busy", retry_after=math.ceil(wait))
            self._last[host] = slot
        if wait > 0:
            time.sleep(wait)

    def hold(self, host: str, seconds: float) -> None:
        """The host asked us (Retry-After) to leave it alone for a while."""
        with self._lock:
            until = time.monotonic() + seconds
            self._held_until[host] = max(self._held_until.get(host, until), until)


@contextmanager
def _translated_errors() -> Iterator[None]:
    """httpx's exceptions, as the few reasons an officer can act on."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchError("timeout") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        # get() checked the address it was given, so this is where a redirect pointed.
        raise FetchError("bad_url", detail="pengalihan ke alamat yang tidak didukung") from exc
    except httpx.ConnectError as exc:
        # A refused address (netguard) is a ConnectError too, and reads like a closed port.
        raise FetchError("tls" if "CERTIFICATE" in str(exc).upper() else "connect") from exc
    except httpx.DecodingError as exc:
        raise FetchError("bad_content", detail="kompresi (Content-Encoding) rusak") from exc
    except httpx.TransportError as exc:
        raise FetchError("network") from exc


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port else ""
    host = f"[{url.host}]" if ":" in url.host else url.host  # an IPv6 literal keeps its brackets
    return f"{url.scheme}://{host}{port}"


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("bad_url", detail=url or "(kosong)")


class PoliteFetcher:
    def __init__(self, *, user_agent: str | None = None, connect_timeout: float | None = None,
                 read_timeout: float | None = None, total_timeout: float | None = None,
                 max_bytes: int | None = None, max_redirects: int | None = None,
                 host_interval: float | None = None, max_wait: float | None = None,
                 robots_ttl: float | None = None):
        def pick(value, name, default):  # type: ignore[no-untyped-def]
            return value if value is not None else _setting(name, default)

        self.user_agent = user_agent or default_user_agent()
        # robots.txt groups are matched on the product token ("SatuPintuBot"), not the whole header.
        self.agent_token = self.user_agent.split("/")[0].strip()
        connect = float(pick(connect_timeout, "SITUATION_FETCH_CONNECT_TIMEOUT", 5.0))
        read = float(pick(read_timeout, "SITUATION_FETCH_READ_TIMEOUT", 15.0))
        self.total_timeout = float(pick(total_timeout, "SITUATION_FETCH_TOTAL_TIMEOUT", 60.0))
        self.max_bytes = int(pick(max_bytes, "SITUATION_FETCH_MAX_BYTES", 5 * 1024 * 1024))
        self.max_redirects = int(pick(max_redirects, "SITUATION_FETCH_MAX_REDIRECTS", 5))
        self.host_interval = float(pick(host_interval, "SITUATION_FETCH_HOST_INTERVAL", 1.0))
        self.max_wait = float(pick(max_wait, "SITUATION_FETCH_MAX_WAIT", 30.0))
        self.robots_ttl = float(pick(robots_ttl, "SITUATION_ROBOTS_TTL", 3600.0))
        # Every connection (robots.txt, the source, each redirect hop) goes through the guard:
        # a source URL is typed by an officer and must not reach the intranet (core/netguard.py).
        self._client = guarded_client(
            timeout=httpx.Timeout(connect=connect, read=read, write=read, pool=connect),
            headers={"User-Agent": self.user_agent, "Accept": _ACCEPT, "Accept-Language": "id, en;q=0.5"},
            follow_redirects=False,  # we follow them ourselves, asking robots.txt at every hop
        )
        self._clock = HostClock()
        self._robots: dict[str, RobotsPolicy] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots_guard = threading.Lock()

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- the one public call ----------------------------------------------------------------

    def get(self, url: str, etag: str = "", last_modified: str = "") -> FetchResponse:
        """GET `url`; a 304 to our validators comes back with `not_modified=True` and no body."""
        _check_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._exchange(url, headers, obey_robots=True, max_bytes=self.max_bytes)

    # -- robots.txt ---------------------------------------------------------------------------

    def _policy(self, url: httpx.URL) -> RobotsPolicy:
        origin = _origin(url)
        with self._robots_guard:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        # One lock per site: threads asking for the same site wait for one robots.txt request.
        with lock:
            policy = self._robots.get(origin)
            if policy is None or policy.expires_at <= time.monotonic():
                policy = self._load_robots(origin)
                self._robots[origin] = policy
            return policy

    def _load_robots(self, origin: str) -> RobotsPolicy:
        try:
            response = self._exchange(f"{origin}/robots.txt", {}, obey_robots=False,
                                      max_bytes=MAX_ROBOTS_BYTES, truncate=True)
        except FetchError as exc:
            if exc.message_id == "host_busy":
                raise  # not an answer about robots.txt: ask again on the next turn
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return RobotsPolicy(expires_at=time.monotonic() + self.robots_ttl)
            return RobotsPolicy.unreadable(exc, time.monotonic())
        return RobotsPolicy.from_text(response.text, time.monotonic() + self.robots_ttl)

    def _interval(self, url: httpx.URL) -> float:
        policy = self._robots.get(_origin(url))
        delay = policy.delay(self.agent_token) if policy else 0.0
        return max(self.host_interval, delay)

    # -- one GET, hop by hop ------------------------------------------------------------------

    def _exchange(self, url: str, headers: dict[str, str], *, obey_robots: bool, max_bytes: int,
                  truncate: bool = False) -> FetchResponse:
        with _translated_errors():
            request = self._client.build_request("GET", url, headers=headers)
            for _hop in range(self.max_redirects + 1):
                if obey_robots:
                    self._policy(request.url).check(str(request.url), self.agent_token)
                self._clock.wait_turn(request.url.host, self._interval(request.url), self.max_wait)
                # The read timeout is per socket read: a server dripping its headers or body a
                # byte at a time would never trip it, so each hop also has a deadline.
                with deadline(self.total_timeout):
                    response = self._client.send(request, stream=True)
                    try:
                        if response.next_request is None:
                            return self._finish(response, max_bytes, truncate)
                        request = response.next_request
                    finally:
                        response.close()
        raise FetchError("too_many_redirects")

    def _finish(self, response: httpx.Response, max_bytes: int, truncate: bool) -> FetchResponse:
        status = response.status_code
        if status == 304:
            return FetchResponse(str(response.url), status, response.headers, b"", not_modified=True)
        if status >= 300:  # redirects with a Location never get here
            raise self._status_error(response)
        body = self._read_body(response, max_bytes, truncate)
        return FetchResponse(str(response.url), status, response.headers, body)

    def _status_error(self, response: httpx.Response) -> FetchError:
        retry_after = None
        if response.status_code in (429, 503):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after:
                # Other sources on the same host are deferred too, not just this one.
                self._clock.hold(response.url.host, retry_after)
        return FetchError("http_status", status=response.status_code, retry_after=retry_after)

    def _read_body(self, response: httpx.Response, max_bytes: int, truncate: bool) -> bytes:
        too_large = FetchError("too_large", status=response.status_code, detail=f"{max_bytes // 1024} KB")
        declared = response.headers.get("content-length", "")
        size = typed_int(declared)  # None for digits past any real size: too large as well
        if declared.isascii() and declared.isdigit() and not truncate and (size is None or size > max_bytes):
            raise too_large  # refused before reading a byte
        chunks, size = [], 0
        for chunk in response.iter_bytes():  # decompressed, so a gzip bomb is caught here too
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                if truncate:
                    return b"".join(chunks)[:max_bytes]
                raise too_large
        return b"".join(chunks)
