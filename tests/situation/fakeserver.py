"""A small web site on 127.0.0.1 that speaks real HTTP, for the ingestion tests.

It serves feeds with validators (and 304s), news pages, a robots.txt with a Disallow, and the
ways sites fail: 500, 503/429 with Retry-After, a slow answer, a huge body, redirects (also in
a loop), a malformed feed. It records every request (path, headers, arrival time) so tests can
check what the fetcher sent and when, and what it never asked for.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROBOTS = """\
User-agent: *
Disallow: /private

User-agent: GreedyBot
Disallow: /
Crawl-delay: 30
"""

FEED_ETAG = '"rss-v1"'
ATOM_ETAG = 'W/"atom-v1"'
LAST_MODIFIED = "Mon, 08 Jan 2024 03:00:00 GMT"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Kanwil Kemenag Sulsel</title><link>/</link><description>Berita</description>
<item>
  <title>Rakor Kehumasan di Pangkep</title>
  <link>/berita/rakor-kehumasan</link>
  <guid isPermaLink="false">sulsel-2024-0108-1</guid>
  <pubDate>Mon, 08 Jan 2024 10:00:00 +0700</pubDate>
  <description>&lt;p&gt;Ringkasan &lt;b&gt;singkat&lt;/b&gt;.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>Humas, Data dan Informasi menggelar <a href="/rakor">Rapat Koordinasi</a>.</p>
  <script>track()</script><p>Website Kemenag Sulsel membukukan 67 ribu berita.</p>]]></content:encoded>
</item>
<item>
  <title>Pendaftaran haji reguler dibuka</title>
  <link>https://sulsel.kemenag.go.id/berita/haji</link>
  <pubDate>Sun, 07 Jan 2024 08:30:00 +0700</pubDate>
  <description>Calon jemaah diminta melunasi BPIH &amp; mengikuti manasik.</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Kemenag Jateng</title><id>urn:kemenag:jateng</id><updated>2024-01-08T03:00:00Z</updated>
  <entry>
    <title type="html">Kakanwil ajak &lt;em&gt;terobosan&lt;/em&gt; layanan</title>
    <id>tag:jateng.kemenag.go.id,2024:berita-17</id>
    <link rel="alternate" href="https://jateng.kemenag.go.id/berita/17"/>
    <updated>2024-01-08T03:00:00Z</updated>
    <author><name>Humas Jateng</name></author>
    <content type="html">&lt;p&gt;Lakukan terobosan dalam perbaikan layanan.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;satu&lt;/li&gt;&lt;li&gt;dua&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://kaltim.kemenag.go.id/"><title>Kemenag Kaltim</title>
    <link>https://kaltim.kemenag.go.id/</link><description>Berita</description></channel>
  <item rdf:about="https://kaltim.kemenag.go.id/berita/rakernas">
    <title>Rakernas 2021 secara virtual</title><link>https://kaltim.kemenag.go.id/berita/rakernas</link>
    <description>Kementerian Agama menggelar Rakernas secara daring dan luring.</description>
    <dc:date>2021-04-05T13:46:00+08:00</dc:date><dc:creator>Maharani</dc:creator>
  </item>
</rdf:RDF>
"""

MALFORMED_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Rusak</title><item><title>Judul tanpa penutup</channel>
"""

# Undefined entity (&nbsp; is HTML, not XML) after a good entry: bozo, but the entry is readable.
BOZO_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Hampir benar</title>
<item><title>Entri yang terbaca</title><guid>ok-1</guid><description>Isi entri.</description></item>
<item><title>Rusak&nbsp;di sini</title></item></channel></rss>
"""

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# Lines the scraper that produced the seeds kept from the sites' templates.
_SEED_BOILERPLATE = re.compile(
    r"^(facebook|twitter|telegram|whatsapp|email|print|wa layanan|senin - jumat|[\d.\s-]+|.*dibaca \d+ kali)$",
    re.IGNORECASE)


@dataclass
class SeedArticle:
    title: str
    paragraphs: list[str]


