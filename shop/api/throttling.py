"""Throttles that open rather than fail when their cache (Redis) is unreachable."""

import logging

import redis
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class FailOpenThrottleMixin:
    """A throttle that lets requests through when the cache is down: a rate limit is not worth an outage."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except redis.RedisError as exc:
            logger.warning("%s skipped, cache unreachable: %s", type(self).__name__, exc)
            return True


class AnonThrottle(FailOpenThrottleMixin, AnonRateThrottle):
    """Anonymous callers by IP address (setting ``THROTTLE_ANON``)."""
