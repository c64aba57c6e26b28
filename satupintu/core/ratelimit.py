"""Every rate limit of the public site, in one place: who is asking and how often.

Who: ``client_ip(request)``. Behind the TLS proxy of the deployment guide every request comes
from the proxy's address, so limits keyed on ``REMOTE_ADDR`` would lump the whole country
together. ``X-Forwarded-For`` is believed only when the direct peer is one of
``settings.TRUSTED_PROXIES`` (CIDRs); then the right-most address that is not a trusted proxy
is the client (everything left of it was written by the client and may be forged).

How often: ``take(limit, *key)`` counts one use atomically and says whether it was within the
limit, so N parallel requests get at most ``limit.limit`` yeses. With Redis as the cache the
count is one Lua script (INCRBY + EXPIRE together: a counter can never be left without its
expiry); with another cache (LocMem in tests, the file cache of a one-machine install) the
count is a read-modify-write under a lock of this process, exact for threads, per process
across several processes. While Redis is unreachable the ResilientRedisCache keeps these
counters in process memory (core/cache.py), so limits still hold per process.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from satupintu.core.errors import DomainError

PREFIX = "rl:"
RATELIMIT_CACHE_ALIAS = "ratelimit"


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int  # uses allowed per window
    window: int  # seconds
    message: str  # what the person is told (429)


MINUTE, HOUR, DAY = 60, 3600, 86400

# Tracking unlock (last four phone digits: 10,000 values). Wrong guesses are counted per
# application from everyone, so more addresses do not buy more guesses; past that cap the
# digits alone no longer unlock and the owner proves themselves with a code e-mailed to the
# address on the application (services/unlock.py).
UNLOCK_PER_CLIENT = Limit("unlock-client", 5, 15 * MINUTE, "Terlalu banyak percobaan. Coba lagi 15 menit lagi.")
UNLOCK_PER_APPLICATION = Limit(
    "unlock-app", 10, DAY,
    "Terlalu banyak percobaan yang salah untuk permohonan ini. Minta kode sekali pakai ke e-mail Anda.")
UNLOCK_CODE_SENDS = Limit("unlock-code-send", 3, DAY, "Kode sudah dikirim 3 kali hari ini. Periksa e-mail Anda.")
UNLOCK_CODE_TRIES = Limit("unlock-code-try", 10, DAY, "Terlalu banyak kode yang salah. Coba lagi besok.")
UNLOCK_CODE_PER_CLIENT = Limit("unlock-code-client", 20, HOUR, "Terlalu banyak permintaan kode. Coba lagi nanti.")
# Claiming what a phone filed for a citizen account (citizen/claims.py): codes sent to one
# phone, codes one account asks for (over all phones), and wrong codes per account and phone.
CLAIM_SENDS_PER_PHONE = Limit("claim-send-phone", 3, DAY, "Kode sudah dikirim 3 kali hari ini ke nomor ini. Coba lagi besok.")
# Every account together: a cap on the texts one number receives. Above, per account and number, so
# another account asking three times does not lock the owner out of claiming their own number.
CLAIM_SENDS_TO_PHONE = Limit("claim-send-phone-all", 10, DAY,
                             "Kode sudah terlalu sering dikirim ke nomor ini hari ini. Coba lagi besok.")
CLAIM_SENDS_PER_USER = Limit("claim-send-user", 10, DAY, "Terlalu banyak permintaan kode hari ini. Coba lagi besok.")
CLAIM_TRIES = Limit("claim-try", 10, DAY, "Terlalu banyak kode yang salah. Coba lagi besok.")
# Complaints, aspirations and questions (accepted ones).
REPORTS_PER_CLIENT = Limit("reports-client", 20, HOUR,
                           "Terlalu banyak laporan dari alamat ini. Coba lagi satu jam lagi.")
REPORTS_PER_PHONE = Limit("reports-phone", 3, DAY, "Terlalu banyak laporan dari nomor ini hari ini.")
# Each accepted report e-mails the address typed with it (any address: nobody proves it), so the
# form must not become a way to send our mail to someone many times a day.
REPORTS_PER_EMAIL = Limit("reports-email", 5, DAY, "Terlalu banyak laporan untuk alamat e-mail ini hari ini.")
# Field reports (field/): per reporter; a phone back from days offline may send a dozen at once.
FIELD_REPORTS_PER_USER = Limit("field-reports-user", 60, HOUR,
                               "Terlalu banyak laporan lapangan dalam satu jam. Laporan tetap tersimpan di ponsel "
                               "dan dikirim lagi nanti.")
# Every post of a field report, refused ones too, counted before its photos are checked (each
# post may carry 5 x 5 MB for Pillow to read): a stuck script or a stolen session cannot make
# the server verify photos without end. Twice the accepted limit: correcting a report that was
# refused a few times stays well within it.
FIELD_REPORT_POSTS_PER_USER = Limit("field-report-posts-user", 2 * FIELD_REPORTS_PER_USER.limit, HOUR,
                                    "Terlalu banyak kiriman laporan lapangan dalam satu jam. Laporan tetap "
                                    "tersimpan di ponsel dan dikirim lagi nanti.")
# Applications: each one e-mails its address from the ministry's sender.
# A PTSP desk that applies for citizens from one address may need more (settings).
APPLICATIONS_PER_CLIENT = Limit("apply-client", settings.APPLICATIONS_PER_CLIENT_PER_HOUR, HOUR,
                                "Terlalu banyak permohonan dari alamat ini. Coba lagi satu jam lagi.")
APPLICATIONS_PER_EMAIL = Limit("apply-email", settings.APPLICATIONS_PER_EMAIL_PER_HOUR, HOUR,
                               "Terlalu banyak permohonan untuk alamat e-mail ini. Coba lagi satu jam lagi.")
# ... and its phone: each one texts or messages the number (a stranger's applications, a victim's phone).
APPLICATIONS_PER_PHONE = Limit("apply-phone", settings.APPLICATIONS_PER_PHONE_PER_HOUR, HOUR,
                               "Terlalu banyak permohonan untuk nomor ponsel ini. Coba lagi satu jam lagi.")
# Posts, accepted or refused, per client: a refused post still had its files checked (up to 30 MB of
# PDFs read) and counted nowhere. Twice the accepted limit: a few corrections stay well within it.
APPLICATION_POSTS_PER_CLIENT = Limit("apply-posts-client", 2 * settings.APPLICATIONS_PER_CLIENT_PER_HOUR, HOUR,
                                     "Terlalu banyak kiriman formulir dari alamat ini. Coba lagi satu jam lagi.")
REPORT_POSTS_PER_CLIENT = Limit("report-posts-client", 2 * REPORTS_PER_CLIENT.limit, HOUR,
                                "Terlalu banyak kiriman formulir dari alamat ini. Coba lagi satu jam lagi.")
# Survey: a registered kiosk serves a few people a minute; answers from anywhere else are
# kept as unverified feedback and limited per address.
SURVEY_PER_KIOSK = Limit("survey-kiosk", 6, MINUTE,
                         "Terlalu banyak jawaban dari perangkat ini dalam semenit. Tunggu sebentar.")
SURVEY_PER_CLIENT = Limit("survey-client", 6, HOUR, "Terlalu banyak jawaban dari alamat ini. Coba lagi nanti.")
# Verifying issued documents (/verifikasi/): tokens looked up and PDFs checked, per address.
# A token has 60 bits, so the limit is about the cost of checking PDFs more than guessing.
VERIFY_LOOKUPS_PER_CLIENT = Limit("verify-lookup", 120, HOUR, "Terlalu banyak pemeriksaan dari alamat ini. Coba lagi nanti.")
VERIFY_UPLOADS_PER_CLIENT = Limit("verify-upload", 30, HOUR,
                                  "Terlalu banyak berkas diperiksa dari alamat ini. Coba lagi satu jam lagi.")
# The second factor asked again when signing a document: wrong codes per signer.
SIGN_CODE_TRIES = Limit("sign-code-try", 5, 15 * MINUTE, "Terlalu banyak kode yang salah. Coba lagi 15 menit lagi.")
# The Zona Integritas pack (reform/integrity_views.py), per staff account: each PDF is built on
# request, and each ZIP also renders the SKM report and the minutes of the year's meetings, so
# repeating it (or a stolen session) would tie up workers and temporary disk. A head of office
# checks a pack a few times while preparing the self-assessment; more is a loop or a script.
ZI_PDF_PER_USER = Limit("zi-pdf-user", 6, MINUTE,
                        "Terlalu banyak unduhan PDF Zona Integritas dalam semenit. Tunggu sebentar, lalu coba lagi.")
ZI_ZIP_PER_USER = Limit("zi-zip-user", 3, MINUTE,
                        "Terlalu banyak unduhan ZIP Zona Integritas dalam semenit. Tunggu sebentar, lalu coba lagi.")
ZI_ZIP_PER_USER_HOUR = Limit("zi-zip-user-hour", 20, HOUR,
                             "Terlalu banyak unduhan ZIP Zona Integritas dalam satu jam. Coba lagi nanti.")
# Humas yearly report PDF (humas/views.report_pdf): built while the person waits and a national
# one reads every office, so a few a minute per staff account.
HUMAS_REPORT_PER_USER = Limit("humas-report", 6, MINUTE,
                              "Terlalu banyak laporan Humas diminta dalam semenit. Tunggu sebentar lalu coba lagi.")
# Files kept across form errors (services/upload_stash.py), per address over the time a kept
# file lives: the stash is per browser session, and a script that drops its cookie gets a new
# session with every post (failed posts are not applications, so APPLICATIONS_PER_CLIENT does
# not count them). Two sessions' worth; past it files are not kept and are picked again.
UPLOAD_STASH_PER_CLIENT = Limit("upload-stash-client", 60, settings.UPLOAD_STASH_SECONDS,
                                "Berkas yang Anda pilih belum dapat disimpan sementara. Pilih lagi berkasnya "
                                "sebelum mengirim.")
# The texts that tell a number it has no account, or that it is already registered
# (accounts/delivery.py): sent silently within these, so the page never differs. One a number
# informs its owner; more are noise or someone's SMS bill (SMS pumping), per number and per address.
_NOTICE_LIMITED = "Pemberitahuan ke nomor HP tidak dikirim: sudah terlalu banyak."  # for the logs; never shown
SIGN_IN_NOTICES_PER_NUMBER = Limit("sign-in-notice-number", 2, DAY, _NOTICE_LIMITED)
SIGN_IN_NOTICES_PER_CLIENT = Limit("sign-in-notice-client", 3, MINUTE, _NOTICE_LIMITED)
SIGN_IN_NOTICES_PER_CLIENT_DAY = Limit("sign-in-notice-client-day", 20, DAY, _NOTICE_LIMITED)
# Citizen sign-up (staff sign-in is throttled by django-axes).


class RateLimited(DomainError):
    status = 429

    def __init__(self, limit: Limit, code: str = "too_many_attempts"):
        super().__init__(code, limit.message, status=429, retry_after=limit.window)
        self.limit = limit


# --- who is asking -------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    nets = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    return any(ip.version == n.version and ip in n for n in nets)


def client_ip(request: HttpRequest) -> str:
    """The address of the person, not of our proxy (see the module docstring). Always a
    valid IP address, or "" when the server was not given one."""
    peer = _parse(str(request.META.get("REMOTE_ADDR", "") or ""))
    if peer is None:
        return ""
    closest = peer
    if _trusted(peer):
        hops = [h for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
        for hop in reversed(hops):
            ip = _parse(hop)
            if ip is None:  # not an address: stop at the last hop we could read
                break
            closest = ip
            if not _trusted(ip):
                break
    return str(closest)


# --- how often -----------------------------------------------------------------------------

# KEYS[1] the counter, ARGV[1] window seconds, ARGV[2] delta. A refund of a counter that
# has expired meanwhile is dropped (it must not start a new window below zero).
_LUA = """
local delta = tonumber(ARGV[2])
if delta < 0 and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = redis.call('INCRBY', KEYS[1], delta)
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""

