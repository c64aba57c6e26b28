"""The Redis cache (core/cache.py) against a real private Redis that is stopped and started:
misses and skipped writes while it is away, guess counters kept in the process, back to the
shared cache when Redis returns. The drill test_redis_down.py checks the same through gunicorn."""

from __future__ import annotations

import shutil
import time

import pytest

from satupintu.core.cache import ResilientRedisCache
from tests.faults import drill

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")


@pytest.fixture
def redis_and_cache(tmp_path):  # type: ignore[no-untyped-def]
    redis = drill.PrivateRedis(tmp_path)
    cache = ResilientRedisCache(redis.url, {"KEY_PREFIX": "uji", "OPTIONS": {"RETRY_AFTER_SECONDS": 0.2}})
    try:
        yield redis, cache
    finally:
        redis.close()


def test_redis_away_reads_miss_writes_are_skipped_and_nothing_raises(redis_and_cache):
    redis, cache = redis_and_cache
    cache.set("track:ABC:id", b"lama", 300)
    assert cache.get("track:ABC:id") == b"lama"
    redis.stop()
    started = time.monotonic()
    assert cache.get("track:ABC:id") is None and cache.get("x", 7) == 7
    cache.set("track:ABC:id", b"baru", 300)
    assert cache.add("catalog:version", 1, None) is False
    with pytest.raises(ValueError):
        cache.incr("catalog:version")  # "not there": callers already fall back to add/set
    cache.delete_many(["track:ABC:id", "track:ABC:en"])
    assert cache.get_or_set("kiosk-x", 0, 60) == 0
    assert cache.degraded
    assert time.monotonic() - started < 2  # no call waits on the dead server


def test_guess_counters_still_count_while_redis_is_away(redis_and_cache):
    redis, cache = redis_and_cache
    redis.stop()
    key = "unlock:42:203.0.113.9"
    for attempt in range(1, 6):
        cache.set(key, cache.get(key, 0) + 1, 900)
        assert cache.get(key) == attempt  # the per-process fallback keeps the count
    assert cache.get("track:42:id") is None  # other keys are not kept locally (they could go stale)


def test_back_to_the_shared_cache_when_redis_returns(redis_and_cache):
    redis, cache = redis_and_cache
    redis.stop()
    assert cache.get("a") is None
    redis.start()
    time.sleep(0.3)  # the breaker's pause
    cache.set("a", 1, 60)
    assert cache.get("a") == 1 and not cache.degraded
    # What another process (another cache object) wrote is visible: it really is Redis.
    other = ResilientRedisCache(redis.url, {"KEY_PREFIX": "uji"})
    assert other.get("a") == 1
