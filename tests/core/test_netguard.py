"""The outbound guard (core/netguard.py), against real sockets on this machine.

An officer's URL must never make the server read loopback, the intranet or the cloud metadata
service: not when the URL is saved, not at a fetch, not behind a redirect, not after the name's
DNS answer changes. OUTBOUND_ALLOWED_NETWORKS lets one named receiver through, nothing more.
Fake sites listen on 127.0.0.1 (tests/situation/fakeserver.py); DNS answers for made-up names
come from a stand-in resolver, so no test touches the internet.
"""

from __future__ import annotations

import socket

import httpx
import pytest

from satupintu.core import netguard
from satupintu.core.netguard import OutboundRefused, check_url, guarded_client, parse_allowances
from satupintu.situation.ingest.http import FetchError, PoliteFetcher
from tests.situation.fakeserver import FakeSite, redirect

NEUTRAL = "Gagal mengambil: alamat tujuan tidak dapat dihubungi"

FORBIDDEN_URLS = [
    "http://127.0.0.1/", "http://localhost/", "http://127.1/", "http://0x7f000001/", "http://2130706433/",
    "http://0177.0.0.1/", "http://0/", "http://0.0.0.0/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/",
    "http://10.0.0.5/", "http://172.16.3.4/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://100.100.100.200/",  # metadata of one cloud, inside CGNAT
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[fe80::1]/",
    "http://224.0.0.1/", "http://[ff02::1]/", "http://255.255.255.255/", "http://240.0.0.1/",
    # Public addresses, but not on the web's ports.
    "http://93.184.216.34:22/", "https://93.184.216.34:8443/", "http://93.184.216.34:6379/",
    # Not http(s), or hosts that two URL parsers read differently.
    "ftp://93.184.216.34/", "file:///etc/passwd", "http://93.184.216.34\\@127.0.0.1/", "http:///x",
    "http://nama-yang-tidak-ada.invalid/",
    # An "xn--" label that is not valid IDNA: decoding it raised past the guard (a 500).
    "https://xn--zz.example/hook", "https://xn--/",
]


@pytest.mark.parametrize("url", FORBIDDEN_URLS)
def test_forbidden_addresses_in_any_spelling_are_refused(url, settings):  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    with pytest.raises(OutboundRefused) as caught:
        check_url(url)
    assert str(caught.value) == "Alamat tujuan tidak dapat dihubungi"  # one neutral text, no reason


@pytest.mark.parametrize("url", ["http://93.184.216.34/", "https://93.184.216.34/feed", "http://[2606:4700::1111]/",
                                 "https://1.1.1.1:443/x"])
def test_public_addresses_on_web_ports_pass(url, settings):  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    check_url(url)


def test_allowed_networks_let_exactly_their_receivers_through(settings):  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOWED_NETWORKS = "10.1.0.0/16, 127.0.0.1/32:8089,[::1]/128:9000"
    check_url("http://10.1.2.3/")  # an intranet service on a standard port
    check_url("https://10.1.2.3/")
    check_url("http://127.0.0.1:8089/hook")
    check_url("http://[::1]:9000/")
    for url in ("http://10.1.2.3:8080/", "http://10.2.0.1/", "http://127.0.0.1/", "http://127.0.0.1:8090/",
                "http://[::1]/"):
        with pytest.raises(OutboundRefused):
            check_url(url)


def test_allowance_syntax():  # type: ignore[no-untyped-def]
    parsed = parse_allowances("10.1.0.0/16,127.0.0.1/32:8089, 192.168.5.5:8443 ,[fd00::]/8:443,::1")
    assert [(str(a.network), a.port) for a in parsed] == [
        ("10.1.0.0/16", None), ("127.0.0.1/32", 8089), ("192.168.5.5/32", 8443), ("fd00::/8", 443), ("::1/128", None)]
    assert parse_allowances("") == ()
    for bad in ("10.1.0.0/33", "intranet", "127.0.0.1/32:0", "127.0.0.1/32:http", "10.0.0.0/8:99999"):
        with pytest.raises(ValueError):
            parse_allowances(bad)


def test_a_bad_allowance_stops_the_settings_from_loading(monkeypatch):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import satupintu.settings"], capture_output=True, text=True,
        env={**__import__("os").environ, "OUTBOUND_ALLOWED_NETWORKS": "10.0.0.0/8:http"}, timeout=60)
    assert result.returncode != 0 and "OUTBOUND_ALLOWED_NETWORKS" in result.stderr


# -- at the connection: every fetch, every redirect hop -----------------------------------------


