"""Failed log-in limits: per IP, per account and IP, and (larger) per account.

allauth counts failed log-ins per IP and per email address, so five wrong passwords from anywhere locked the
owner out too. Here its per-email limit counts per (email, IP): a stranger's failures lock out the stranger
only, and a larger per-email limit (``login_failed_account``) still stops a slow attack spread over many IPs.
The counters are allauth's own (its cache entries and rollback); only the keys and the answer (429) are ours.
"""

import time

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache

APP = "allauth.account"


def account_ip_key(*, login, ip):
    return f"{login}|{ip}"


def consume(request, *, login, ip):
    """Counts one attempt. Returns ``(usage, 0)`` (``usage.rollback()`` un-counts it after a right password), or
    ``(None, seconds)`` when a limit is reached: how long until the oldest counted failure expires."""
    usage = ratelimit.RateLimitUsage(usage=[])
    for action, key in (("login_failed", account_ip_key(login=login, ip=ip)), ("login_failed_account", login)):
        counted = ratelimit.consume(request, app=APP, action=action, config=settings.ACCOUNT_RATE_LIMITS, key=key)
        if counted is None:
            usage.rollback()
            return None, _retry_after(request, action=action, key=key)
        usage.usage.extend(counted.usage)
    return usage, 0


def _retry_after(request, *, action, key):
    now = time.time()
    rates = ratelimit.get_rates(app=APP, action=action, config=settings.ACCOUNT_RATE_LIMITS)
    waits = []
    for rate in rates:
        history = cache.get(ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)) or []
        if len(history) >= rate.amount:
            waits.append(history[-1] + rate.duration - now)
    if not waits:
        # Refused with no full counter to read (the cache is down): the longest window is the honest answer.
        return int(max(rate.duration for rate in rates))
    return max(1, int(max(waits)) + 1)
