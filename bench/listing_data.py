"""Fill the listing benchmark's database fast: ``demo.create_products``' catalog (same categories, names, prices,
stock and option SKUs, same seed) without the search index or the opening stock movements, and with every row bulk-inserted, so 1,000,000
products take minutes rather than the hour ``demo_data`` needs with its index and per-SKU inserts. Listing pages
never read the search index.

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_list .venv/bin/python manage.py migrate
    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_list .venv/bin/python bench/listing_data.py --products 1000000
"""

import argparse
import itertools
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from catalog import demo  # noqa: E402
from catalog import stock as catalog_stock  # noqa: E402
from catalog.models import Product, ProductOption, ProductOptionValue, Sku  # noqa: E402


def create_batch(rng, leaves, start, size):
    picks = [rng.choice(leaves) for _ in range(size)]
    fields = [demo.product_fields(rng, leaf, start + i) for i, leaf in enumerate(picks)]
    stocks = [row.pop("stock") for row in fields]
    products = Product.objects.bulk_create([Product(**row) for row in fields], batch_size=1000)
    skus, combos = [], []
    options = []
    for product, stock, leaf in zip(products, stocks, picks, strict=True):
        spec = demo.OPTIONS_BY_CATEGORY.get(leaf.category.slug)
        if not spec:
            skus.append(Sku(product_id=product.id, code=f"P{product.id}", stock=stock))
            combos.append(())
            continue
        for position, (name, names) in enumerate(spec.items()):
            option = ProductOption(product_id=product.id, name=name, position=position)
            options.append((product, stock, option, names))
    ProductOption.objects.bulk_create([option for _, _, option, _ in options], batch_size=1000)
    values = []
    for _, _, option, names in options:
        values += [ProductOptionValue(option_id=option.id, name=v, position=i) for i, v in enumerate(names)]
    ProductOptionValue.objects.bulk_create(values, batch_size=2000)
    by_option = {}
    for value in values:
        by_option.setdefault(value.option_id, []).append(value)
    by_product = {}
    for product, stock, option, _ in options:
        by_product.setdefault(product.id, (stock, []))[1].append(by_option[option.id])
    for product_id, (stock, value_lists) in by_product.items():
        for combination in itertools.product(*value_lists):
            sku_stock = 0 if not stock or rng.random() < 0.15 else rng.choice([2, 5, 10, 20])
            extra = sum(demo.LARGE_SIZE_EXTRA_WON.get(value.name, 0) for value in combination)
            code = "-".join([f"P{product_id}", *(str(value.id) for value in combination)])
            skus.append(Sku(product_id=product_id, code=code, stock=sku_stock, price_delta=extra))
            combos.append(combination)
    Sku.objects.bulk_create(skus, batch_size=2000)
    through = Sku.option_values.through
    through.objects.bulk_create(
        [
            through(sku_id=sku.id, productoptionvalue_id=value.id)
            for sku, combination in zip(skus, combos, strict=True)
            for value in combination
        ],
        batch_size=5000,
    )
    catalog_stock.availability_refresh(product_ids=[product.id for product in products])
    return products


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--first-number", type=int, default=None, help="First slug number (to run several loaders at once)"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    leaves = demo.build_categories()
    start = args.first_number or (Product.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    created, began = 0, time.monotonic()
    while created < args.products:
        size = min(demo.BATCH_SIZE, args.products - created)
        with transaction.atomic():
            create_batch(rng, leaves, start + created, size)
        created += size
        print(f"{created:,} products, {time.monotonic() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()