def _port(site: FakeSite) -> int:
    return int(site.url("/").rsplit(":", 1)[1].split("/")[0])


def _fetcher() -> PoliteFetcher:
    return PoliteFetcher(connect_timeout=2.0, read_timeout=2.0, host_interval=0.0, max_wait=5.0)


def test_a_loopback_source_is_never_contacted(settings):  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    with FakeSite() as intranet, _fetcher() as fetcher:
        for url in (intranet.url("/feed.rss"), intranet.url("/feed.rss").replace("127.0.0.1", "localhost"),
                    intranet.url("/feed.rss").replace("127.0.0.1", "[::ffff:127.0.0.1]"),
                    intranet.url("/feed.rss").replace("127.0.0.1", "2130706433")):
            with pytest.raises(FetchError) as caught:
                fetcher.get(url)
            assert caught.value.message == NEUTRAL
        assert intranet.requests == []  # not even robots.txt was asked


@pytest.mark.parametrize("spelling", ["localhost", "127.0.0.1", "0x7f000001", "[::ffff:127.0.0.1]"])
def test_a_redirect_to_loopback_is_refused_at_the_hop(settings, spelling):  # type: ignore[no-untyped-def]
    with FakeSite() as public, FakeSite() as intranet, _fetcher() as fetcher:
        # Only the "public" site is let through; it redirects to the intranet one.
        settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{_port(public)}"
        public.routes["/jump"] = redirect(f"http://{spelling}:{_port(intranet)}/feed.rss", 302)
        with pytest.raises(FetchError) as caught:
            fetcher.get(public.url("/jump"))
        assert caught.value.message == NEUTRAL
        assert "/jump" in public.paths()
        assert intranet.requests == []


