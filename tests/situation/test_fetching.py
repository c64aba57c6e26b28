"""Ingestion against a real HTTP server on 127.0.0.1 (tests/situation/fakeserver.py); never the internet.

Timeouts and host intervals are tiny here so the whole file stays fast.
"""

from __future__ import annotations

import gc
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from django.utils import timezone as dj_timezone

from satupintu.situation.ingest import fetch as fetch_module
from satupintu.situation.ingest.feeds import html_to_text, parse_feed
from satupintu.situation.ingest.fetch import backoff, due_sources, fetch_source
from satupintu.situation.ingest.http import FetchError, PoliteFetcher, parse_retry_after
from satupintu.situation.ingest.pages import extract_page
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.ingest.social import read_social_export
from satupintu.situation.models import FetchLog, Source, SourceKind
from tests.situation.fakeserver import (
    ATOM,
    ATOM_ETAG,
    BOZO_FEED,
    FEED_ETAG,
    LAST_MODIFIED,
    MALFORMED_FEED,
    RDF,
    RSS,
    SEEDS,
    FakeSite,
    news_page,
    seed_article,
    static,
)

WIB = timezone(timedelta(hours=7))


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    with FakeSite() as s:
        yield s


IMPATIENT = {"read_timeout": 0.3}


def polite(**overrides) -> PoliteFetcher:  # type: ignore[no-untyped-def]
    # A generous read timeout, so a busy test machine cannot fail a test that expects an answer;
    # tests of timeouts pass IMPATIENT against the /slow route, which sleeps a full second.
    options = dict(connect_timeout=2.0, read_timeout=2.0, host_interval=0.02, max_bytes=64 * 1024, max_wait=5.0)
    options.update(overrides)
    return PoliteFetcher(**options)


@pytest.fixture
def fetcher():  # type: ignore[no-untyped-def]
    with polite() as f:
        yield f


