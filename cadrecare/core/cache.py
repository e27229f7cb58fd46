"""Redis as an accelerator, never a dependency of reads or logins.

Django's cache holds DRF's throttle counts and the login lock-outs, and both
are read before any view: with a plain Redis cache, a Redis outage answered
every request with a 500. ``FailoverRedisCache`` serves each operation from
Redis while it answers and from this process's memory while it does not, so
throttles and lock-outs keep working per process (each process counts on its
own: limits loosen by the number of processes, they never vanish) and nothing
cached is lost that matters, because the database stays the source of truth.

After a failure Redis is left alone for ``RETRY_SECONDS`` (a request does not
wait on a dead server each time), then tried again. The outage is logged when
it starts and when it ends, each operation served from memory is counted, and
``/healthz`` reports the state (``cache_state``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: How long memory serves alone after Redis failed, before Redis is tried again.
RETRY_SECONDS = 5.0


class RedisOutage:
    """This process's view of its cache Redis: down since when, when to try
    it again, how many operations memory served (the metric on /healthz)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.since: float | None = None
        self.retry_at = 0.0
        self.fallbacks = 0

    def skip_redis(self) -> bool:
        return self.since is not None and time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_SECONDS
            if self.since is None:
                self.since = now
                logger.warning(
                    "cache Redis unavailable (%s): throttles, lock-outs and the cache fall back to "
                    "this process's memory",
                    error,
                )

    def served_from_memory(self) -> None:
        with self._lock:
            self.fallbacks += 1

    def answered(self) -> None:
        if self.since is None:
            return
        with self._lock:
            if self.since is not None:
                logger.warning(
                    "cache Redis is back after %.0f s; %d operations were served from memory so far",
                    time.monotonic() - self.since,
                    self.fallbacks,
                )
                self.since = None


outage = RedisOutage()


def _failover(name: str) -> Callable[..., Any]:
    redis_operation = getattr(RedisCache, name)

    def operation(self: FailoverRedisCache, *args: Any, **kwargs: Any) -> Any:
        if not outage.skip_redis():
            try:
                result = redis_operation(self, *args, **kwargs)
            except RedisError as error:
                outage.failed(error)
            else:
                outage.answered()
                return result
        outage.served_from_memory()
        return getattr(self.memory, name)(*args, **kwargs)

    operation.__name__ = name
    return operation


class FailoverRedisCache(RedisCache):
    """Django's Redis cache, falling back to a per-process memory cache with
    the same keys and timeouts while Redis does not answer."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.memory = LocMemCache(
            f"redis-fallback-{server}", {key: value for key, value in params.items() if key != "OPTIONS"}
        )

    add = _failover("add")
    get = _failover("get")
    set = _failover("set")
    touch = _failover("touch")
    delete = _failover("delete")
    get_many = _failover("get_many")
    has_key = _failover("has_key")
    incr = _failover("incr")
    set_many = _failover("set_many")
    delete_many = _failover("delete_many")

    _clear = _failover("clear")

    def clear(self) -> None:
        """Empty both: what memory kept during an outage must not outlive a clear."""
        self.memory.clear()
        self._clear()

    def ping(self) -> bool:
        """Whether Redis answers now (recorded like any other operation)."""
        try:
            # RedisCache._cache (Django's client wrapper) is private, so django-stubs leaves it out.
            self._cache.get_client().ping()  # type: ignore[attr-defined]
        except RedisError as error:
            outage.failed(error)
            return False
        outage.answered()
        return True


def cache_state() -> str:
    """``ok`` (Redis answers), ``fallback`` (Redis is down: memory serves) or
    ``memory`` (no Redis configured: the embedded default)."""
    backend = caches["default"]
    if not isinstance(backend, FailoverRedisCache):
        return "memory"
    return "ok" if backend.ping() else "fallback"