def _stand_in_dns(monkeypatch, answers: dict[str, list[str]]) -> list[str]:  # type: ignore[no-untyped-def]
    """A resolver for made-up names: each lookup of a name takes its next answer (the last one
    repeats). Other names go to the real resolver. Returns the names looked up, in order."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host
        if name not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(name)
        ip = answers[name].pop(0) if len(answers[name]) > 1 else answers[name][0]
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_the_checked_address_is_the_one_connected_with_the_original_host(settings, monkeypatch):  # type: ignore[no-untyped-def]
    with FakeSite() as site:
        port = _port(site)
        settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{port}"
        # The name answers the allowed address once, then the metadata service (DNS rebinding).
        asked = _stand_in_dns(monkeypatch, {"berita.contoh.test": ["127.0.0.1", "169.254.169.254"]})
        with guarded_client(timeout=2.0) as client:
            response = client.get(f"http://berita.contoh.test:{port}/feed.rss")
        assert response.status_code == 200 and b"Rakor" in response.content
        assert asked == ["berita.contoh.test"]  # resolved once, by the guard; httpx did not ask again
        assert site.requests[0].headers["host"] == f"berita.contoh.test:{port}"
        # The next connection resolves again and meets the rebinding answer: refused, nothing sent.
        with guarded_client(timeout=2.0) as client, pytest.raises(httpx.ConnectError):
            client.get(f"http://berita.contoh.test:{port}/feed.atom")
        assert site.paths() == ["/feed.rss"]


def test_a_name_with_one_forbidden_answer_is_refused(settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "campur.contoh.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(OutboundRefused):
        check_url("https://campur.contoh.test/feed")


def test_is_public_address_unwraps_ipv4_inside_ipv6():  # type: ignore[no-untyped-def]
    import ipaddress

    public = ["93.184.216.34", "2606:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"]
    private = ["127.0.0.1", "::1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "::10.0.0.1", "fc00::1",
               "192.0.0.8", "198.18.0.1", "0.1.2.3"]
    assert all(netguard.is_public_address(ipaddress.ip_address(a)) for a in public)
    assert not any(netguard.is_public_address(ipaddress.ip_address(a)) for a in private)


# -- HTTPS through the guard: the certificate is checked against the name, not the address --------


def _certificates(tmp_path, names: dict[str, list[str]]) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """A test authority (ca.pem) and, for each label, a key and certificate for the given DNS names
    and IP addresses, made here with `cryptography`: no file from outside the test is trusted."""
    import ipaddress
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(timezone.utc)

    def build(subject: str, key, issuer: x509.Name, signer, extensions) -> x509.Certificate:  # type: ignore[no-untyped-def]
        builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(signer, hashes.SHA256())

    def write(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Satu Pintu test CA")])
    ca = build("Satu Pintu test CA", ca_key, ca_name, ca_key, [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                       encipher_only=False, decipher_only=False), True)])
    out = {"ca": (write("ca.pem", ca.public_bytes(serialization.Encoding.PEM)), "")}
    for label, sans in names.items():
        key = ec.generate_private_key(ec.SECP256R1())
        alt = [x509.IPAddress(ipaddress.ip_address(s)) if s[0].isdigit() else x509.DNSName(s) for s in sans]
        cert = build(sans[0], key, ca.subject, ca_key, [
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (x509.SubjectAlternativeName(alt), False),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
            (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False)])
        out[label] = (write(f"{label}.pem", cert.public_bytes(serialization.Encoding.PEM)),
                      write(f"{label}.key", key.private_bytes(serialization.Encoding.PEM,
                                                              serialization.PrivateFormat.PKCS8,
                                                              serialization.NoEncryption())))
    return out


class _HttpsSite:
    """An HTTPS server on 127.0.0.1 that presents one certificate and records the SNI and Host
    it was sent."""

    def __init__(self, cert: str, key: str) -> None:
        import ssl
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.server_names: list[str | None] = []
        self.hosts: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.hosts.append(self.headers["Host"])
                body = b"<rss><channel><title>Kemenag</title></channel></rss>"
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> _HttpsSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.server.shutdown()
        self.server.server_close()


def test_https_through_the_guard_checks_the_certificate_against_the_name(settings, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    import ssl

    certs = _certificates(tmp_path, {"feeds": ["feeds.example.test"], "other": ["other.example.test", "127.0.0.1"]})
    trust = ssl.create_default_context(cafile=certs["ca"][0])
    _stand_in_dns(monkeypatch, {"feeds.example.test": ["127.0.0.1"]})
    with _HttpsSite(*certs["feeds"]) as site:
        settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{site.port}"
        url = f"https://feeds.example.test:{site.port}/feed.rss"
        with guarded_client(timeout=5.0, verify=trust) as client:
            response = client.get(url)
        assert response.status_code == 200 and b"Kemenag" in response.content
        # Connected to 127.0.0.1, but TLS and HTTP spoke the name: SNI, certificate and Host.
        assert site.server_names == ["feeds.example.test"] and site.hosts == [f"feeds.example.test:{site.port}"]
        # By default only the system's authorities are trusted: the test CA is not among them.
        with guarded_client(timeout=5.0) as client, pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            client.get(url)
    # A trusted certificate for another name (even for the address connected to) is refused.
    with _HttpsSite(*certs["other"]) as impostor:
        settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{impostor.port}"
        with guarded_client(timeout=5.0, verify=trust) as client, pytest.raises(httpx.ConnectError, match="Hostname mismatch"):
            client.get(f"https://feeds.example.test:{impostor.port}/feed.rss")
        assert impostor.server_names == ["feeds.example.test"] and impostor.hosts == []


def _connections_tried(monkeypatch) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """socket.create_connection as a stand-in that records where it was asked to connect and
    refuses: no test reaches the internet, and what the guard let through is what was asked."""
    tried: list[tuple[str, int]] = []

    def create_connection(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        tried.append((str(address[0]), int(address[1])))
        raise ConnectionRefusedError(111, "refused by the test's stand-in")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return tried


def test_a_secret_over_plain_http_connects_only_inside_the_networks_let_through(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """`https_or_configured_network` let plain http through because the name pointed at the
    intranet; when the name points at the internet by the time the connection is made (DNS
    rebinding), the secret's client refuses rather than send it in clear text."""
    settings.OUTBOUND_ALLOWED_NETWORKS = "127.0.0.1/32"
    _stand_in_dns(monkeypatch, {"hook.contoh.test": ["127.0.0.1", "93.184.216.34"]})
    assert netguard.https_or_configured_network("http://hook.contoh.test/terima")  # the first answer
    tried = _connections_tried(monkeypatch)
    with netguard.secret_client("http://hook.contoh.test/terima", timeout=2.0) as client, \
            pytest.raises(httpx.ConnectError) as caught:
        client.post("http://hook.contoh.test/terima", headers={"Authorization": "Bearer rahasia"})
    assert isinstance(caught.value.__cause__, OutboundRefused) and tried == []  # nothing left this server
    # Over https the same answer is an ordinary public address: tried (the stand-in refuses it).
    with netguard.secret_client("https://hook.contoh.test/terima", timeout=2.0) as client, \
            pytest.raises(httpx.ConnectError):
        client.post("https://hook.contoh.test/terima")
    assert tried == [("93.184.216.34", 443)]
