"""Keeping the search index in step with products. Callers are catalog services, inside their transaction."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ..models import (
    Category,
    Product,
    SearchCategoryTokenStat,
    SearchFrequencyRefresh,
    SearchPriceTokenStat,
    SearchToken,
    SearchTokenStat,
)
from .price_bands import band_sql
from .tokens import CATEGORY, category_token, document_tokens

INSERT_BATCH = 20_000
REBUILD_CHUNK = 10_000
_ID_BATCH = 1_000


def index_products(*, product_ids: Iterable[int]) -> None:
    """Re-index some products from their current rows: visible ones get their tokens, the others none."""
    ids = list(product_ids)
    for start in range(0, len(ids), _ID_BATCH):
        chunk = ids[start : start + _ID_BATCH]
        SearchToken.objects.filter(product_id__in=chunk).delete()
        index_rows(Product.objects.visible().filter(id__in=chunk).values_list(*ROW_FIELDS))


ROW_FIELDS = ("id", "name", "description", "category_id", "price")


def category_paths() -> dict[int, tuple[int, ...]]:
    """Every category's id with its ancestors' ids (itself first), read now: what its products' category
    tokens are."""
    parents = dict(Category.objects.values_list("id", "parent_id"))
    paths = {}
    for category_id in parents:
        path, node = [], category_id
        while node is not None and node not in path:
            path.append(node)
            node = parents.get(node)
        paths[category_id] = tuple(path)
    return paths


def index_rows(rows: Iterable[tuple[int, str, str, int | None, int]], *, paths=None) -> int:
    """Insert the postings of (id, name, description, category id, price) rows (``ROW_FIELDS``) that have none
    yet; returns how many were written. ``paths`` (``category_paths()``) is read when not given.

    Plain multi-row INSERTs, not model instances: the demo import and the rebuild write tens of millions.
    """
    paths = category_paths() if paths is None else paths
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    sql = f"INSERT INTO {table} (token, product_id, price) VALUES (%s, %s, %s)"  # noqa: S608 - a model's table
    written, batch = 0, []
    with connection.cursor() as cursor:
        for product_id, name, description, category_id, price in rows:
            tokens = document_tokens(name=name, description=description, category_path=paths.get(category_id, ()))
            batch.extend((token, product_id, price) for token in tokens)
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
    written, paths = 0, category_paths()
    category_token_frequencies_forget()
    for start in range(0, last_id + 1, REBUILD_CHUNK):
        end = start + REBUILD_CHUNK
        with transaction.atomic():
            SearchToken.objects.filter(product_id__gte=start, product_id__lt=end).delete()
            rows = Product.objects.visible().filter(id__gte=start, id__lt=end).order_by("id")
            written += index_rows(rows.values_list(*ROW_FIELDS).iterator(), paths=paths)
        if progress:
            progress(min(end, last_id), last_id)
    SearchToken.objects.filter(product_id__gt=last_id).delete()
    refresh_frequencies()
    return written


@transaction.atomic
def refresh_frequencies(*, kind: str = "") -> None:
    """Recount how many products hold each token, in one pass over the index (a nightly task and the rebuild),
    per category (``refresh_category_token_frequencies``) and per price band
    (``refresh_price_token_frequencies``); with ``kind`` (a token kind's letter, e.g.
    ``tokens.CATEGORY``) only the tokens of that kind, and not per category."""
    started = timezone.now()
    stats = connection.ops.quote_name(SearchTokenStat._meta.db_table)
    tokens = connection.ops.quote_name(SearchToken._meta.db_table)
    where, params = ("WHERE token >= %s AND token < %s ", [kind, chr(ord(kind) + 1)]) if kind else ("", [])
    SearchTokenStat.objects.filter(token__startswith=kind).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {stats} (token, products) SELECT token, COUNT(*) FROM {tokens} {where}GROUP BY token",  # noqa: S608
            params,
        )
    if not kind:
        refresh_category_token_frequencies(started=started)
        refresh_price_token_frequencies()


def refresh_price_token_frequencies() -> None:
    """Recount how many products of each price band (``price_bands``) hold each token: one pass over the
    postings in their key's order, each posting's own price (``SearchToken.price``, what a price range is tested
    on) giving its band. (Joined to the products' (id, price) index it took twice as long at 1,000,000 products.)"""
    tokens = connection.ops.quote_name(SearchToken._meta.db_table)
    stats = connection.ops.quote_name(SearchPriceTokenStat._meta.db_table)
    SearchPriceTokenStat.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {stats} (token, band, products) "  # noqa: S608
            f"SELECT token, {band_sql('price')} AS band, COUNT(*) FROM {tokens} GROUP BY token, band"
        )


