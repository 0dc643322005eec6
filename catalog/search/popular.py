"""Popular searches of the last day, counted per submitted search (never per keystroke) in hourly buckets.

With Redis (``django-redis``), each search is one ``ZINCRBY`` on the hour's sorted set, which expires after a
day; the top list merges the last 24 sets and is cached for ``TOP_CACHE_SECONDS``. Without Redis (the embedded
SQLite default), the hour's counts are a dict in Django's cache: approximate under concurrent writers, which a
popularity list can afford. The database is never written.
"""

import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection
from redis.exceptions import RedisError

HOURS = 24
TOP = 10
TOP_CACHE_SECONDS = 60
MAX_QUERY_CHARS = 40
_KEY = "search:popular:{hour}"
_TOP_KEY = "search:popular:top"


def _uses_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].startswith("django_redis")


def _hour(offset: int = 0) -> int:
    return int(time.time() // 3600) - offset


def record(query: str) -> None:
    """Count one search for ``query`` (already normalized: the analysed words joined by a space)."""
    if not query or len(query) > MAX_QUERY_CHARS:
        return
    key = _KEY.format(hour=_hour())
    if _uses_redis():
        try:
            client = get_redis_connection("default")
            redis_key = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{key}"
            client.pipeline().zincrby(redis_key, 1, query).expire(redis_key, (HOURS + 1) * 3600).execute()
        except RedisError:
            pass  # a lost count is not worth an error page
        return
    counts = cache.get(key) or {}
    counts[query] = counts.get(query, 0) + 1
    cache.set(key, counts, (HOURS + 1) * 3600)


def top() -> list[str]:
    """The most searched queries of the last 24 hours, most searched first."""
    cached = cache.get(_TOP_KEY)
    if cached is not None:
        return cached
    totals: Counter[str] = Counter()
    keys = [_KEY.format(hour=_hour(offset)) for offset in range(HOURS)]
    if _uses_redis():
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        try:
            pipe = get_redis_connection("default").pipeline()
            for key in keys:
                pipe.zrevrange(f"{prefix}:{key}", 0, 4 * TOP, withscores=True)
            for hour in pipe.execute():
                totals.update({member.decode(): score for member, score in hour})
        except RedisError:
            return []
    else:
        for counts in cache.get_many(keys).values():
            totals.update(counts)
    result = [query for query, _ in totals.most_common(TOP)]
    cache.set(_TOP_KEY, result, TOP_CACHE_SECONDS)
    return result
