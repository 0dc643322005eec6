"""Keeping the search index in step with products. Callers are catalog services, inside their transaction."""

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Max

from ..models import Product, SearchToken, SearchTokenStat
from .tokens import document_tokens

INSERT_BATCH = 20_000
REBUILD_CHUNK = 10_000
_ID_BATCH = 1_000


def index_products(*, product_ids: Iterable[int]) -> None:
    """Re-index some products from their current rows: visible ones get their tokens, the others none."""
    ids = list(product_ids)
    for start in range(0, len(ids), _ID_BATCH):
        chunk = ids[start : start + _ID_BATCH]
        SearchToken.objects.filter(product_id__in=chunk).delete()
        index_rows(Product.objects.visible().filter(id__in=chunk).values_list("id", "name", "description"))


def index_rows(rows: Iterable[tuple[int, str, str]]) -> int:
    """Insert the postings of (id, name, description) rows that have none yet; returns how many were written.

    Plain multi-row INSERTs, not model instances: the demo import and the rebuild write tens of millions.
    """
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    sql = f"INSERT INTO {table} (token, product_id) VALUES (%s, %s)"  # noqa: S608 - a model's table name
    written, batch = 0, []
    with connection.cursor() as cursor:
        for product_id, name, description in rows:
            batch.extend((token, product_id) for token in document_tokens(name=name, description=description))
            if len(batch) >= INSERT_BATCH:
                cursor.executemany(sql, batch)
                written, batch = written + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-index every product, a chunk of ids per transaction, so search keeps answering while it runs."""
    last_id = Product.objects.aggregate(last=Max("id"))["last"] or 0
    written = 0
    for start in range(0, last_id + 1, REBUILD_CHUNK):
        end = start + REBUILD_CHUNK
        with transaction.atomic():
            SearchToken.objects.filter(product_id__gte=start, product_id__lt=end).delete()
            rows = Product.objects.visible().filter(id__gte=start, id__lt=end).order_by("id")
            written += index_rows(rows.values_list("id", "name", "description").iterator())
        if progress:
            progress(min(end, last_id), last_id)
    SearchToken.objects.filter(product_id__gt=last_id).delete()
    refresh_frequencies()
    return written


@transaction.atomic
def refresh_frequencies() -> None:
    """Recount how many products hold each token, in one pass over the index (a nightly task and the rebuild)."""
    stats = connection.ops.quote_name(SearchTokenStat._meta.db_table)
    tokens = connection.ops.quote_name(SearchToken._meta.db_table)
    SearchTokenStat.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {stats} (token, products) SELECT token, COUNT(*) FROM {tokens} GROUP BY token"  # noqa: S608
        )