_lock = threading.Lock()


def _key(limit: Limit, parts: tuple[object, ...]) -> str:
    # Hashed: e-mail addresses and phone numbers are not kept in the cache in clear.
    digest = hashlib.sha256("|".join(_counted_as(p) for p in parts).encode()).hexdigest()[:32]
    return f"{PREFIX}{limit.name}:{digest}"


_GMAIL = frozenset({"gmail.com", "googlemail.com"})


def _counted_as(part: object) -> str:
    """What one person can vary at will counts as one: an IPv6 client as its /64 (a subscriber,
    a phone on a mobile network, gets a whole /64 and picks addresses from it), an e-mail address
    without its "+tag" (and, at Gmail, its dots): every such spelling reaches the same inbox."""
    text = str(part)
    if ":" in text:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            return text
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped is not None:
                return str(ip.ipv4_mapped)
            return str(ipaddress.ip_network(f"{ip}/64", strict=False))
        return text
    local, at, domain = text.rpartition("@")
    if at and local and "." in domain:
        domain = domain.lower()
        local = local.lower().split("+", 1)[0] or local.lower()
        if domain in _GMAIL:
            local, domain = local.replace(".", ""), "gmail.com"
        return f"{local}@{domain}"
    return text


def _local_incr(backend: BaseCache, key: str, window: int, delta: int) -> int:
    """Read-modify-write under this process's lock; the window starts with the first use."""
    with _lock:
        now = time.time()
        value = backend.get(key)
        count, expires = value if isinstance(value, tuple) and value[1] > now else (0, now + window)
        if delta < 0 and count == 0:
            return 0
        count = max(0, count + delta)
        backend.set(key, (count, expires), timeout=max(1, math.ceil(expires - now)))
        return count


