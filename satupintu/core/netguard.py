"""The one guard for every outbound request that a user's input can steer (Situation Room
sources, webhooks, the bridge's connectors).

A URL typed by an officer must never make the server read its own intranet: loopback, private,
link-local (cloud metadata at 169.254.169.254), CGNAT, multicast and reserved addresses are
refused, in IPv4 and IPv6, whatever spelling the host uses (``0x7f000001``, ``2130706433``,
``127.1``, ``[::ffff:127.0.0.1]``): the host is resolved and every address it resolves to is
checked, so the spelling does not matter. Only ports 80 and 443.

Checking a name and then letting the HTTP library resolve it again leaves a window (DNS
rebinding: the second answer may be 127.0.0.1). So the check lives in the connection itself:
`guarded_client()` gives an httpx client whose every TCP connection, the first request and
every redirect hop alike, resolves the host once, checks the answers and connects to the
checked address; the URL is untouched, so Host and TLS SNI stay the original name and the
certificate is verified against it. A request that carries a secret over plain http (allowed
only into OUTBOUND_ALLOWED_NETWORKS) uses `secret_client()`: its connections are held to those
networks by the same connect-time check.

Every refusal is the same neutral `OutboundRefused`, whether the address is forbidden, the name
does not resolve, or (for callers that use `NEUTRAL_MESSAGE`) the port is closed or the host
timed out: error text must not tell an attacker which intranet ports are open.

The answer is read compressed only as gzip or deflate, one layer: the client asks for nothing
else, and a response in another coding (brotli unpacks 89 bytes into 50 MB, in one piece, before
any size limit can look at it) or in several layers is refused as an `httpx.DecodingError`
before its body is read.

httpx's timeouts bound each socket operation, not the exchange: a server that drips its status
line and headers a byte at a time, just under the read timeout, would hold the caller for hours.
Inside `with deadline(seconds):` every connect, TLS handshake, read and write on a guarded
connection ends by then (a timeout, as httpx reports it).

`OUTBOUND_ALLOWED_NETWORKS` (comma-separated CIDRs, each optionally with ``:port``) lets a named
intranet service or a test receiver through: ``10.1.0.0/16`` allows that network on ports 80
and 443, ``127.0.0.1/32:8089`` allows that address on port 8089 only. With BRIDGE_SIMULATOR on
(the embedded demo only) this server's own loopback port is allowed too: see `own_loopback`.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import logging
import socket
import ssl
import time
import typing
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

STANDARD_PORTS = frozenset({80, 443})
NEUTRAL_MESSAGE = "Alamat tujuan tidak dapat dihubungi"

# Ranges that carry an IPv4 address inside an IPv6 one: the inner address is what is reached.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# Not "global" for Python, but named here so the refusal does not hang on library versions.
_ALWAYS_REFUSED = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
)]


class OutboundRefused(httpcore.ConnectError):
    """The one error for an address we will not connect to. A `ConnectError` so that httpx
    reports it like any unreachable host; `reason` is for the server log only."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(NEUTRAL_MESSAGE)
        self.reason = reason

    @property
    def message(self) -> str:
        return NEUTRAL_MESSAGE


@dataclass(frozen=True)
class Allowance:
    network: IPNetwork
    port: int | None  # None: the standard ports

    def admits(self, ip: IPAddress, port: int) -> bool:
        ports = STANDARD_PORTS if self.port is None else {self.port}
        return port in ports and ip.version == self.network.version and ip in self.network


def parse_allowances(spec: str) -> tuple[Allowance, ...]:
    """``10.1.0.0/16,127.0.0.1/32:8089,[::1]/128:8089`` -> allowances. A bad entry raises
    ValueError: a typo here must fail loudly, not silently open or close the door."""
    allowances = []
    for raw in spec.split(","):
        entry = raw.strip()
        if not entry:
            continue
        address, port_text = entry, ""
        if entry.startswith("["):  # [v6]/len:port or [v6]:port
            inner, _, rest = entry[1:].partition("]")
            prefix, _, port_text = rest.partition(":")
            address = inner + prefix
        elif "/" in entry:
            address, _, rest = entry.partition("/")
            prefix, _, port_text = rest.partition(":")
            address = f"{address}/{prefix}"
        elif entry.count(":") == 1:  # v4:port
            address, _, port_text = entry.partition(":")
        port = None
        if port_text:
            if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
                raise ValueError(f"OUTBOUND_ALLOWED_NETWORKS: bad port in {entry!r}")
            port = int(port_text)
        try:
            network = ipaddress.ip_network(address, strict=False)
        except ValueError as exc:
            raise ValueError(f"OUTBOUND_ALLOWED_NETWORKS: bad network in {entry!r}") from exc
        allowances.append(Allowance(network, port))
    return tuple(allowances)


