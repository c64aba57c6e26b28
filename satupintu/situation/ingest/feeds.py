"""RSS 0.9x/2.0, RDF (RSS 1.0) and Atom feeds into `RawItem`s, with feedparser."""

from __future__ import annotations

import io
from calendar import timegm
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser
import lxml.html
from lxml import etree

from satupintu.situation.ingest.encoding import charset_of
from satupintu.situation.ingest.errors import FetchError
from satupintu.situation.ingest.raw import RawItem, stable_id

# Elements after which the text of an HTML fragment starts a new line.
_BLOCKS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table",
           "section", "article", "figure", "figcaption", "pre", "hr", "dd", "dt")
_DROPPED = ("script", "style", "noscript", "iframe", "object", "embed", "template")


def html_to_text(fragment: str) -> str:
    """The readable text of an HTML fragment, one line per block, whitespace tidied."""
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(fragment.split())
    for element in root.xpath("|".join(f"//{tag}" for tag in _DROPPED)):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        # lxml's text_content() glues "<p>a</p><p>b</p>" into "ab"; a newline keeps them apart.
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _detail_text(detail) -> str:  # type: ignore[no-untyped-def]
    """Text of a feedparser value with its type (text/plain, text/html, application/xhtml+xml)."""
    if not detail or not detail.get("value"):
        return ""
    if detail.get("type") == "text/plain":
        return detail["value"].strip()
    return html_to_text(detail["value"])


def _entry_text(entry) -> str:  # type: ignore[no-untyped-def]
    # Full content when the feed has it (Atom <content>, RSS <content:encoded>), else the summary.
    contents = [_detail_text(c) for c in entry.get("content", [])]
    best = max(contents, key=len, default="")
    return best or _detail_text(entry.get("summary_detail"))


def _entry_time(entry) -> datetime | None:  # type: ignore[no-untyped-def]
    # feedparser normalises every date format it knows to a UTC struct_time.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(timegm(parsed), tz=timezone.utc)
    except (OverflowError, ValueError, OSError):  # "0000-01-01": an entry with no usable date
        return None


def _entry_item(entry, base_url: str, feed_author: str) -> RawItem | None:  # type: ignore[no-untyped-def]
    # feedparser may keep a key with None (e.g. a <title> cut off by a syntax error).
    title = _detail_text(entry.get("title_detail")) or entry.get("title") or ""
    text = _entry_text(entry) or title  # a title-only entry (common in RSS) is still news
    if not text:
        return None
    link = entry.get("link") or ""
    if link == entry.get("id") and not link.startswith(("http://", "https://")):
        link = ""  # feedparser copied a <guid>123</guid> into the link: it is no address
    try:
        link = urljoin(base_url, link) if link else ""
    except ValueError:  # "http://[oops/x": no address; the entry is still news
        link = ""
    published = _entry_time(entry)
    external_id = entry.get("id") or link or stable_id(title, text)
    # RSS writes "humas@x.go.id (Humas Jateng)"; feedparser's author_detail has the name alone.
    author = (entry.get("author_detail") or {}).get("name") or entry.get("author") or feed_author
    return RawItem(external_id=external_id, text=text, title=" ".join(title.split()), url=link,
                   author=author, published_at=published)


def _looks_like_html(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith(b"<!doctype html") or head.startswith(b"<html")


def _only_warnings(parsed) -> bool:  # type: ignore[no-untyped-def]
    # feedparser flags harmless things too (an encoding declared wrongly, a missing namespace);
    # those are not a broken feed.
    return isinstance(parsed.get("bozo_exception"), feedparser.ThingsNobodyCaresAboutButMe)


def _items(parsed, base_url: str) -> list[RawItem]:  # type: ignore[no-untyped-def]
    feed_author = parsed.feed.get("author") or ""
    items, seen = [], set()
    for entry in parsed.entries:
        item = _entry_item(entry, base_url, feed_author)
        if item is not None and item.external_id not in seen:
            seen.add(item.external_id)
            items.append(item)
    return items


def parse_feed(body: bytes, base_url: str, content_type: str = "") -> list[RawItem]:
    """Items of a feed, in the feed's order, without repeated ids.

    A feed with a syntax error but readable entries is accepted (many real feeds have one, e.g.
    an HTML entity XML does not know); a broken feed with nothing readable is an error, an
    intact feed with no entries is simply empty. `content_type` is the HTTP header, if any."""
    # application/xml lets the document's own declaration name its encoding (RFC 3023 would read
    # a bare text/xml as ASCII); an explicit charset from the server still wins.
    charset = charset_of(content_type)
    # No content-location: feedparser would resolve a plain <guid>123</guid> against it, and the
    # item's identity would then change whenever the feed moves. Links are joined by _entry_item.
    headers = {"content-type": f"application/xml; charset={charset}" if charset else "application/xml"}
    # Bytes in a BytesIO: feedparser treats a bare str or bytes as a URL or a file name and opens it.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    items = _items(parsed, base_url)
    if items:
        return items
    if _looks_like_html(body) or not (parsed.get("version") or parsed.get("bozo")):
        raise FetchError("not_a_feed")
    if parsed.get("bozo") and not _only_warnings(parsed):
        raise FetchError("malformed_feed")
    return []