def _counters() -> BaseCache:
    """The counters' own cache (``CACHES["ratelimit"]``, settings.py), else the shared one. Their
    own: filling the shared cache (a random search per request caches a page each; the file cache
    of a one-machine install then deletes a random third of its entries, Redis evicts under memory
    pressure) reset the counters that limit guessing, the phone-digit unlock's among them."""
    return caches[RATELIMIT_CACHE_ALIAS if RATELIMIT_CACHE_ALIAS in settings.CACHES else DEFAULT_CACHE_ALIAS]


def _incr(key: str, window: int, delta: int = 1) -> int:
    backend = _counters()
    if isinstance(backend, RedisCache):
        redis_key = backend.make_and_validate_key(key)

        def in_redis() -> int:
            client = backend._cache.get_client(redis_key, write=True)  # type: ignore[attr-defined]  # Django's own client
            return int(client.eval(_LUA, 1, redis_key, window, delta))

        from satupintu.core.cache import ResilientRedisCache

        if isinstance(backend, ResilientRedisCache):  # Redis away: this process's own counters
            return int(backend._call("ratelimit", in_redis, lambda: _local_incr(backend._local, key, window, delta)))
        return in_redis()
    return _local_incr(backend, key, window, delta)


def used(limit: Limit, *parts: object) -> int:
    """Uses counted in the current window."""
    value = _counters().get(_key(limit, parts))
    if isinstance(value, tuple):
        return int(value[0]) if value[1] > time.time() else 0
    return int(value or 0)


