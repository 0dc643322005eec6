"""Read replicas: catalog reads of web requests go to ``DATABASES["replica"]``, everything else to the primary.

Installed by config/settings/database.py only when ``DATABASE_REPLICA_URL`` is set (the embedded default has no replica).

- Only models of ``REPLICA_APPS`` (the catalog: listings, product pages, search) are read from the replica. A
  replica lags, and a cart, an order, a session or an idempotency key read stale would be wrong; a product page a
  second old is not.
- Only inside a web request that has not written: ``ReplicaReadsMiddleware`` opens the replica for the request
  and watches the primary's connection. The first INSERT/UPDATE/DELETE (the customer's own write, a session save
  included) sends every later read of that request to the primary, and the response sets a short-lived cookie
  that keeps the customer's next requests on the primary for ``REPLICA_PIN_SECONDS``, longer than the lag we
  accept. Celery tasks, management commands and the admin's writes never read the replica.
- Inside a transaction every read goes to the primary (a locked row, a read-then-write), and inside
  ``primary_reads()`` (what an order is priced from, read just before its transaction).
- A replica that does not answer is skipped for ``REPLICA_RETRY_SECONDS`` (per process: a health verdict, not
  state another process needs), and its reads go to the primary.
"""

import contextvars
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY, REPLICA = "default", "replica"
REPLICA_APPS = frozenset({"catalog"})
PIN_COOKIE = "primary_pin"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")

# None outside a web request (primary only); else {"wrote": bool, "pinned": bool} for the request being served.
_request = contextvars.ContextVar("replica_reads", default=None)
# True inside ``primary_reads()``.
_primary_only = contextvars.ContextVar("primary_reads", default=False)
_replica_down_until = 0.0


def replica_available() -> bool:
    """Connect (or health-check the kept connection) once; after a failure, skip the replica for a while."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        # A kept connection is pinged once per request (CONN_HEALTH_CHECKS) and reopened if the replica went away.
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as exc:
        _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning("read replica unavailable, reading from the primary: %s", exc)
        return False
    return True


@contextmanager
def primary_reads():
    """Every read in the block from the primary, even a catalog read outside a transaction: the reads an order or
    a stock decision rests on (a price charged, a SKU's stock before it is flagged sold out)."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _request.get()
        if (
            state is None
            or state["wrote"]
            or state["pinned"]
            or model._meta.app_label not in REPLICA_APPS
            or connections[PRIMARY].in_atomic_block
            or _primary_only.get()
        ):
            return PRIMARY
        return REPLICA if replica_available() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        # The replica gets its schema through replication.
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Open the replica to this request's catalog reads until the request (or the customer, recently) writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = {"wrote": False, "pinned": PIN_COOKIE in request.COOKIES}
        token = _request.set(state)
        try:
            with connections[PRIMARY].execute_wrapper(_WriteWatcher(state)):
                response = self.get_response(request)
        finally:
            _request.reset(token)
        if state["wrote"]:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response


class _WriteWatcher:
    def __init__(self, state):
        self.state = state

    def __call__(self, execute, sql, params, many, context):
        if not self.state["wrote"] and sql.lstrip()[:6].upper() in WRITES:
            self.state["wrote"] = True
        return execute(sql, params, many, context)
