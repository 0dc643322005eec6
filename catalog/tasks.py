"""Celery tasks of the catalog: thin wrappers around catalog services."""

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.db import DatabaseError

from . import services
from .search import index


@shared_task
def search_refresh_frequencies():
    """Nightly: recount search token frequencies so queries keep starting from their rarest token."""
    index.refresh_frequencies()


# Storage and database hiccups are retried with backoff (1 s, 2 s, 4 s ... up to 10 min); the service is
# idempotent, so a retry after a partial run, or a duplicate delivery (acks_late), is harmless.
@shared_task(
    autoretry_for=(OSError, BotoCoreError, ClientError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def product_image_renditions(image_id):
    """Make one product image's renditions (scheduled when the image is saved)."""
    services.product_image_make_renditions(image_id=image_id)
