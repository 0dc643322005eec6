"""The store's own Prometheus metrics: business events, stock lock waits, Celery tasks, and database gauges.

django-prometheus counts requests, latencies, the database and the cache; these count what the store does.
Services call the small functions below explicitly, one line each. Events that happen in a transaction are
counted from ``transaction.on_commit``: a rolled-back order or refund is never counted (outside a transaction
Django runs the callback at once). Refusals are counted when they are raised: nothing commits for them.

Under gunicorn (and in a Celery worker) each process writes its values to ``PROMETHEUS_MULTIPROC_DIR`` and
``/metrics`` merges them (``registry()``); the gauges read from the database are computed at scrape time by the
web process alone (``DatabaseGauges``), so they are never summed across processes.
"""

import functools
import logging
import os
import time

from django.db import transaction
from django.utils import timezone
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily

from shop.exceptions import DomainError

logger = logging.getLogger(__name__)

ORDERS_PLACED = Counter("shop_orders_placed", "Orders placed (committed), awaiting payment.")
ORDERS_PLACED_WON = Counter("shop_orders_placed_won", "Total of the orders placed, in won.")
ORDERS_PAID = Counter("shop_orders_paid", "Orders that became paid (committed).")
ORDERS_PAID_WON = Counter("shop_orders_paid_won", "Revenue: total of the orders that became paid, in won.")
ORDER_REFUSALS = Counter(
    "shop_order_refusals", "Orders refused, by error code (out_of_stock, stock_busy...).", ["code"]
)
STOCK_LOCK_WAIT = Histogram(
    "shop_stock_lock_wait_seconds",
    "Time spent waiting for one SKU's Redis stock lock, by outcome (acquired or busy).",
    ["outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAYMENT_CONFIRMS = Counter(
    "shop_payment_confirms", "Customer payment confirms, by result (paid, processing... or the error code).", ["result"]
)
REFUNDS = Counter("shop_refunds", "Refunds finished, by outcome (done or failed).", ["outcome"])
REFUNDS_WON = Counter("shop_refunds_won", "Amount refunded (refunds done), in won.")
WEBHOOK_EVENTS = Counter(
    "shop_webhook_events", "Toss webhooks processed, by event type and outcome.", ["type", "outcome"]
)
RECONCILE_FIXES = Counter(
    "shop_reconcile_fixes", "Open payments, refunds and virtual accounts the reconciliation settled, by kind.", ["kind"]
)
CELERY_TASKS = Counter("shop_celery_tasks", "Celery tasks run, by task and outcome.", ["task", "outcome"])
CELERY_TASK_SECONDS = Histogram(
    "shop_celery_task_duration_seconds",
    "How long Celery tasks ran, by task.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)

# The only values these labels take, so a Toss event type or an outcome text cannot grow the series.
WEBHOOK_TYPES = {"PAYMENT_STATUS_CHANGED", "DEPOSIT_CALLBACK", "CANCEL_STATUS_CHANGED"}

# Series that exist from the start at 0, so rates and ratios over them are defined before the first event.
for _code in ("out_of_stock", "stock_busy", "service_unavailable"):
    ORDER_REFUSALS.labels(code=_code)
# The series themselves, looked up once: an order observes one for every SKU it locks.
_STOCK_LOCK_WAITS = {
    acquired: STOCK_LOCK_WAIT.labels(outcome="acquired" if acquired else "busy") for acquired in (True, False)
}
for _result in ("paid", "payment_rejected"):
    PAYMENT_CONFIRMS.labels(result=_result)
for _outcome in ("done", "failed"):
    REFUNDS.labels(outcome=_outcome)
for _type in (*sorted(WEBHOOK_TYPES), "other"):
    for _outcome in ("applied", "unhandled", "ignored"):
        WEBHOOK_EVENTS.labels(type=_type, outcome=_outcome)
for _kind in ("payment_resolve", "refund_execute", "payment_sync"):
    RECONCILE_FIXES.labels(kind=_kind)


def order_placed(order) -> None:
    """An order was placed (counted when its transaction commits)."""
    transaction.on_commit(lambda: (ORDERS_PLACED.inc(), ORDERS_PLACED_WON.inc(order.total)))


def order_paid(order) -> None:
    """An order became paid (counted when its transaction commits): the revenue on the dashboard."""
    transaction.on_commit(lambda: (ORDERS_PAID.inc(), ORDERS_PAID_WON.inc(order.total)))


def counts_refusals(function):
    """Decorates the services that place orders (the checkout, and the placing it calls): every domain error
    they raise counts once as a refusal by its code, wherever it was raised (a 선착순 drop's losers are refused
    by the checkout's sold-out check, before it places anything)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DomainError as exc:
            order_refused(exc)
            raise

    return wrapper


def order_refused(exc: DomainError) -> None:
    """An order refused with ``exc``, counted once by its code however many layers see it go by."""
    if not getattr(exc, "refusal_counted", False):
        exc.refusal_counted = True
        ORDER_REFUSALS.labels(code=exc.code).inc()


def counts_confirms(function):
    """Decorates the payment confirm: its result's state, or the code of the domain error it raised."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            result = function(*args, **kwargs)
        except DomainError as exc:
            PAYMENT_CONFIRMS.labels(result=exc.code).inc()
            raise
        transaction.on_commit(lambda: PAYMENT_CONFIRMS.labels(result=result.state).inc())
        return result

    return wrapper


def stock_lock_waited(seconds: float, *, acquired: bool) -> None:
    _STOCK_LOCK_WAITS[bool(acquired)].observe(seconds)


def refund_finished(refund, *, done: bool) -> None:
    """A refund completed at Toss or was refused by it (counted when that is committed)."""
    if done:
        transaction.on_commit(lambda: (REFUNDS.labels(outcome="done").inc(), REFUNDS_WON.inc(refund.amount)))
    else:
        transaction.on_commit(lambda: REFUNDS.labels(outcome="failed").inc())


def webhook_processed(event_type: str, outcome: str) -> None:
    """A webhook was acted on; the outcome text is reduced to applied, unhandled or ignored."""
    kind = "applied" if outcome.startswith("applied") else "unhandled" if outcome.startswith("unhandled") else "ignored"
    transaction.on_commit(
        lambda: WEBHOOK_EVENTS.labels(type=event_type if event_type in WEBHOOK_TYPES else "other", outcome=kind).inc()
    )


def reconcile_fixed(kind: str) -> None:
    """The reconciliation settled one open item of this kind (the service's name)."""
    transaction.on_commit(lambda: RECONCILE_FIXES.labels(kind=kind).inc())


# --- Celery ----------------------------------------------------------------------------------------------
_task_started: dict[str, float] = {}


def celery_task_started(task_id: str) -> None:
    _task_started[task_id] = time.monotonic()


def celery_task_finished(task_name: str, task_id: str, outcome: str) -> None:
    """Count a task's outcome (success, failure, retry) and how long it ran."""
    started = _task_started.pop(task_id, None)
    CELERY_TASKS.labels(task=task_name, outcome=outcome).inc()
    if started is not None:
        CELERY_TASK_SECONDS.labels(task=task_name).observe(time.monotonic() - started)


# --- Gauges read from the database ----------------------------------------------------------------------
class DatabaseGauges:
    """Orders awaiting payment and payments in doubt, counted at scrape time through the status indexes
    (``order_status_due``, ``payment_status_updated``): two indexed queries a scrape. A database that does not
    answer leaves the gauges out of that scrape rather than failing it."""

    def describe(self):
        # Named here so that registering never runs the queries (the registry would call collect() instead).
        yield GaugeMetricFamily("shop_orders_awaiting_payment", "")
        yield GaugeMetricFamily("shop_payments_in_doubt", "")
        yield GaugeMetricFamily("shop_payments_in_doubt_oldest_seconds", "")

    def collect(self):
        try:
            from orders.models import Order
            from payments.models import Payment

            awaiting = Order.objects.filter(status=Order.Status.PENDING_PAYMENT).count()
            in_doubt = Payment.objects.filter(status=Payment.Status.IN_PROGRESS)
            count = in_doubt.count()
            oldest = in_doubt.order_by("updated_at").values_list("updated_at", flat=True).first()
        except Exception as exc:  # any database error: the scrape goes on without these gauges
            logger.warning("metrics: database gauges unavailable: %s", exc)
            return
        yield GaugeMetricFamily("shop_orders_awaiting_payment", "Orders placed and not yet paid.", value=awaiting)
        yield GaugeMetricFamily(
            "shop_payments_in_doubt", "Payments confirmed at Toss with no answer yet (IN_PROGRESS).", value=count
        )
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        yield GaugeMetricFamily(
            "shop_payments_in_doubt_oldest_seconds", "Age of the oldest payment in doubt (0 when none).", value=age
        )


def registry() -> CollectorRegistry:
    """What ``/metrics`` exposes: every process's values (multi-process mode) or this one's, plus the gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)
        merged.register(DatabaseGauges())
        return merged
    return DEFAULT_REGISTRY


def worker_registry() -> CollectorRegistry:
    """What a Celery worker serves on ``WORKER_METRICS_PORT``: its pool processes' values, no database gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)
        return merged
    return DEFAULT_REGISTRY


def _register_gauges_once():
    # Single-process mode (runserver, tests): the default registry carries the gauges too.
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        DEFAULT_REGISTRY.register(DatabaseGauges())


_register_gauges_once()
