"""Celery tasks of the catalog: thin wrappers around catalog services."""

from celery import shared_task

from .search import index


@shared_task
def search_refresh_frequencies():
    """Nightly: recount search token frequencies so queries keep starting from their rarest token."""
    index.refresh_frequencies()