def refresh_category_token_frequencies(*, started: datetime) -> None:
    """Recount how many products of each category and its subtree hold each token: the products in id order,
    each one's postings read by product id (a sixth of the time of a self-join of the postings on their
    category tokens; read in token order, each posting's product lookup was a random read: 10x slower), grouped
    by category and rolled up the tree token by token. ``started`` is when the counting began: products
    written after it are the ones a "not in this category" answer must still check."""
    paths = category_paths()
    tokens = connection.ops.quote_name(SearchToken._meta.db_table)
    products = connection.ops.quote_name(Product._meta.db_table)
    stats = connection.ops.quote_name(SearchCategoryTokenStat._meta.db_table)
    insert = f"INSERT INTO {stats} (category_token, token, products) VALUES (%s, %s, %s)"  # noqa: S608
    hint = "STRAIGHT_JOIN " if connection.vendor == "mysql" else ""
    SearchCategoryTokenStat.objects.all().delete()
    SearchFrequencyRefresh.objects.all().delete()
    with connection.cursor() as reader, connection.cursor() as writer:
        reader.execute(
            f"SELECT {hint}t.token, p.category_id, COUNT(*) FROM {products} p CROSS JOIN {tokens} t "  # noqa: S608
            "WHERE t.product_id = p.id GROUP BY t.token, p.category_id ORDER BY t.token"
        )
        batch, current, counts = [], None, {}
        for token, category_id, held in reader:
            if token != current:
                batch += [(category_token(c), current, n) for c, n in counts.items()]
                current, counts = token, {}
            for category in paths.get(category_id, (category_id,)):
                counts[category] = counts.get(category, 0) + held
            if len(batch) >= INSERT_BATCH:
                writer.executemany(insert, batch)
                batch = []
        batch += [(category_token(c), current, n) for c, n in counts.items()]
        if batch:
            writer.executemany(insert, batch)
    SearchFrequencyRefresh.objects.create(started_at=started, finished_at=timezone.now())


def category_token_frequencies_forget(*, category_tokens: Iterable[str] = ()) -> None:
    """Drop the per-category frequencies of some categories (all without ``category_tokens``) until the next
    refresh: their products changed in bulk without their rows being written (a category moved, a rebuild),
    so "not in this category" cannot be answered from them; searches scan as before instead."""
    stats = SearchCategoryTokenStat.objects.all()
    chosen = list(category_tokens)
    (stats.filter(category_token__in=chosen) if chosen else stats).delete()


def refresh_category_frequencies() -> None:
    """Recount the category tokens only (a category move changes their counts; the other tokens' stay)."""
    refresh_frequencies(kind=CATEGORY)


def category_moved(*, category_id: int, old_path: tuple[int, ...]) -> int:
    """Keep category tokens in step after a category got another parent: every product under it (they all hold
    its token) loses the tokens of the ancestors it left and gains those of its new ones. ``old_path`` is the
    category's path before the move (``category_paths()``). Returns how many postings changed."""
    new_path = category_paths().get(category_id, ())
    gone = [category_token(c) for c in old_path if c not in new_path]
    added = [category_token(c) for c in new_path if c not in old_path]
    if not gone and not added:
        return 0
    # The categories it joined gain products whose rows were not written: their frequencies are incomplete.
    category_token_frequencies_forget(category_tokens=added)
    held = SearchToken.objects.filter(token=category_token(category_id))
    postings = list(held.values_list("product_id", "price"))
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    sql = f"INSERT INTO {table} (token, product_id, price) VALUES (%s, %s, %s)"  # noqa: S608 - a model's table
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(postings), _ID_BATCH):
            chunk = postings[start : start + _ID_BATCH]
            ids = [product_id for product_id, _ in chunk]
            changed += SearchToken.objects.filter(token__in=gone, product_id__in=ids).delete()[0] if gone else 0
            if added:
                cursor.executemany(sql, [(token, *posting) for token in added for posting in chunk])
                changed += len(chunk) * len(added)
    return changed


def index_categories(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Write every visible product's category tokens afresh, one category per transaction, in set-based
    statements (minutes at a million products where ``rebuild`` takes a quarter of an hour): for an index
    built before category tokens existed. Refreshes the category tokens' frequencies."""
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    products = connection.ops.quote_name(Product._meta.db_table)
    paths = category_paths()
    below: dict[int, list[int]] = {}
    for category_id, path in paths.items():
        for ancestor in path:
            below.setdefault(ancestor, []).append(category_id)
    statuses = list(Product.VISIBLE_STATUSES)
    written = 0
    category_token_frequencies_forget()
    for done, (category_id, members) in enumerate(sorted(below.items()), start=1):
        with transaction.atomic(), connection.cursor() as cursor:
            SearchToken.objects.filter(token=category_token(category_id)).delete()
            cursor.execute(
                f"INSERT INTO {table} (token, product_id, price) SELECT %s, p.id, p.price FROM {products} p "  # noqa: S608
                f"WHERE p.category_id IN ({', '.join(['%s'] * len(members))}) "
                f"AND p.status IN ({', '.join(['%s'] * len(statuses))})",
                [category_token(category_id), *members, *statuses],
            )
            written += cursor.rowcount
        if progress:
            progress(done, len(below))
    refresh_category_frequencies()
    return written