@lru_cache(maxsize=16)
def _allowances_of(spec: str) -> tuple[Allowance, ...]:
    return parse_allowances(spec)


# Off inside `without_own_loopback()`: for requests whose answer someone outside reads back (a
# webhook's delivery log), this server's own port is never a target, demo or not.
_own_loopback_on: contextvars.ContextVar[bool] = contextvars.ContextVar("own_loopback_on", default=True)


@contextlib.contextmanager
def without_own_loopback() -> typing.Iterator[None]:
    token = _own_loopback_on.set(False)
    try:
        yield
    finally:
        _own_loopback_on.reset(token)


def allowances() -> tuple[Allowance, ...]:
    # Read at every check, so a test (or a settings reload) takes effect at once.
    configured = configured_allowances()
    if getattr(settings, "BRIDGE_SIMULATOR", False) and _own_loopback_on.get():
        return configured + own_loopback(str(getattr(settings, "SITE_URL", "") or ""))
    return configured


def configured_allowances() -> tuple[Allowance, ...]:
    """The networks the operator let through (OUTBOUND_ALLOWED_NETWORKS), and nothing else."""
    return _allowances_of(str(getattr(settings, "OUTBOUND_ALLOWED_NETWORKS", "") or ""))


def https_or_configured_network(url: str) -> bool:
    """Whether a secret or personal data may be sent to ``url``: over https, or over plain http only
    to a network the operator let through (an intranet service, a test's receiver), never across
    the internet. Webhooks and the bridge's connectors both ask this."""
    return url.lower().startswith("https://") or in_configured_network(url)


def in_configured_network(url: str) -> bool:
    """Whether every address ``url``'s host resolves to is in a network the operator let through
    (an intranet service, a test's receiver): where plain http may be acceptable."""
    try:
        parsed = httpx.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        addresses = resolve(parsed.host, port)
    except (ValueError, UnicodeError, httpx.InvalidURL, OutboundRefused):
        return False
    allowed = configured_allowances()
    return bool(addresses) and all(any(a.admits(ip, port) for a in allowed) for ip in addresses)


_LOOPBACK_HOSTS = {"127.0.0.1": "127.0.0.1/32", "localhost": "127.0.0.1/32", "::1": "::1/128"}


@lru_cache(maxsize=4)
def own_loopback(site_url: str) -> tuple[Allowance, ...]:
    """The demo's bridge simulator is served by this very server: its loopback address on
    SITE_URL's port, and only when SITE_URL is a loopback address (the embedded default). A
    SITE_URL with a real name opens nothing."""
    try:
        parsed = httpx.URL(site_url)
    except (ValueError, httpx.InvalidURL):
        return ()
    host = (parsed.host or "").lower()
    if host not in _LOOPBACK_HOSTS or parsed.scheme not in ("http", "https"):
        return ()
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    networks = {"127.0.0.1/32", "::1/128"} if host == "localhost" else {_LOOPBACK_HOSTS[host]}
    return tuple(Allowance(ipaddress.ip_network(n), port) for n in sorted(networks))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def is_public_address(ip: IPAddress) -> bool:
    """A global unicast address, also when an IPv4 address hides inside an IPv6 one."""
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        return is_public_address(inner)
    if ip.is_multicast or any(ip.version == n.version and ip in n for n in _ALWAYS_REFUSED):
        return False
    return ip.is_global


def address_allowed(ip: IPAddress, port: int) -> bool:
    if any(a.admits(ip, port) for a in allowances()):
        return True
    return port in STANDARD_PORTS and is_public_address(ip)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal in any spelling the C library accepts
    resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise OutboundRefused(f"{host!r} does not resolve: {exc}") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise OutboundRefused(f"{host!r} has no address")
    return addresses


def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """Resolve `host` and check every answer: one forbidden answer refuses the whole name (a
    name that points at both the internet and the intranet is not one we trust)."""
    addresses = resolve(host, port)
    refused = [ip for ip in addresses if not address_allowed(ip, port)]
    if refused:
        raise OutboundRefused(f"{host!r}:{port} resolves to refused {refused}")
    return addresses


