"""Redis as Django's cache, failing soft: while Redis is unreachable the cache behaves as an empty one that
forgets every write, instead of raising into the page.

Everything the portal keeps in the cache can be lost: sessions (cached_db) are read from and written to the
database anyway, and the rate limits (the DRF visitor throttle, allauth's) then see no history and let the
request through. One backend covers every user of the cache, including the ones in libraries, so no caller
needs its own try/except. /healthz still reports the cache as "error" (a write it cannot read back).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# One warning per process at most this often: an outage would otherwise log on every cache call.
WARNING_INTERVAL_SECONDS = 60.0
_warning_lock = threading.Lock()
_last_warning = -WARNING_INTERVAL_SECONDS


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    with _warning_lock:
        now = time.monotonic()
        if now - _last_warning < WARNING_INTERVAL_SECONDS:
            return
        _last_warning = now
    logger.warning("Cache unavailable (%s: %s); carrying on without it.", operation, error)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client builds a new `redis.Redis` for every operation, and each one sets up its few
    hundred response callbacks (a quarter of a millisecond): keep one per connection pool instead. A
    `redis.Redis` takes a connection from its pool for each command, so sharing it is safe."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    """RedisCache whose operations, when Redis fails, answer as an empty cache would."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _soft(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except RedisError as error:
            _warn(operation, error)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        # An empty cache stores the key: True. allauth's rate-limit lock is one add(); False would make it
        # wait a second and then refuse every sign-in.
        return self._soft("add", lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), True)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft("get", lambda: super(FailSoftRedisCache, self).get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._soft("set", lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft("touch", lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft("delete", lambda: super(FailSoftRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._soft("get_many", lambda: super(FailSoftRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft("has_key", lambda: super(FailSoftRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            _warn("incr", error)
            raise ValueError(f"Key '{key}' not found.") from error  # what an empty cache answers

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._soft("set_many", lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version), [])

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._soft("delete_many", lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._soft("clear", lambda: super(FailSoftRedisCache, self).clear(), None)


# --- Entries kept until what they were read from changes ------------------------------------------------
#
# An entry is stored with `cache.add` by a request that found no entry, from what it read in the database.
# A change replaces the entries it touches with STALE at once and again when its transaction commits
# (`mark_stale`): a request that then finds STALE reads the database and stores nothing, and `add` fails
# over the marker, so what a request read before a change committed is never kept. Used by the signed-in
# users (apps.tenants.signed_in), the API tokens (apps.accounts.token_cache) and the saved filters
# (apps.accounts.selectors). They import django.core.cache when called: this module is the backend that
# django.core.cache loads.

STALE = "stale"
# Longer than a request can take between reading the database (just before a change committed) and
# storing what it read.
STALE_SECONDS = 10


def mark_stale(keys: Iterable[str]) -> None:
    """Replace these entries with STALE, now and once the open transaction (if any) commits."""
    from django.core.cache import cache
    from django.db import transaction

    marked = dict.fromkeys(keys, STALE)
    if not marked:
        return

    def mark() -> None:
        cache.set_many(marked, STALE_SECONDS)

    mark()
    transaction.on_commit(mark)


def read_through[V](key: str, load: Callable[[], V], timeout: int) -> V:
    """The entry under `key`, else what `load()` reads, stored unless a change marked the key STALE.
    `load` must not return None (a miss)."""
    from django.core.cache import cache

    entry = cache.get(key)
    if entry is not None and entry != STALE:
        return entry
    value = load()
    if entry is None:
        cache.add(key, value, timeout)
    return value
