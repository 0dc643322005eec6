"""Celery tasks of the orders app (thin: the work is in services)."""

from celery import shared_task

from . import services


@shared_task(name="orders.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    """Beat runs this every ORDER_EXPIRY_INTERVAL_SECONDS: unpaid orders past their time give stock back."""
    return services.orders_expire_unpaid()
