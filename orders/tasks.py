"""Celery tasks of the orders app (thin: the work is in services)."""

from celery import shared_task

from . import idempotency, services


@shared_task(name="orders.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    """Beat runs this every ORDER_EXPIRY_INTERVAL_SECONDS: unpaid orders past their time give stock back."""
    return services.orders_expire_unpaid()


@shared_task(name="orders.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Beat runs this daily: Idempotency-Keys and checkout tokens past their lifetime are deleted."""
    return idempotency.idempotency_keys_purge()