def seed_article(path: Path) -> SeedArticle:
    """A seed text without the template lines it carries; its first line is the title when it
    reads like one (no closing full stop), else the first words of the first paragraph are."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not _SEED_BOILERPLATE.match(line)]
    if not lines[0].endswith("."):
        return SeedArticle(lines[0], lines[1:])
    return SeedArticle(" ".join(lines[0].split()[:8]), lines)


def news_page(article: SeedArticle, layout: str = "theme") -> str:
    """The article inside the template of a regional office site: menu, a date line with a view
    counter, share buttons above and below, a sidebar with office hours, popular posts, comments
    and a footer. "theme" is a WordPress-like page with semantic tags and class names; "plain"
    is an older CMS's div soup with nothing that names the parts."""
    title = html.escape(article.title)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    if layout == "plain":
        return _PLAIN.format(title=title, body=body)
    return _THEME.format(title=title, body=body)


_THEME = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title} | Kemenag</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-01-08T10:00:00+07:00">
<meta name="author" content="Maharani Ramadhanty Fitria">
</head><body class="single has-sidebar">
<header class="site-header"><div class="topbar">081128099990 WA Layanan</div>
<nav class="main-menu"><ul><li><a href="/">Beranda</a></li><li><a href="/profil">Profil</a></li>
<li><a href="/berita">Berita</a></li><li><a href="/ptsp">Layanan PTSP</a></li><li><a href="/kontak">Kontak</a></li></ul></nav>
</header>
<div id="page" class="site-content"><main id="main"><article class="post type-post">
<h1 class="entry-title">{title}</h1>
<div class="entry-meta"><span class="posted-on">Senin, 08 Januari 2024 | 10:00</span>
<span class="post-views">Dibaca 35 kali</span></div>
<div class="share-buttons"><span>Bagikan:</span> <a href="#">Facebook</a> <a href="#">Twitter</a>
<a href="#">Telegram</a> <a href="#">WhatsApp</a> <a href="#">Email</a> <a href="#">Print</a></div>
<div class="entry-content">
{body}
</div>
<div class="sharedaddy"><h3>Share this:</h3><a href="#">Share</a> <a href="#">Tweet</a></div>
</article>
<section id="comments" class="comments-area"><h3>Komentar</h3>
<p>Mantap, semoga sukses selalu untuk jajaran Kemenag!</p></section>
</main>
<aside id="secondary" class="widget-area">
<section class="widget"><h3>Jam Pelayanan</h3><p>Jam pelayanan Senin-Jumat 08.00-16.00</p>
<p>WA Layanan 081128099990</p></section>
<section class="widget"><h3>Berita Terpopuler</h3><ul>
<li><a href="/b/2">Kemenag gelar pelatihan moderasi beragama bagi penyuluh agama</a></li>
<li><a href="/b/3">Pendaftaran haji reguler tahun ini resmi dibuka</a></li></ul></section>
</aside></div>
<footer class="site-footer"><p>Hak cipta © 2024 Kantor Wilayah Kementerian Agama</p>
<p>Ikuti kami: Facebook Instagram YouTube</p></footer>
</body></html>
"""

_PLAIN = """<html><head><title>{title}</title></head><body>
<div class="container">
<div class="row"><div class="col-md-12"><a href="/">Beranda</a> | <a href="/profil">Profil</a> |
<a href="/berita">Berita</a> | <a href="/ptsp">PTSP</a></div></div>
<div class="row"><div class="col-md-8">
<h2>{title}</h2>
<div class="small text-muted">Senin, 08 Januari 2024 | 10:00 &nbsp;&nbsp; Dibaca 35 kali</div>
<div><a>Facebook</a> <a>Twitter</a> <a>Telegram</a> <a>WhatsApp</a> <a>Email</a> <a>Print</a></div>
<div>Bagikan</div>
{body}
<p>Bagikan artikel ini:</p>
<p><a>Facebook</a> <a>Twitter</a></p>
</div>
<div class="col-md-4"><h4>Jam Pelayanan</h4><p>Jam pelayanan Senin-Jumat 08.00-16.00</p>
<p>081128099990</p><p>WA Layanan</p></div>
</div>
<div class="row"><p>Copyright 2024 Kemenag Kota Magelang</p></div></div></body></html>
"""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]  # names in lower case
    at: float  # time.monotonic() when the request line arrived


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
        pass  # clients that time out or refuse a huge body hang up on us: expected here


Route = Callable[["_Handler"], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: FakeSite

    def log_message(self, format, *args):  # type: ignore[no-untyped-def]
        pass

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.site.record(self)
        route = self.site.routes.get(self.path.split("?")[0])
        if route is None:
            self.answer(404, b"tidak ada", "text/plain")
        else:
            route(self)

    def answer(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
               headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


def conditional(body: str, content_type: str, etag: str, last_modified: str = LAST_MODIFIED) -> Route:
    """A resource with validators that answers 304 when the client already has it."""
    def route(handler: _Handler) -> None:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if (handler.headers.get("If-None-Match") == etag
                or handler.headers.get("If-Modified-Since") == last_modified):
            handler.answer(304, headers=validators)
        else:
            handler.answer(200, body.encode("utf-8"), content_type, validators)
    return route


def static(body: str | bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
           headers: dict[str, str] | None = None) -> Route:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda handler: handler.answer(status, data, content_type, headers)


def redirect(location: str, status: int = 301) -> Route:
    return lambda handler: handler.answer(status, b"", headers={"Location": location})


def slow(seconds: float) -> Route:
    def route(handler: _Handler) -> None:
        time.sleep(seconds)
        handler.answer(200, b"terlambat")
    return route


def dripping(part: str, every: float = 0.05, give_up_after: float = 30.0) -> Route:
    """Headers (``part="headers"``) or a body dripped a byte at a time, each byte well inside any
    read timeout, until the client goes away (or ``give_up_after`` seconds, then it completes)."""
    def route(handler: _Handler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        filler = b"X-Padding: " + b"a" * 4096 + b"\r\n"
        body = b"<p>" + b"x" * 4096 + b"</p>"
        if part == "headers":
            slow, fast = filler + b"Content-Length: 3\r\n\r\n", b"abc"
            handler.wfile.write(head)
        else:
            slow, fast = body, b""
            handler.wfile.write(head + b"Content-Length: %d\r\n\r\n" % len(body))
        handler.close_connection = True
        stop = time.monotonic() + give_up_after
        try:
            handler.wfile.flush()
            for i in range(len(slow)):
                handler.wfile.write(slow[i:i + 1])
                handler.wfile.flush()
                if time.monotonic() > stop:
                    handler.wfile.write(slow[i + 1:] + fast)
                    return
                time.sleep(every)
            handler.wfile.write(fast)
        except OSError:  # the client gave up: what the test wanted
            return
    return route


def streamed(size: int) -> Route:
    """A body with no Content-Length (ends when the connection closes): only reading tells its size."""
    def route(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        chunk = b"x" * 16384
        for _ in range(size // len(chunk)):
            handler.wfile.write(chunk)
    return route


def robots(text_or_status: str | int) -> Route:
    if isinstance(text_or_status, int):
        return static("galat", status=text_or_status, content_type="text/plain")
    return static(text_or_status, content_type="text/plain")


class FakeSite:
    """`with FakeSite() as site:` serves on `site.url(path)` until the block ends."""

    def __init__(self, robots_txt: str | int = ROBOTS):
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self.routes: dict[str, Route] = {
            "/robots.txt": robots(robots_txt),
            "/feed.rss": conditional(RSS, "application/rss+xml; charset=utf-8", FEED_ETAG),
            "/feed.atom": conditional(ATOM, "application/atom+xml", ATOM_ETAG),
            "/feed.rdf": static(RDF, content_type="application/rdf+xml"),
            "/feed-malformed.xml": static(MALFORMED_FEED, content_type="application/xml"),
            "/feed-bozo.xml": static(BOZO_FEED, content_type="application/xml"),
            "/old-feed": redirect("/feed.rss"),
            "/to-private": redirect("/private/laporan.html", 302),
            "/loop": redirect("/loop", 302),
            "/private/laporan.html": static("<p>rahasia</p>"),
            "/error": static("galat server", status=500),
            "/unavailable": static("pemeliharaan", status=503, headers={"Retry-After": "120"}),
            "/busy": static("terlalu sering", status=429, headers={"Retry-After": "7200"}),
            "/slow": slow(1.0),
            "/drip-headers": dripping("headers"),
            "/drip-body": dripping("body"),
            "/huge": static(b"x" * (256 * 1024)),
            "/huge-stream": streamed(256 * 1024),
            "/logo.png": static(b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        }
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        # A short poll keeps shutdown() quick (the default half second would add up across tests).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def record(self, handler: _Handler) -> None:
        seen = Seen(handler.path, {k.lower(): v for k, v in handler.headers.items()}, time.monotonic())
        with self._lock:
            self.requests.append(seen)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def __enter__(self) -> FakeSite:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