@contextmanager
def no_pauses():  # type: ignore[no-untyped-def]
    """The server sees when a request arrives, not when it was sent: a garbage-collector pause
    between the two could squeeze two arrivals together and fail a timing test for nothing."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def fetch_error(call, *args, **kwargs) -> FetchError:  # type: ignore[no-untyped-def]
    with pytest.raises(FetchError) as caught:
        call(*args, **kwargs)
    return caught.value


# -- the polite client ------------------------------------------------------------------------


def test_says_who_it_is_and_asks_robots_first(site, settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://satupintu.kemenag.go.id"
    with polite() as fetcher:
        response = fetcher.get(site.url("/feed.rss"))
    assert response.status == 200 and not response.not_modified
    assert response.etag == FEED_ETAG and response.last_modified == LAST_MODIFIED
    assert "Rakor Kehumasan" in response.text
    assert site.paths() == ["/robots.txt", "/feed.rss"]
    assert {r.headers["user-agent"] for r in site.requests} == {"SatuPintuBot/1.0 (+https://satupintu.kemenag.go.id)"}


def test_settings_are_read_when_the_fetcher_is_made(settings):  # type: ignore[no-untyped-def]
    settings.SITUATION_USER_AGENT = "SatuPintuBot/2.0 (+https://contoh.go.id)"
    settings.SITUATION_FETCH_MAX_BYTES = 1234
    settings.SITUATION_FETCH_HOST_INTERVAL = 2.5
    with PoliteFetcher() as fetcher:
        assert (fetcher.user_agent, fetcher.agent_token) == ("SatuPintuBot/2.0 (+https://contoh.go.id)", "SatuPintuBot")
        assert (fetcher.max_bytes, fetcher.host_interval, fetcher.max_redirects) == (1234, 2.5, 5)


def test_conditional_get_sends_validators_and_reads_304(site, fetcher):  # type: ignore[no-untyped-def]
    first = fetcher.get(site.url("/feed.atom"))
    again = fetcher.get(site.url("/feed.atom"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.body == b""
    conditional = site.seen("/feed.atom")[-1].headers
    assert conditional["if-none-match"] == ATOM_ETAG
    assert conditional["if-modified-since"] == LAST_MODIFIED
    assert "if-none-match" not in site.seen("/feed.atom")[0].headers


def test_robots_disallowed_urls_are_never_requested(site, fetcher):  # type: ignore[no-untyped-def]
    error = fetch_error(fetcher.get, site.url("/private/laporan.html"))
    assert (error.message_id, error.message) == ("robots_disallowed", "Diblokir robots.txt")
    # Nor through a redirect: each hop is checked before it is requested.
    assert fetch_error(fetcher.get, site.url("/to-private")).message_id == "robots_disallowed"
    fetcher.get(site.url("/feed.rss"))
    assert site.paths() == ["/robots.txt", "/to-private", "/feed.rss"]  # robots.txt once for the host


def test_robots_is_read_again_after_its_ttl(site):  # type: ignore[no-untyped-def]
    with polite(robots_ttl=0) as fetcher:
        fetcher.get(site.url("/feed.rss"))
        fetcher.get(site.url("/feed.rss"))
    assert site.paths().count("/robots.txt") == 2


def test_robots_missing_means_allowed():  # type: ignore[no-untyped-def]
    with FakeSite(robots_txt=404) as site, polite() as fetcher:
        assert fetcher.get(site.url("/private/laporan.html")).status == 200


@pytest.mark.parametrize(("robots", "message_id", "message"), [
    (503, "robots_unavailable", "robots.txt tidak dapat dibaca (server menjawab 503); pengambilan ditunda"),
    # Unreachable reads the same whether it is robots.txt or the page (and a refused address).
    ("slow", "timeout", "Gagal mengambil: alamat tujuan tidak dapat dihubungi"),
])
def test_unreadable_robots_blocks_the_site_for_now(robots, message_id, message):  # type: ignore[no-untyped-def]
    with FakeSite(robots_txt=robots if robots != "slow" else "") as site, polite(**IMPATIENT) as fetcher:
        if robots == "slow":
            site.routes["/robots.txt"] = site.routes["/slow"]
        error = fetch_error(fetcher.get, site.url("/feed.rss"))
        assert (error.message_id, error.message) == (message_id, message)
        fetch_error(fetcher.get, site.url("/feed.atom"))  # remembered, not asked again
        assert site.paths() == ["/robots.txt"]


def test_requests_to_one_host_keep_their_distance_across_threads(site):  # type: ignore[no-untyped-def]
    paths = ["/feed.atom", "/feed.rdf", "/feed-bozo.xml"]
    # When each request leaves (httpx's request hook, after the pacing), not when the server sees it:
    # on a busy machine an arrival can lag by a second and squeeze the next gap, whatever we send.
    sent: list[float] = []
    with polite(host_interval=0.4) as fetcher, ThreadPoolExecutor(3) as pool:
        fetcher._client.event_hooks["request"].append(lambda request: sent.append(time.monotonic()))
        fetcher.get(site.url("/feed.rss"))  # a warm connection: the first one may be slow to arrive
        with no_pauses():
            list(pool.map(lambda p: fetcher.get(site.url(p)), paths))
    times = sorted(sent)  # robots.txt, the warm-up feed, the three feeds at once
    assert len(times) == 5 and len(site.requests) == 5
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.25, gaps  # without spacing, three threads would leave within milliseconds
    assert times[-1] - times[0] >= 1.5


def test_crawl_delay_is_honoured_and_a_long_wait_is_deferred():  # type: ignore[no-untyped-def]
    robots = "User-agent: SatuPintuBot\nCrawl-delay: 1\nDisallow: /private\n"
    with FakeSite(robots_txt=robots) as site:
        with polite() as fetcher, no_pauses():
            fetcher.get(site.url("/feed.rss"))
        robots_at, feed_at = (r.at for r in site.requests)
        assert feed_at - robots_at >= 0.9  # the site's 1 s, not our 0.02 s
        # A worker does not sleep longer than max_wait: it hands the wait back to the scheduler.
        with polite(max_wait=0.5) as impatient:
            error = fetch_error(impatient.get, site.url("/feed.atom"))
        assert (error.message_id, error.retry_after) == ("host_busy", 1)
        assert "/feed.atom" not in site.paths()


@pytest.mark.django_db
def test_a_crawl_delay_of_centuries_or_in_other_digits_does_not_crash_the_round():  # type: ignore[no-untyped-def]
    """10^14 s overflowed timedelta in fetch_source (which never raises: the whole round stopped);
    "²" made urllib's parser fail on the whole file."""
    with FakeSite(robots_txt="User-agent: *\nCrawl-delay: 100000000000000\n") as site, polite() as fetcher:
        source = Source.objects.create(name="Lambat", kind=SourceKind.FEED, url=site.url("/feed.rss"))
        outcome = fetch_source(source, fetcher)
        source.refresh_from_db()
        assert not outcome.log.ok and outcome.retry_after == 24 * 3600  # a day at most between two requests
        assert _close_to(source.next_fetch_at, dj_timezone.now() + timedelta(days=1), seconds=60)
    with FakeSite(robots_txt="User-agent: *\nCrawl-delay: ²\nRequest-rate: ²/1\nDisallow: /private\n") as site:
        with polite() as fetcher:
            assert fetcher.get(site.url("/feed.rss")).status == 200
            assert fetch_error(fetcher.get, site.url("/private/laporan.html")).message_id == "robots_disallowed"


