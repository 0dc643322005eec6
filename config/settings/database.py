"""Databases: the primary from DATABASE_URL (SQLite by default), an optional read replica."""

from .base import BASE_DIR, MIDDLEWARE, env

# --- Database ---------------------------------------------------------------------------------------------
# DATABASE_URL unset: SQLite in the project folder. mysql://user:pass@host:port/name: MySQL 8 / MariaDB 10.11.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASE_VENDOR = "mysql" if "mysql" in DATABASES["default"]["ENGINE"] else "sqlite"
if DATABASE_VENDOR == "mysql":
    DATABASES["default"]["OPTIONS"] = {
        "charset": "utf8mb4",
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'",
        "isolation_level": "read committed",
    }
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing with "locked";
    # WAL lets the Celery worker and the web server read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# DATABASE_REPLICA_URL (optional, same form): a read replica of the primary for catalog reads (shop/replicas.py).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "OPTIONS": {**DATABASES["default"]["OPTIONS"], "connect_timeout": 1},
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["shop.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(1, "shop.replicas.ReplicaReadsMiddleware")
# A customer's requests read the primary this long after their own write (longer than the replica lag we accept);
# a replica that failed to answer is skipped this long.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=5)
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# MySQL/MariaDB cannot enforce allauth's conditional unique constraints (models.W036); allauth checks the same
# rules in its forms and flows, which is where they matter.
SILENCED_SYSTEM_CHECKS = ["models.W036"]
# django-prometheus's subclass of the same backend: queries, their durations and errors in /metrics; for MySQL our
# subclass of that (shop/db/mysql), which opens a transaction in one round trip instead of two.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace("django.db.", "django_prometheus.db.")
if DATABASE_VENDOR == "mysql":
    DATABASES["default"]["ENGINE"] = "shop.db.mysql"
