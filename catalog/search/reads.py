"""Raw reads of the search's tables, routed as the ORM's reads are."""

from django.db import connections, router

from ..models import SearchToken


def fetch(sql: str, params) -> list[tuple]:
    """The rows of a raw SELECT. Raw SQL bypasses the router unless asked: with a read replica
    (shop/replicas.py) searches read from it."""
    with connections[router.db_for_read(SearchToken)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