def check_url(url: str) -> None:
    """Raise `OutboundRefused` unless `url` is an http(s) URL whose host resolves, now, only to
    addresses we may reach on its port. Called when a user saves a URL; the connection checks
    again at every fetch and every redirect hop."""
    try:
        parts = urlsplit(url)
        parsed = httpx.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        host = parsed.host  # decoding an "xn--" label that is not valid IDNA raises here
    except (ValueError, UnicodeError, httpx.InvalidURL) as exc:
        raise OutboundRefused(f"unparsable URL {url!r}") from exc
    if parts.scheme not in ("http", "https") or parsed.scheme not in ("http", "https") or not host:
        raise OutboundRefused(f"not an http(s) URL: {url!r}")
    if (parts.hostname or "").lower() != host.lower():
        # Two parsers disagree on the host (backslashes, odd "@"): refuse rather than guess.
        raise OutboundRefused(f"ambiguous host in {url!r}")
    checked_addresses(host, port)


_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("netguard_deadline", default=None)


@contextlib.contextmanager
def deadline(seconds: float) -> typing.Iterator[None]:
    """Guarded connections used inside the block give up ``seconds`` from now (nested: the
    earlier deadline wins). Read at every operation, so a pooled connection obeys it too."""
    until = time.monotonic() + seconds
    current = _deadline.get()
    token = _deadline.set(until if current is None else min(current, until))
    try:
        yield
    finally:
        _deadline.reset(token)


def _within_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    until = _deadline.get()
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise expired("the exchange ran past its deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every operation also ends by the current `deadline`."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname,
                                                      _within_deadline(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to checked addresses. TLS is started by httpcore on the
    returned stream with the URL's host name, so SNI and certificate checks are unchanged.
    ``configured_only``: only to the networks the operator let through (see `secret_client`)."""

    def __init__(self, *, configured_only: bool = False) -> None:
        self._plain = httpcore.SyncBackend()
        self._configured_only = configured_only

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = checked_addresses(host, port)
            if self._configured_only and not all(any(a.admits(ip, port) for a in allowances()) for ip in addresses):
                raise OutboundRefused(f"{host!r}:{port} is outside the networks let through for plain http")
        except OutboundRefused as exc:
            logger.info("Outbound connection refused: %s", exc.reason)
            raise
        last: Exception | None = None
        for ip in addresses:
            try:
                return _DeadlineStream(self._plain.connect_tcp(
                    str(ip), port, timeout=_within_deadline(timeout, httpcore.ConnectTimeout),
                    local_address=local_address, socket_options=socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None
                            ) -> httpcore.NetworkStream:
        raise OutboundRefused("unix sockets are never reached from user input")

    def sleep(self, seconds: float) -> None:
        self._plain.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport on a connection pool that connects through `GuardedBackend`.
    No proxy from the environment: a proxy would resolve the name itself, out of our sight."""

    def __init__(self, *, limits: httpx.Limits | None = None, verify: bool | ssl.SSLContext = True,
                 configured_only: bool = False) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(verify=verify, trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(configured_only=configured_only),
        )


ACCEPT_ENCODING = "gzip, deflate"
_READABLE_CODINGS = frozenset({"identity", "gzip", "x-gzip", "deflate"})


def refuse_unasked_encoding(response: httpx.Response) -> None:
    """A response hook: only the codings we asked for, one layer (each gzip layer can multiply
    the size a thousandfold, and the size limits of the callers count unpacked bytes)."""
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1 or any(c not in _READABLE_CODINGS for c in codings):
        response.close()
        raise httpx.DecodingError(f"refused Content-Encoding {', '.join(codings)!r}", request=response.request)


def guarded_client(*, verify: bool | ssl.SSLContext = True, configured_only: bool = False,
                   **options: typing.Any) -> httpx.Client:
    """An httpx.Client for URLs a user can steer. Every connection, also to a redirect's
    target, goes through the guard, and only gzip/deflate answers are unpacked. Takes
    httpx.Client's options (timeout, headers, ...); ``verify`` an SSLContext to trust another
    authority as well (an intranet CA, a test's); ``configured_only``: connect only to the
    networks the operator let through."""
    headers = httpx.Headers(options.pop("headers", None))
    headers["Accept-Encoding"] = ACCEPT_ENCODING
    hooks = dict(options.pop("event_hooks", None) or {})
    hooks["response"] = [refuse_unasked_encoding, *hooks.get("response", [])]
    return httpx.Client(transport=GuardedTransport(verify=verify, configured_only=configured_only), trust_env=False,
                        headers=headers, event_hooks=hooks, **options)


def secret_client(url: str, **options: typing.Any) -> httpx.Client:
    """A guarded client for a request that carries a secret or personal data to ``url``, once
    `https_or_configured_network` said it may. Over plain http its connections reach only the
    operator's networks, checked at connect time with the very answer connected to: that earlier
    check resolved the name on its own, and a DNS answer changed in between would otherwise send
    the secret in clear text across the internet."""
    return guarded_client(configured_only=not url.lower().startswith("https://"), **options)