def test_http_errors_and_retry_after(site, fetcher):  # type: ignore[no-untyped-def]
    error = fetch_error(fetcher.get, site.url("/error"))
    assert (error.status, error.message, error.retry_after) == (500, "Server menjawab 500", None)
    error = fetch_error(fetcher.get, site.url("/unavailable"))
    assert (error.status, error.message, error.retry_after) == (503, "Server menjawab 503", 120)
    # The host asked for two minutes of quiet: the next request to it is not even sent.
    assert fetch_error(fetcher.get, site.url("/feed.rss")).message_id == "host_busy"
    assert "/feed.rss" not in site.paths()


def test_timeout(site):  # type: ignore[no-untyped-def]
    with polite(**IMPATIENT) as fetcher:
        error = fetch_error(fetcher.get, site.url("/slow"))
    assert (error.message_id, error.message) == ("timeout", "Gagal mengambil: alamat tujuan tidak dapat dihubungi")


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
def test_a_server_dripping_its_answer_is_given_up_at_the_total_timeout(site, path):  # type: ignore[no-untyped-def]
    # Each byte comes well inside the read timeout; the site would take half a minute (headers:
    # far longer than the total timeout) to finish, so only the total timeout can end the wait.
    with polite(total_timeout=0.5) as fetcher:
        error = fetch_error(fetcher.get, site.url(path))
    assert (error.message_id, error.message) == ("timeout", "Gagal mengambil: alamat tujuan tidak dapat dihubungi")


@pytest.mark.parametrize("path", ["/huge", "/huge-stream"])
def test_too_large_bodies_are_refused(site, fetcher, path):  # type: ignore[no-untyped-def]
    error = fetch_error(fetcher.get, site.url(path))
    assert error.message_id == "too_large"
    assert error.message == "Gagal mengambil: isi lebih besar dari batas 64 KB"


def test_only_gzip_or_deflate_is_unpacked_and_only_one_layer(site, fetcher):  # type: ignore[no-untyped-def]
    """httpx unpacks brotli too, a whole network read at once: 89 bytes became 50 MB before the
    size limit (64 KB here) could look at it. Nested gzip multiplies a thousandfold per layer."""
    import gzip

    import brotli

    site.routes["/bomb"] = static(brotli.compress(b"\0" * (50 * 1024 * 1024)), headers={"Content-Encoding": "br"})
    site.routes["/nested.gz"] = static(gzip.compress(gzip.compress(RSS.encode())),
                                       content_type="application/rss+xml", headers={"Content-Encoding": "gzip, gzip"})
    site.routes["/feed.gz"] = static(gzip.compress(RSS.encode()), content_type="application/rss+xml",
                                     headers={"Content-Encoding": "gzip"})
    for path in ("/bomb", "/nested.gz"):
        error = fetch_error(fetcher.get, site.url(path))
        assert error.message_id == "bad_content", path
    assert fetcher.get(site.url("/feed.gz")).text.startswith("<?xml")
    assert {seen.headers["accept-encoding"] for seen in site.seen("/feed.gz")} == {"gzip, deflate"}


def test_redirects_are_followed_up_to_the_limit(site, fetcher):  # type: ignore[no-untyped-def]
    response = fetcher.get(site.url("/old-feed"))
    assert response.url == site.url("/feed.rss") and b"Rakor" in response.body
    assert fetch_error(fetcher.get, site.url("/loop")).message_id == "too_many_redirects"
    assert site.paths().count("/loop") == 6  # the first request and five redirects


