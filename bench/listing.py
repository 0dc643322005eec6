"""Storefront listing pages at scale: home and category pages (every sort, first and deep pages).

Runs through Django's whole stack in process (test client) against the configured database, which should
already hold a large catalog (`manage.py demo_data --products 1000000`, or bench/search.py's database). Each URL
is fetched once to warm up, then --repeat times; it prints p50/p95 and, as the baseline measured in the same run,
the ratio to a product page (one row by its unique slug: the cheapest page the store serves from the database).

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_search .venv/bin/python bench/listing.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalog import selectors  # noqa: E402
from catalog.models import Product  # noqa: E402


def timed(client, url, repeat):
    client.get(url)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    client = Client()
    tree = selectors.category_tree()
    top = tree.roots[0]
    leaf = top
    while leaf.children:
        leaf = leaf.children[0]
    product = Product.objects.visible().order_by("-id").first()
    print(f"{connection.vendor}, {Product.objects.count():,} products; load average {os.getloadavg()}")
    base50, base95 = timed(client, product.get_absolute_url(), args.repeat)
    print(f"baseline product page: p50 {base50:.1f} ms, p95 {base95:.1f} ms")
    urls = ["/"]
    for node in (top, leaf):
        for sort in selectors.PRODUCT_SORTS:
            urls.append(f"{node.category.get_absolute_url()}?sort={sort}")
        urls.append(f"{node.category.get_absolute_url()}?page=2")
        urls.append(f"{node.category.get_absolute_url()}?page=400")
    print(f"{'page':55} {'p50':>9} {'p95':>9} {'x base':>7} queries")
    for url in urls:
        p50, p95 = timed(client, url, args.repeat)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{url:55} {p50:7.1f}ms {p95:7.1f}ms {p50 / base50:6.1f}x {len(queries)}")


if __name__ == "__main__":
    main()
