"""Readiness checks: can this process reach what it needs to serve a request."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def database_is_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # any driver error means "not ready"; the caller only needs yes or no
        return False


def cache_is_reachable() -> bool:
    """True when the cache answers; always true for the in-process cache used without Redis."""
    if not settings.REDIS_URL:
        return True
    try:
        cache.set("readyz", "1", timeout=5)
        return cache.get("readyz") == "1"
    except Exception:
        return False