def test_unreachable_servers_and_bad_urls(fetcher, settings):  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed_port = f"http://127.0.0.1:{port}/feed.rss"  # nobody listens there
    # Refused by the outbound guard: the very same words as the closed port below.
    assert fetch_error(fetcher.get, closed_port).message == "Gagal mengambil: alamat tujuan tidak dapat dihubungi"
    settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{port}"
    error = fetch_error(fetcher.get, closed_port)
    assert (error.message_id, error.message) == ("connect", "Gagal mengambil: alamat tujuan tidak dapat dihubungi")
    for url in ("", "ftp://contoh.go.id/berita", "berita.html"):
        assert fetch_error(fetcher.get, url).message_id == "bad_url"


def test_parse_retry_after():  # type: ignore[no-untyped-def]
    now = datetime(2024, 1, 8, 3, 0, tzinfo=timezone.utc)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Mon, 08 Jan 2024 03:10:00 GMT", now) == 600
    assert parse_retry_after("Sun, 07 Jan 2024 03:10:00 GMT", now) == 0
    assert parse_retry_after("99999999") == 7 * 24 * 3600
    assert parse_retry_after("9" * 5000) == 7 * 24 * 3600  # past int()'s digit limit: the longest wait
    assert parse_retry_after("0") == 0
    assert parse_retry_after("besok") is None and parse_retry_after(None) is None
    assert parse_retry_after("²") is None and parse_retry_after("１２０") is None  # digits int() refuses


# -- feeds ------------------------------------------------------------------------------------


def test_rss_atom_and_rdf():  # type: ignore[no-untyped-def]
    rakor, haji = parse_feed(RSS.encode(), "https://sulsel.kemenag.go.id/feed")
    assert rakor.external_id == "sulsel-2024-0108-1"
    assert rakor.url == "https://sulsel.kemenag.go.id/berita/rakor-kehumasan"
    assert rakor.text == ("Humas, Data dan Informasi menggelar Rapat Koordinasi.\n"
                          "Website Kemenag Sulsel membukukan 67 ribu berita.")
    assert rakor.published_at == datetime(2024, 1, 8, 10, 0, tzinfo=WIB)
    assert haji.external_id == haji.url  # no guid: the link identifies it
    assert haji.text == "Calon jemaah diminta melunasi BPIH & mengikuti manasik."

    (atom,) = parse_feed(ATOM.encode(), "https://jateng.kemenag.go.id/atom")
    assert (atom.title, atom.author) == ("Kakanwil ajak terobosan layanan", "Humas Jateng")
    assert atom.text == "Lakukan terobosan dalam perbaikan layanan.\nsatu\ndua"
    assert atom.published_at == datetime(2024, 1, 8, 3, 0, tzinfo=timezone.utc)

    (rdf,) = parse_feed(RDF.encode(), "https://kaltim.kemenag.go.id/rdf")
    assert (rdf.external_id, rdf.author) == ("https://kaltim.kemenag.go.id/berita/rakernas", "Maharani")
    assert rdf.published_at == datetime(2021, 4, 5, 5, 46, tzinfo=timezone.utc)


