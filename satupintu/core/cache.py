"""A Redis cache that degrades instead of failing when Redis is away.

Everything Satu Pintu keeps in the cache can be rebuilt: tracking answers and catalog
fragments are read again from the database, so while Redis is unreachable a read is a miss
and a write is skipped (logged once per outage, not once per call). Citizens can still apply
and track; pages are only a little slower.

Counters that limit guessing (the last four digits of a phone number, reports per address,
kiosk answers) are different: a miss would mean "no attempts yet" for ever, and four digits
are only 10,000 guesses. Keys starting with one of ``LOCAL_FALLBACK_PREFIXES`` are kept in this
process's memory while Redis is away, so the limit still holds per web process (with N
processes an attacker gets at most N times the attempts, far from 10,000) and citizens who
know their digits are not locked out. Once Redis answers again the shared counters are used.

After a failure Redis is not asked again for ``RETRY_AFTER_SECONDS`` (a small circuit
breaker), so a request does not pay the connect timeout on every cache call.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("satupintu.cache")

# "rl:" is every counter of core/ratelimit.py; "unlock-code:" the e-mailed unlock codes;
# "whatsapp:" the webhook's "a drain is queued" flag (without it no delivery would wake the worker).
DEFAULT_FALLBACK_PREFIXES = ("rl:", "unlock-code:", "unlock:", "api-unlock:", "reports:", "kiosk:", "whatsapp:")
# Connection refused is immediate; these bound a Redis that hangs (host gone, SIGSTOP).
DEFAULT_POOL_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

_missing = object()


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.fallback_prefixes = tuple(options.pop("LOCAL_FALLBACK_PREFIXES", DEFAULT_FALLBACK_PREFIXES))
        self.retry_after = float(options.pop("RETRY_AFTER_SECONDS", 2.0))
        params["OPTIONS"] = {**DEFAULT_POOL_OPTIONS, **options}
        super().__init__(server, params)
        self._local = LocMemCache("satupintu-cache-fallback", {"OPTIONS": {"MAX_ENTRIES": 50_000}})
        self._down_until = 0.0
        self._lock = threading.Lock()

    # --- the breaker -----------------------------------------------------------------

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, exc: BaseException) -> None:
        with self._lock:
            first = self._down_until == 0.0
            self._down_until = time.monotonic() + self.retry_after
        if first:
            log.warning("cache (Redis) unreachable during %s: %s; serving without it", operation, exc)

    def _recovered(self) -> None:
        if self._down_until:
            with self._lock:
                if self._down_until:
                    self._down_until = 0.0
                    log.warning("cache (Redis) reachable again")

    def _local_key(self, key: str) -> bool:
        return key.startswith(self.fallback_prefixes)

    def _call(self, operation: str, fn, fallback):  # type: ignore[no-untyped-def]
        """fn() against Redis; fallback() when Redis is (or was just found) unreachable."""
        if self._available():
            try:
                result = fn()
            except RedisError as exc:  # ConnectionError, TimeoutError, BusyLoadingError, ...
                self._failed(operation, exc)
            else:
                self._recovered()
                return result
        return fallback()

    # --- the cache API ---------------------------------------------------------------

    def get(self, key, default=None, version=None):  # type: ignore[no-untyped-def]
        local = self._local_key(key)
        return self._call("get", lambda: super(ResilientRedisCache, self).get(key, default, version),
                          lambda: self._local.get(key, default, version) if local else default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[no-untyped-def]
        local = self._local_key(key)
        self._call("set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
                   lambda: self._local.set(key, value, timeout, version) if local else None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[no-untyped-def]
        local = self._local_key(key)
        # Not stored anywhere: False, so callers fall back to incr/set (counters) or to the default.
        return self._call("add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
                          lambda: self._local.add(key, value, timeout, version) if local else False)

    def incr(self, key, delta=1, version=None):  # type: ignore[no-untyped-def]
        local = self._local_key(key)

        def fallback():  # type: ignore[no-untyped-def]
            if local:
                return self._local.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found (cache unavailable)")

        return self._call("incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), fallback)

    def decr(self, key, delta=1, version=None):  # type: ignore[no-untyped-def]
        return self.incr(key, -delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[no-untyped-def]
        local = self._local_key(key)
        return self._call("touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
                          lambda: self._local.touch(key, timeout, version) if local else False)

    def delete(self, key, version=None):  # type: ignore[no-untyped-def]
        self._local.delete(key, version)
        return self._call("delete", lambda: super(ResilientRedisCache, self).delete(key, version), lambda: False)

    def has_key(self, key, version=None):  # type: ignore[no-untyped-def]
        local = self._local_key(key)
        return self._call("has_key", lambda: super(ResilientRedisCache, self).has_key(key, version),
                          lambda: self._local.has_key(key, version) if local else False)

    def get_many(self, keys, version=None):  # type: ignore[no-untyped-def]
        keys = list(keys)
        return self._call(
            "get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self._local.get_many([k for k in keys if self._local_key(k)], version),
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):  # type: ignore[no-untyped-def]
        def fallback():  # type: ignore[no-untyped-def]
            self._local.set_many({k: v for k, v in data.items() if self._local_key(k)}, timeout, version)
            return list(data)  # the keys that were not stored in the shared cache

        return self._call("set_many", lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
                          fallback)

    def delete_many(self, keys, version=None):  # type: ignore[no-untyped-def]
        keys = list(keys)
        self._local.delete_many(keys, version)
        self._call("delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), lambda: None)

    def clear(self):  # type: ignore[no-untyped-def]
        self._local.clear()
        return self._call("clear", lambda: super(ResilientRedisCache, self).clear(), lambda: False)

    @property
    def degraded(self) -> bool:
        """True while Redis is considered unreachable (for health pages and tests)."""
        return not self._available()