def exhausted(limit: Limit, *parts: object) -> bool:
    return used(limit, *parts) >= limit.limit


def take(limit: Limit, *parts: object) -> bool:
    """Count one use; True when it was within the limit. Atomic: at most ``limit.limit``
    True answers per window however many requests race."""
    return _incr(_key(limit, parts), limit.window) <= limit.limit


def refund(limit: Limit, *parts: object) -> None:
    """Give back one use (the thing it was taken for did not happen or does not count)."""
    _incr(_key(limit, parts), limit.window, -1)


def reset(limit: Limit, *parts: object) -> None:
    _counters().delete(_key(limit, parts))


Use = tuple[Limit, tuple[object, ...]]


def charge(*uses: Use, code: str = "too_many_requests") -> None:
    """Take one use of each (limit, key), or raise RateLimited (429) having given back what
    was taken: all of them count, or none does."""
    taken: list[Use] = []
    for limit, parts in uses:
        taken.append((limit, parts))
        if not take(limit, *parts):
            for back, back_parts in taken:
                refund(back, *back_parts)
            raise RateLimited(limit, code)


@contextmanager
def spend(*uses: Use, code: str = "too_many_requests") -> Iterator[None]:
    """charge(), and give every use back if the block raises (a report refused as a
    duplicate does not count)."""
    charge(*uses, code=code)
    try:
        yield
    except BaseException:
        for limit, parts in uses:
            refund(limit, *parts)
        raise


# Files sent to our WhatsApp numbers, per sending number a day: each is downloaded (up to
# WHATSAPP_MEDIA_MAX_BYTES), checked and kept, whatever the conversation is about.
WHATSAPP_MEDIA_PER_NUMBER_DAY = Limit("whatsapp-media-number", 30, DAY,
                                      "Terlalu banyak berkas dari nomor ini hari ini.")
# The citizens' account mails (allauth: reset links, sign-in codes, "no account with this address"),
# per inbox a day: allauth's own limits are per minute, and 50 mails reached one inbox in 10 minutes.
ACCOUNT_MAILS_PER_ADDRESS_DAY = Limit("account-mails-address", 10, DAY,
                                      "Terlalu banyak email akun ke alamat ini hari ini. Coba lagi besok.")


def account_mail_allowed(request: HttpRequest) -> bool:
    """Sign-ups and password resets both send e-mail: at most ACCOUNT_MAIL_LIMIT_PER_HOUR an
    hour from one client, so nobody floods a mailbox or probes accounts by the thousand."""
    limit = Limit("account-mail", int(getattr(settings, "ACCOUNT_MAIL_LIMIT_PER_HOUR", 5)), HOUR,
                  "Terlalu banyak permintaan dari alamat ini. Coba lagi nanti.")
    return take(limit, client_ip(request))
