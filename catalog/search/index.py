"""Keeping the search index in step with products. Callers are catalog services, inside their transaction."""

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Max

from ..models import Category, Product, SearchToken, SearchTokenStat
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


ROW_FIELDS = ("id", "name", "description", "category_id")


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


def index_rows(rows: Iterable[tuple[int, str, str, int | None]], *, paths=None) -> int:
    """Insert the postings of (id, name, description, category id) rows that have none yet; returns how many
    were written. ``paths`` (``category_paths()``) is read when not given.

    Plain multi-row INSERTs, not model instances: the demo import and the rebuild write tens of millions.
    """
    paths = category_paths() if paths is None else paths
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    sql = f"INSERT INTO {table} (token, product_id) VALUES (%s, %s)"  # noqa: S608 - a model's table name
    written, batch = 0, []
    with connection.cursor() as cursor:
        for product_id, name, description, category_id in rows:
            tokens = document_tokens(name=name, description=description, category_path=paths.get(category_id, ()))
            batch.extend((token, product_id) for token in tokens)
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
    """Recount how many products hold each token, in one pass over the index (a nightly task and the rebuild);
    with ``kind`` (a token kind's letter, e.g. ``tokens.CATEGORY``) only the tokens of that kind."""
    stats = connection.ops.quote_name(SearchTokenStat._meta.db_table)
    tokens = connection.ops.quote_name(SearchToken._meta.db_table)
    where, params = ("WHERE token >= %s AND token < %s ", [kind, chr(ord(kind) + 1)]) if kind else ("", [])
    SearchTokenStat.objects.filter(token__startswith=kind).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {stats} (token, products) SELECT token, COUNT(*) FROM {tokens} {where}GROUP BY token",  # noqa: S608
            params,
        )


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
    ids = list(SearchToken.objects.filter(token=category_token(category_id)).values_list("product_id", flat=True))
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    sql = f"INSERT INTO {table} (token, product_id) VALUES (%s, %s)"  # noqa: S608 - a model's table name
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _ID_BATCH):
            chunk = ids[start : start + _ID_BATCH]
            changed += SearchToken.objects.filter(token__in=gone, product_id__in=chunk).delete()[0] if gone else 0
            if added:
                cursor.executemany(sql, [(token, product_id) for token in added for product_id in chunk])
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
    for done, (category_id, members) in enumerate(sorted(below.items()), start=1):
        with transaction.atomic(), connection.cursor() as cursor:
            SearchToken.objects.filter(token=category_token(category_id)).delete()
            cursor.execute(
                f"INSERT INTO {table} (token, product_id) SELECT %s, p.id FROM {products} p "  # noqa: S608
                f"WHERE p.category_id IN ({', '.join(['%s'] * len(members))}) "
                f"AND p.status IN ({', '.join(['%s'] * len(statuses))})",
                [category_token(category_id), *members, *statuses],
            )
            written += cursor.rowcount
        if progress:
            progress(done, len(below))
    refresh_category_frequencies()
    return written
