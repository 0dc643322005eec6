"""The cache and sessions (Redis when REDIS_URL is set), and the per-SKU stock locks on Redis."""

from .base import env

# --- Cache ------------------------------------------------------------------------------------------------
# The cache is a cache: with Redis down, django-redis answers a miss (and drops writes) instead of raising, so
# cached_db sessions and the app's X-Session-Token fall back to the database and every page keeps serving, just
# slower; /readyz reports "degraded". One option of the backend we already use, instead of a session engine or
# cache wrapper of our own (tests/shop/test_redis_down.py stops a private Redis mid-run to prove it).
# Rate limits read their counters from the cache: allauth cannot take its counter lock without Redis, so log-in
# and sign-up answer 429 while it is down (closed, not open, to brute force); DRF's throttles let requests through.
# A log-out during the outage deletes the session in the database but not in Redis: run the cache Redis without
# persistence (a restarted Redis is empty), or such a session could come back from the cache until it expires.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis with django-prometheus's hit, miss and failure counters.
            "BACKEND": "django_prometheus.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shop",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django_prometheus.cache.backends.locmem.LocMemCache", "LOCATION": "shop"}}

# With Redis, sessions (and so the mobile app's X-Session-Token) are read from the cache and written through
# to the database: one query less on every authenticated request, and nothing lost if Redis restarts.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Per-SKU stock locks (catalog.stock). Unset without Redis: the conditional UPDATE alone guards the stock.
STOCK_LOCK_REDIS_URL = env("STOCK_LOCK_REDIS_URL", default=REDIS_URL)
STOCK_LOCK_EXPIRE_SECONDS = env.int("STOCK_LOCK_EXPIRE_SECONDS", default=10)
STOCK_LOCK_WAIT_SECONDS = env.int("STOCK_LOCK_WAIT_SECONDS", default=5)
STOCK_LOCK_CONNECT_TIMEOUT = env.float("STOCK_LOCK_CONNECT_TIMEOUT", default=1.0)
# How long a sold-out flag stands at most if the increment that should clear it could not reach Redis.
STOCK_SOLD_OUT_FLAG_SECONDS = env.int("STOCK_SOLD_OUT_FLAG_SECONDS", default=10)
