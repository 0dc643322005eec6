"""Readiness checks (can this process reach what it needs to serve a request) and who may read the metrics."""

import hmac
import ipaddress

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


def metrics_allowed(request) -> bool:
    """The client's own address (REMOTE_ADDR: a forwarded header could be forged) is in METRICS_ALLOWED_NETWORKS,
    or it sends ``Authorization: Bearer <METRICS_TOKEN>``."""
    token = settings.METRICS_TOKEN
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS)
