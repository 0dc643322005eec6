"""The API's throttles: one Redis round trip a request, and open rather than failing when Redis is unreachable."""

import logging

import redis
from django.core.cache import cache, caches
from redis.commands.core import Script
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


def _redis_client():
    # django-redis's cache, or a subclass of it (django-prometheus's, which counts hits and misses).
    from django_redis.cache import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend.client.get_client(write=True)


# INCR and EXPIRE in one command (EVALSHA): one round trip, as the pipeline of the two was, without redis-py
# building a pipeline for every request (38 -> 30 us in a loop, 185 -> 169 us in a request: docs/PERFORMANCE.md).
# Atomic, so no counter is ever left without its expiry.
_COUNT = Script(
    None,  # every call names its client; the text as bytes, so no client's encoder is needed for its SHA1
    b"""
local count = redis.call('incr', KEYS[1])
redis.call('expire', KEYS[1], ARGV[1])
return count
""",
)


class CounterThrottleMixin:
    """A fixed-window counter (INCR and EXPIRE in one round trip, one script) when the cache is Redis.

    DRF's own throttle reads a list of timestamps and writes it back: two round trips on every request, and a
    read-then-write that lets concurrent requests through. A window's counter may admit up to twice the rate
    across a window boundary; for a limit meant to stop abuse, not to meter, that is the cheaper trade. Without
    Redis (the embedded default) DRF's own implementation runs. A Redis that is down lets requests through:
    a rate limit is not worth an outage.
    """

    def allow_request(self, request, view):
        try:
            client = _redis_client()
            if client is None or self.rate is None:
                return super().allow_request(request, view)
            self.key = self.get_cache_key(request, view)
            if self.key is None:
                return True
            now = self.timer()
            window = int(now // self.duration)
            self.window_ends_at = (window + 1) * self.duration
            key = cache.make_key(f"{self.key}:{window}")
            count = _COUNT(keys=[key], args=[self.duration + 1], client=client)
            return count <= self.num_requests
        except redis.RedisError as exc:
            logger.warning("%s skipped, cache unreachable: %s", type(self).__name__, exc)
            return True

    def wait(self):
        if getattr(self, "window_ends_at", None) is None:
            return super().wait()
        return max(self.window_ends_at - self.timer(), 1)


class AnonThrottle(CounterThrottleMixin, AnonRateThrottle):
    """Anonymous callers by IP address (setting ``THROTTLE_ANON``)."""


class UserThrottle(CounterThrottleMixin, UserRateThrottle):
    """Signed-in customers by user id (setting ``THROTTLE_USER``); subclasses set their own ``scope``."""
