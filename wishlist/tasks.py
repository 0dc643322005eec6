"""Celery tasks of the wishlist app: thin, each calls one service."""

from celery import shared_task

from notifications.exceptions import EmailNotSent

from . import services


@shared_task(
    name="wishlist.restock_notify",
    acks_late=True,
    autoretry_for=(EmailNotSent,),
    max_retries=6,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
)
def restock_notify(sku_ids: list[int]) -> int:
    """Email the subscribers waiting for these SKUs, each once."""
    return services.restock_notify(sku_ids=sku_ids)
