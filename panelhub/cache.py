"""A Redis cache that fails open: when Redis cannot be reached, every call falls back to a
per-process in-memory cache and logs a warning, instead of raising.

Sign-in throttling (panels.signin), allauth's rate limits (sign-in, emailed codes, used
TOTP codes) and DRF's API throttles all keep their counters in the default cache, so that
limits hold across web processes. An outage of Redis must not turn into a 500, nor into a
hung request, on the sign-in page or any page that does not need the broker (issues 12
and 14). While Redis is down the limits still apply, per process; the warning says so, at
most once a minute per process.

A Redis that does not answer (a paused server, a dropped network) is bounded by short
socket timeouts (``OPTIONS`` in settings: ``socket_connect_timeout``, ``socket_timeout``);
after a failure the cache stops trying Redis for ``RETRY_AFTER_SECONDS`` and uses the
fallback straight away, so one request does not pay the timeout on every call.
Sessions never live here (SESSION_ENGINE is the database).
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("panelhub.cache")

OUTAGE_ERRORS = (RedisError, OSError)
WARN_EVERY_SECONDS = 60
RETRY_AFTER_SECONDS = 5.0
# Bounded waits for a Redis that accepts no connection or gives no answer.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"fail-open-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._warned_at = float("-inf")
        self._down_until = float("-inf")

    @property
    def redis_is_down(self) -> bool:
        """Whether calls currently skip Redis (a failure less than RETRY_AFTER_SECONDS ago)."""
        return time.monotonic() < self._down_until

    def _outage(self, operation: str, error: Exception):
        now = time.monotonic()
        self._down_until = now + RETRY_AFTER_SECONDS
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning(
                "Cache unavailable (%s during %s): using a per-process fallback, so rate "
                "limits hold per process only until Redis is back.",
                type(error).__name__,
                operation,
            )
        return getattr(self._fallback, operation)

    def _call(self, operation: str, *args, **kwargs):
        if self.redis_is_down:
            return getattr(self._fallback, operation)(*args, **kwargs)
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            return self._outage(operation, error)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self._call("clear", *args, **kwargs)
