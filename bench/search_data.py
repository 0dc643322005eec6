"""Fill the search benchmark's database: ``demo_data`` for a seed catalog (with its search index), then copies
of it in SQL until it holds ``--products`` products, then the search frequencies.

``demo_data`` writes ~100-200 products a second here (each with its postings), so a million would take hours;
copying 40,000 generated products 24 times takes half an hour. Every copy is products, option values, SKUs and
postings with ids shifted by a multiple of the seed's largest id (slugs and SKU codes suffixed ``-c<k>``), so
token frequencies and co-occurrences are the seed's times 25, which changes no count ratio. Stock movements and
images are not copied: search never reads them. Rerunnable: copies already made are skipped.

    mysql -uroot -h127.0.0.1 -e "CREATE DATABASE shop_bench_1m CHARACTER SET utf8mb4"
    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_1m .venv/bin/python manage.py migrate
    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_1m .venv/bin/python bench/search_data.py
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402

from catalog.models import Product, ProductOption, ProductOptionValue, SearchToken, Sku  # noqa: E402
from catalog.search import index  # noqa: E402

SEED_PRODUCTS = 40_000
# Postings copied per statement: one copy's 3.7 million in a few transactions of bounded undo.
POSTINGS_CHUNK = 5_000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--seed-products", type=int, default=SEED_PRODUCTS)
    args = parser.parse_args()
    began = time.monotonic()
    if not Product.objects.exists():
        call_command("demo_data", products=args.seed_products, no_images=True)
        print(f"seed catalog: {time.monotonic() - began:.0f} s", flush=True)
    # The seed is the first --seed-products products (a rerun finds the copies after them): every offset is
    # the largest id among the seed's own rows.
    seed = Product.objects.order_by("id").values_list("id", flat=True)[args.seed_products - 1]
    through = Sku.option_values.through
    offsets = {
        Product: seed,
        ProductOption: ProductOption.objects.filter(product_id__lte=seed).aggregate(last=Max("id"))["last"] or 0,
        ProductOptionValue: ProductOptionValue.objects.filter(option__product_id__lte=seed).aggregate(last=Max("id"))[
            "last"
        ]
        or 0,
        Sku: Sku.objects.filter(product_id__lte=seed).aggregate(last=Max("id"))["last"] or 0,
        through: through.objects.filter(sku__product_id__lte=seed).aggregate(last=Max("id"))["last"] or 0,
    }
    copies = -(-args.products // seed) - 1
    made = [k for k in range(1, copies + 1) if Product.objects.filter(id__gt=k * seed, id__lte=(k + 1) * seed).exists()]
    if made:
        # The last copy made may have been interrupted in its postings (their own transactions): INSERT IGNORE
        # completes them.
        copy_postings(made[-1], seed)
    for k in range(1, copies + 1):
        if k in made:
            continue
        copy(k, offsets)
        print(f"copy {k} of {copies}: {time.monotonic() - began:.0f} s", flush=True)
    started = time.monotonic()
    index.refresh_frequencies()
    print(f"frequencies: {time.monotonic() - started:.0f} s; products {Product.objects.count():,}", flush=True)


def copy(k, offsets):
    """One copy of the seed catalog, ids shifted by ``k`` times each table's seed maximum."""
    with transaction.atomic():
        for model in offsets:
            copy_rows(model, k, offsets)
    copy_postings(k, offsets[Product])


def copy_rows(model, k, offsets):
    """INSERT ... SELECT the seed rows of one table, ids and foreign keys shifted, unique texts suffixed."""
    fk_offsets = {
        field.column: offsets[field.related_model]
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in offsets
    }
    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        columns.append(connection.ops.quote_name(column))
        if field.primary_key:
            expressions.append(f"{column} + {k * offsets[model]}")
        elif column in fk_offsets:
            expressions.append(f"{column} + {k * fk_offsets[column]}")
        elif column in ("slug", "code"):
            expressions.append(f"CONCAT({column}, '-c{k}')")
        else:
            expressions.append(connection.ops.quote_name(column))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {table} "
            f"WHERE id <= {offsets[model]}"
        )


def copy_postings(k, seed):
    """The seed products' postings for copy ``k``, a range of product ids per transaction."""
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    for start in range(0, seed, POSTINGS_CHUNK):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT IGNORE INTO {table} (token, product_id, price) SELECT token, product_id + %s, price "
                f"FROM {table} WHERE product_id > %s AND product_id <= %s",
                [k * seed, start, min(start + POSTINGS_CHUNK, seed)],
            )


if __name__ == "__main__":
    main()