def test_plain_guids_are_ids_not_addresses():  # type: ignore[no-untyped-def]
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>K</title>
    <item><title>Tanpa tautan</title><guid>8812</guid><author>humas@kemenag.go.id (Humas Jateng)</author></item>
    <item><title>Dengan tautan</title><guid>8813</guid><link>/berita/8813</link></item></channel></rss>"""
    first, second = parse_feed(feed, "https://jateng.kemenag.go.id/feed/")
    assert (first.external_id, first.url, first.author) == ("8812", "", "Humas Jateng")
    assert (second.external_id, second.url) == ("8813", "https://jateng.kemenag.go.id/berita/8813")


def test_broken_feeds():  # type: ignore[no-untyped-def]
    error = fetch_error(parse_feed, MALFORMED_FEED.encode(), "https://contoh.go.id/feed")
    assert error.message == "Umpan RSS/Atom rusak dan tidak berisi entri"
    entry = parse_feed(BOZO_FEED.encode(), "https://contoh.go.id/feed")[0]  # flawed but readable
    assert (entry.external_id, entry.text) == ("ok-1", "Isi entri.")
    page = news_page(seed_article(sorted(SEEDS.glob("*.txt"))[0])).encode()
    assert fetch_error(parse_feed, page, "https://contoh.go.id/").message == "Isi alamat ini bukan umpan RSS/Atom"
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Kosong</title></channel></rss>'
    assert parse_feed(empty, "https://contoh.go.id/feed") == []


def test_html_to_text_keeps_blocks_apart_and_drops_scripts():  # type: ignore[no-untyped-def]
    fragment = "<div>Satu<br>dua</div><p>Tiga &amp; <b>empat</b></p><script>x()</script><style>p{}</style>lima"
    assert html_to_text(fragment) == "Satu\ndua\nTiga & empat\nlima"
    assert html_to_text("Teks biasa tanpa tag") == "Teks biasa tanpa tag"


# -- pages ------------------------------------------------------------------------------------

BOILERPLATE = ["Bagikan", "Share", "Tweet", "Dibaca", "Jam pelayanan", "Jam Pelayanan", "08.00-16.00", "081128099990",
               "WA Layanan", "Beranda", "Profil", "Facebook", "Telegram", "Terpopuler", "Mantap", "Hak cipta",
               "Copyright", "Ikuti kami"]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("layout", ["theme", "plain"])
@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_page_keeps_the_article_and_drops_the_template(seed, layout):  # type: ignore[no-untyped-def]
    article = seed_article(seed)
    body = _squeeze(" ".join(article.paragraphs))
    assert not [b for b in BOILERPLATE if b in body]  # the markers below really are template-only

    item = extract_page(news_page(article, layout), "https://contoh.kemenag.go.id/berita/1")

    text = _squeeze(item.text)
    assert all(_squeeze(p) in text for p in article.paragraphs)
    assert [b for b in BOILERPLATE if b in item.text] == []
    assert not item.text.startswith(article.title + "\n")  # the title is a field, not the first line
    assert item.url == "https://contoh.kemenag.go.id/berita/1"
    assert item.published_at is not None and item.published_at.date().isoformat() == "2024-01-08"
    if layout == "theme":
        assert item.title == article.title
        assert item.author == "Maharani Ramadhanty Fitria"
        assert item.published_at == datetime(2024, 1, 8, 10, 0, tzinfo=WIB)


def test_page_identity_follows_its_text():  # type: ignore[no-untyped-def]
    first, second = sorted(SEEDS.glob("*.txt"))[:2]
    url = "https://contoh.kemenag.go.id/pengumuman"
    a = extract_page(news_page(seed_article(first)), url)
    assert a.external_id == extract_page(news_page(seed_article(first)).encode(), url).external_id
    assert a.external_id != extract_page(news_page(seed_article(second)), url).external_id
    assert extract_page("<html><body><nav><a href='/'>Beranda</a></nav></body></html>", url) is None


# -- social exports ---------------------------------------------------------------------------


def test_jsonl_export_skips_bad_rows_with_a_reason():  # type: ignore[no-untyped-def]
    data = "\n".join([
        '{"id": "p1", "text": "Antrean PTSP lama sekali", "author": "@warga1", "time": "2024-01-08T10:00:00+07:00",'
        ' "url": "https://x.com/warga1/status/1"}',
        '{"text": "Terima kasih Kemenag", "author": "@warga2", "time": 1704682800}',
        '{"text": "   ", "author": "@warga3", "time": "2024-01-08 10:00:00"}',
        '{"text": "kalimat rusak", ',
        '',
        '{"text": "Jadwal manasik sudah keluar", "author": "@warga4", "time": "2024-01-08 10:00:00"}',
        '{"text": "Waktu aneh", "time": "kemarin sore"}',
        '["bukan", "objek"]',
        '{"text": "Jadwal manasik sudah keluar", "author": "@warga4", "time": "2024-01-08T03:00:00Z"}',
    ]).encode()
    items, errors = read_social_export(data, "ekspor.jsonl")
    assert [i.author for i in items] == ["@warga1", "@warga2", "@warga4"]
    first, epoch, naive = items
    assert (first.external_id, first.url) == ("p1", "https://x.com/warga1/status/1")
    assert epoch.published_at == datetime(2024, 1, 8, 3, 0, tzinfo=timezone.utc)
    assert naive.published_at == datetime(2024, 1, 8, 10, 0, tzinfo=WIB)  # no zone given: WIB
    assert errors == [
        "Baris 3: kolom text kosong",
        "Baris 4: bukan JSON yang sah",
        "Baris 7: waktu 'kemarin sore' tidak dikenali (pakai ISO 8601, detik epoch, atau 2024-01-08 10:00:00)",
        "Baris 8: bukan objek JSON",
        "Baris 9: sama dengan baris 6, dilewati",  # same author, instant and text: same stable id
    ]


def test_a_row_python_will_not_read_is_skipped_alone():  # type: ignore[no-untyped-def]
    """Valid JSON syntax that json.loads still refuses (a number of 5,000 digits, arrays nested
    100,000 deep) once failed the whole upload."""
    good = b'{"text": "Pelayanan cepat", "author": "@a", "time": "2024-01-08 10:00:00"}'
    data = b"\n".join([good, b'{"text": "b", "id": ' + b"1" * 5000 + b"}", b"[" * 100000,
                       good.replace(b"cepat", b"lambat")])
    items, errors = read_social_export(data, "ekspor.jsonl")
    assert [i.text for i in items] == ["Pelayanan cepat", "Pelayanan lambat"]
    unreadable = "JSON tidak dapat dibaca (angka terlalu panjang atau terlalu bersarang)"
    assert errors == [f"Baris 2: {unreadable}", f"Baris 3: {unreadable}"]
    assert read_social_export(b"[" * 100000, "ekspor.json") == ([], [f"Baris 1: {unreadable}"])


def test_one_broken_entry_does_not_silence_the_feed():  # type: ignore[no-untyped-def]
    """A link no URL parser reads or a date in year 0 raised out of the whole feed, on every fetch."""
    broken = RSS.replace("<link>/berita/rakor-kehumasan</link>", "<link>http://[oops/x</link>")
    rakor, haji = parse_feed(broken.encode(), "https://sulsel.kemenag.go.id/feed")
    assert rakor.url == "" and rakor.title == "Rakor Kehumasan di Pangkep"
    assert haji.url == "https://sulsel.kemenag.go.id/berita/haji"
    (entry,) = parse_feed(ATOM.replace("<updated>2024-01-08T03:00:00Z</updated>\n    <author>",
                                       "<updated>0000-01-01T00:00:00Z</updated>\n    <author>").encode(),
                          "https://jateng.kemenag.go.id/atom")
    assert entry.published_at is None and entry.url == "https://jateng.kemenag.go.id/berita/17"


def test_stable_ids_without_an_id_column():  # type: ignore[no-untyped-def]
    row = b'{"text": "Pelayanan cepat", "author": "@a", "time": "2024-01-08 10:00:00"}'
    (one,), _ = read_social_export(row, "a.jsonl")
    (two,), _ = read_social_export(row, "b.jsonl")
    (other,), _ = read_social_export(row.replace(b"cepat", b"lambat"), "c.jsonl")
    assert one.external_id == two.external_id != other.external_id


def test_csv_with_semicolons_and_a_bom():  # type: ignore[no-untyped-def]
    data = ("text;author;time;url\n"
            "\"Banjir di Luwu Utara; madrasah diliburkan\";@humas;2024-01-08 10:00:00;https://ig.com/p/1\n"
            ";@kosong;2024-01-08 10:00:00;\n"
            "\"Baris panjang\nyang berlanjut\";@dua;1704682800;\n"
            "Setelah baris panjang;@tiga;;\n").encode("utf-8-sig")
    items, errors = read_social_export(data, "ekspor.csv")
    assert [i.text for i in items] == ["Banjir di Luwu Utara; madrasah diliburkan", "Baris panjang\nyang berlanjut",
                                       "Setelah baris panjang"]
    assert items[0].author == "@humas" and items[2].published_at is None
    assert errors == ["Baris 3: kolom text kosong"]


def test_csv_with_commas_in_windows_1252():  # type: ignore[no-untyped-def]
    data = ('id,text,author,time\n'
            '7,"Kakanwil Musta’in Ahmad: “Lakukan terobosan, perbaiki layanan”",Humas Jateng,2021-03-14T09:00:00+07:00\n'
            '8,"Rapat koordinasi, evaluasi, dan tindak lanjut",Humas Jateng,2021-03-15T09:00:00+07:00\n'
            ).encode("cp1252")
    items, errors = read_social_export(data, "ekspor.csv")
    assert errors == []
    assert items[0].text == "Kakanwil Musta’in Ahmad: “Lakukan terobosan, perbaiki layanan”"
    assert [i.external_id for i in items] == ["7", "8"]


def test_excel_unicode_text_export():  # type: ignore[no-untyped-def]
    data = "text\tauthor\ttime\nMasjid ramai saat salat Id\t@jamaah\t2024-04-10 07:00:00\n".encode("utf-16")
    (item,), errors = read_social_export(data, "ekspor.txt")
    assert (item.text, item.author, errors) == ("Masjid ramai saat salat Id", "@jamaah", [])


def test_csv_without_a_text_column():  # type: ignore[no-untyped-def]
    assert read_social_export(b"isi_pesan,waktu\nhalo,2024-01-08\n", "x.csv") == (
        [], ["Baris 1: kolom text tidak ada di baris judul"])


def test_raw_items_insist_on_aware_times_and_fit_the_columns():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        RawItem(external_id="a", text="t", published_at=datetime(2024, 1, 8, 10, 0))
    item = RawItem(external_id="x" * 400, text=" t ", title="j" * 600, url="https://a.id/" + "p" * 900)
    assert len(item.external_id) <= 300 and len(item.title) == 500 and item.url == "" and item.text == "t"


# -- fetch_source against the fake site ---------------------------------------------------------


def _source(site, path, kind=SourceKind.FEED, **fields) -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(name=path, kind=kind, url=site.url(path), interval_minutes=30, **fields)


def _close_to(when: datetime, expected: datetime, seconds: float = 5) -> bool:
    return abs((when - expected).total_seconds()) <= seconds


@pytest.mark.django_db
def test_feed_source_then_not_modified(site, fetcher):  # type: ignore[no-untyped-def]
    source = _source(site, "/feed.rss")

    outcome = fetch_source(source, fetcher)

    source.refresh_from_db()
    assert [i.external_id for i in outcome.items] == ["sulsel-2024-0108-1", "https://sulsel.kemenag.go.id/berita/haji"]
    assert outcome.log.ok and outcome.log.status_code == 200 and not outcome.log.not_modified
    assert (source.etag, source.last_modified, source.last_status) == (FEED_ETAG, LAST_MODIFIED, 200)
    assert _close_to(source.next_fetch_at, dj_timezone.now() + timedelta(minutes=30))
    assert source.last_success_at == source.last_fetched_at == outcome.log.finished_at

    again = fetch_source(source, fetcher)

    source.refresh_from_db()
    assert again.items == [] and again.log.ok and again.log.not_modified and again.log.status_code == 304
    assert site.seen("/feed.rss")[-1].headers["if-none-match"] == FEED_ETAG
    assert source.etag == FEED_ETAG and source.last_status == 304
    assert FetchLog.objects.filter(source=source).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["Fri, 31 Dec 9999 23:00:00 GMT", "Sat, 01 Jan 0001 00:00:00 GMT"])
def test_a_date_at_the_end_of_the_calendar_does_not_silence_the_feed(site, fetcher, date):  # type: ignore[no-untyped-def]
    """It overflowed when shifted to local time: the whole batch failed, on every fetch."""
    from satupintu.situation.models import Item

    site.routes["/odd.rss"] = static(RSS.replace("Mon, 08 Jan 2024 10:00:00 +0700", date),
                                     content_type="application/rss+xml")
    from satupintu.situation.store import save_raw_items

    source = _source(site, "/odd.rss")
    outcome = fetch_source(source, fetcher)
    assert outcome.log.ok and len(save_raw_items(source, outcome.items)) == 2
    odd = Item.objects.get(external_id="sulsel-2024-0108-1")
    assert _close_to(odd.published_at, dj_timezone.now(), seconds=60)  # as good as no date: the fetch time
    assert Item.objects.get(title="Pendaftaran haji reguler dibuka").published_at.year == 2024


@pytest.mark.django_db
def test_page_source(site, fetcher):  # type: ignore[no-untyped-def]
    site.routes["/berita/rakor.html"] = static(news_page(seed_article(sorted(SEEDS.glob("*.txt"))[2])))
    source = _source(site, "/berita/rakor.html", kind=SourceKind.PAGE)
    (item,) = fetch_source(source, fetcher).items
    assert "Rapat Koordinasi (Rakor) Kehumasan" in item.text and "Dibaca" not in item.text
    image = _source(site, "/logo.png", kind=SourceKind.PAGE)
    assert fetch_source(image, fetcher).log.error == "Isi tidak dapat dibaca: jenis isi image/png"


@pytest.mark.django_db
def test_a_failing_source_backs_off_while_the_others_go_on(site, fetcher):  # type: ignore[no-untyped-def]
    broken = _source(site, "/error")
    healthy = _source(site, "/feed.atom")

    fetch_source(broken, fetcher)
    second = fetch_source(broken, fetcher)
    good = fetch_source(healthy, fetcher)

    broken.refresh_from_db()
    assert (broken.consecutive_failures, broken.last_error, broken.last_status) == (2, "Server menjawab 500", 500)
    assert _close_to(broken.next_fetch_at, dj_timezone.now() + timedelta(minutes=30 * 4))  # 30 min x 2^2
    assert not second.log.ok and second.log.error == "Server menjawab 500" and second.log.status_code == 500
    assert good.log.ok and len(good.items) == 1

    broken.url = site.url("/feed.rss")  # the site is repaired
    fetch_source(broken, fetcher)
    broken.refresh_from_db()
    assert (broken.consecutive_failures, broken.last_error, broken.last_status) == (0, "", 200)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "error"), [
    ("/private/laporan.html", "Diblokir robots.txt"),
    ("/slow", "Gagal mengambil: alamat tujuan tidak dapat dihubungi"),
    ("/feed-malformed.xml", "Umpan RSS/Atom rusak dan tidak berisi entri"),
])
def test_failures_are_recorded_in_indonesian(site, path, error):  # type: ignore[no-untyped-def]
    source = _source(site, path)
    with polite(**IMPATIENT) as fetcher:
        outcome = fetch_source(source, fetcher)
    source.refresh_from_db()
    assert (outcome.log.error, source.last_error, source.consecutive_failures) == (error, error, 1)
    assert _close_to(source.next_fetch_at, dj_timezone.now() + timedelta(minutes=60))


@pytest.mark.django_db
def test_retry_after_beyond_the_backoff_wins(site, fetcher):  # type: ignore[no-untyped-def]
    source = _source(site, "/busy")
    outcome = fetch_source(source, fetcher)
    source.refresh_from_db()
    assert outcome.retry_after == 7200 and source.last_error == "Server menjawab 429"
    assert _close_to(source.next_fetch_at, dj_timezone.now() + timedelta(hours=2))  # not 60 min
    # A source on the same host, in the same run, waits too, without counting as a failure.
    neighbour = _source(site, "/feed.rss")
    deferred = fetch_source(neighbour, fetcher)
    neighbour.refresh_from_db()
    assert not deferred.log.ok and deferred.log.error.startswith("Ditunda")
    assert (neighbour.consecutive_failures, neighbour.last_error) == (0, "")
    assert _close_to(neighbour.next_fetch_at, dj_timezone.now() + timedelta(hours=2))


@pytest.mark.django_db
def test_backoff_is_capped_at_a_day():  # type: ignore[no-untyped-def]
    source = Source(name="x", kind=SourceKind.FEED, interval_minutes=30)
    assert [backoff(source, n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (60, 120, 240)]
    assert backoff(source, 9) == backoff(source, 500) == timedelta(hours=24)
    assert backoff(source, 9, retry_after=3 * 86400) == timedelta(days=3)


@pytest.mark.django_db
def test_an_unexpected_error_never_escapes(site, fetcher, monkeypatch):  # type: ignore[no-untyped-def]
    def broken_parser(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    monkeypatch.setattr(fetch_module, "parse_feed", broken_parser)
    outcome = fetch_source(_source(site, "/feed.rss"), fetcher)
    assert outcome.log.error == "Galat tak terduga saat memproses sumber" and outcome.items == []


@pytest.mark.django_db
def test_due_sources():  # type: ignore[no-untyped-def]
    now = dj_timezone.now()
    due = Source.objects.create(name="due", kind=SourceKind.FEED, url="https://a.id/f", next_fetch_at=now)
    page = Source.objects.create(name="page", kind=SourceKind.PAGE, url="https://a.id/p",
                                 next_fetch_at=now - timedelta(hours=1))
    Source.objects.create(name="later", kind=SourceKind.FEED, url="https://a.id/g", next_fetch_at=now + timedelta(1))
    Source.objects.create(name="off", kind=SourceKind.FEED, url="https://a.id/h", active=False, next_fetch_at=now)
    Source.objects.create(name="social", kind=SourceKind.SOCIAL, next_fetch_at=now)
    assert list(due_sources(now)) == [page, due]

