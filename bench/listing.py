"""Storefront listing pages at scale: every sort x first, numbered and deep (cursor) pages x filters, on the home
page, a top-level category (a parent spanning many leaves), a second-level one and a leaf.

Runs through Django's whole stack in process (test client) against the configured database, which should
already hold a large catalog (bench/listing_data.py, or `manage.py demo_data --products 1000000`). Each URL is
fetched once to warm up, then --repeat times; it prints p50/p95 and, as the baseline measured in the same run,
the ratio of its p95 to a product page's p95 (one row by its unique slug: the cheapest page the store serves
from the database). Goal (issue 22): every listing page p95 <= 3x the product page's; each row says met/missed.

Pages: ``first`` (page 1), ``page10`` (the last numbered page), ``deep`` (a cursor 5,000 in-stock rows in, as
"next" would make it) and ``soldout`` (a cursor at the start of the sold-out products, listed after the in-stock
ones). Cursors are made here with ``shop.cursors`` in the listing's own format, so the same script measures the
code before and after a change.

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_list .venv/bin/python bench/listing.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import config.wsgi  # noqa: E402, F401 - as deployed: the store loaded, its objects frozen (see there)
from catalog import selectors  # noqa: E402
from catalog.models import Product  # noqa: E402
from shop import cursors  # noqa: E402

GOAL = 3.0
DEEP = 5_000
FILTERS = {
    "-": {},
    "price": {"min_price": 10_000, "max_price": 50_000},
    "stock": {"in_stock": "on"},
    "price+stock": {"min_price": 10_000, "max_price": 50_000, "in_stock": "on"},
}
# A start position before every row of a sort, so a cursor (1, *START) opens the sold-out phase.
START = {"new": (10**12,), "price_asc": (-1, 0), "price_desc": (10**12, 10**12), "name": ("", 0)}
START["rating"] = (10**6, 10**6, 10**12)


def timed(client, url, repeat):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def deep_cursor(node, sort, params):
    """The cursor "next" makes after DEEP in-stock rows of this listing (or None when it has fewer)."""
    filters = selectors.ListingFilters(
        min_price=params.get("min_price"), max_price=params.get("max_price"), in_stock=True
    )
    queryset = selectors.product_list(category_ids=node.descendant_ids(), sort=sort, filters=filters)
    columns = [name.lstrip("-") for name in selectors.PRODUCT_SORTS[sort]]
    row = queryset.values_list(*columns)[DEEP : DEEP + 1]
    row = list(row)
    return cursors.cursor_encode((0, *row[0]), scope=f"listing.{sort}") if row else None


def pages(node, sort, label, params):
    base = node.category.get_absolute_url()
    query = {**params, "sort": sort}
    yield "first", f"{base}?{urlencode(query)}"
    if label == "-":
        yield "page10", f"{base}?{urlencode({**query, 'page': 10})}"
    cursor = deep_cursor(node, sort, params)
    if cursor:
        yield "deep", f"{base}?{urlencode({**query, 'after': cursor})}"
    if "in_stock" not in params:
        cursor = cursors.cursor_encode((1, *START[sort]), scope=f"listing.{sort}")
        yield "soldout", f"{base}?{urlencode({**query, 'after': cursor})}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--sorts", default=",".join(selectors.PRODUCT_SORTS))
    parser.add_argument("--options", default="", help="a leaf sold by option (running-shoes): option filter rows")
    parser.add_argument("--only-options", action="store_true", help="only the home page and the option rows")
    parser.add_argument("--nodes", default="top,middle,leaf", help="which categories: top, middle, leaf")
    args = parser.parse_args()
    client = Client()
    tree = selectors.category_tree()
    top = tree.roots[0]
    middle = top.children[0]
    leaf = middle.children[0]
    product = Product.objects.visible().order_by("-id").first()
    print(f"{connection.vendor}, {Product.objects.count():,} products; load average {os.getloadavg()}")
    base50, base95 = timed(client, product.get_absolute_url(), args.repeat)
    print(f"baseline product page: p50 {base50:.1f} ms, p95 {base95:.1f} ms; goal p95 <= {GOAL:g}x")
    rows = [("home", "-", "-", "-", "/")]
    nodes = {"top": top, "middle": middle, "leaf": leaf}
    for name in [] if args.only_options else args.nodes.split(","):
        node = nodes[name]
        for sort in args.sorts.split(","):
            for label, params in FILTERS.items():
                rows += [(name, sort, label, page, url) for page, url in pages(node, sort, label, params)]
    if args.options:
        # Option filters (issue 16): a leaf sold by size and colour, and its top-level category.
        shoes = tree.by_slug[args.options]
        fashion = shoes.ancestors[0]
        fashion_node = tree.by_slug[fashion.slug]
        for name, node, options in (
            ("opt-leaf", shoes, ["사이즈:260"]),
            ("opt-leaf", shoes, ["색상:블랙", "사이즈:260"]),
            ("opt-top", fashion_node, ["색상:블랙"]),
        ):
            label = "+".join(option.split(":")[1] for option in options)
            for sort in ("new", "price_asc"):
                url = f"{node.category.get_absolute_url()}?{urlencode({'sort': sort, 'option': options}, doseq=True)}"
                rows.append((name, sort, label, "first", url))
    print(f"{'category':8} {'sort':10} {'filter':11} {'page':8} {'p50':>8} {'p95':>8} {'x base':>7} {'q':>3}  goal")
    missed = 0
    for name, sort, label, page, url in rows:
        p50, p95 = timed(client, url, args.repeat)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        ratio = p95 / base95
        missed += ratio > GOAL
        verdict = "met" if ratio <= GOAL else "MISSED"
        print(
            f"{name:8} {sort:10} {label:11} {page:8} {p50:6.1f}ms {p95:6.1f}ms {ratio:6.1f}x {len(queries):3}  {verdict}",
            flush=True,
        )
    print(f"{len(rows) - missed} of {len(rows)} met; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
