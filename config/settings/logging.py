"""Logs (JSON in production, with request id, user id and order number) and who may read /metrics."""

from .base import DEBUG, env

# --- Logging ----------------------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# "json" (one object a line, with request id, user id and order number: shop.logs) or "plain" for a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "shop.logs.LogContextFilter"}, "conflicts": {"()": "shop.logs.SkipConflicts"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "shop.logs.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Refusals answered 409 (out of stock in a drop) are counted in the metrics, not written as warnings.
        "django.request": {"filters": ["conflicts"]},
        # python-redis-lock logs every acquire at INFO: one line per order and product.
        "redis_lock": {"level": "WARNING"},
    },
}

# --- Metrics ----------------------------------------------------------------------------------------------
# /metrics answers only a client whose address (REMOTE_ADDR, never a forwarded header) is in these networks, or
# that sends "Authorization: Bearer <METRICS_TOKEN>"; anyone else gets a 404. Loopback by default in development
# only: behind a reverse proxy on the same host every visitor would come from 127.0.0.1.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"] if DEBUG else [])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
