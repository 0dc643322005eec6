"""sitemap.xml at scale: the index and a products page (first and last), against Django's own paginated Sitemap.

Fills the configured database with --create N products first if asked (one INSERT ... SELECT, on MariaDB/MySQL).
Prints p50 per URL (uncached: the cache is cleared before each fetch; use a database of its own), the ratio to a product page measured in the same run (the baseline), and the SQL of each
page so a COUNT or a deep OFFSET would show.

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_h8 .venv/bin/python bench/sitemap.py --create 200000
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib.sitemaps import Sitemap  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalog.models import Category, Product  # noqa: E402
from shop.sitemaps import PRODUCTS_PER_SITEMAP, ProductSitemap  # noqa: E402


def create(count):
    category, _ = Category.objects.get_or_create(slug="bench-sitemap", defaults={"name": "벤치"})
    start = (Product.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    table = Product._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION max_recursive_iterations = 100000000")
        cursor.execute(
            f"INSERT INTO {table} (category_id, name, slug, description, price, status, created_at, updated_at, "
            "info_notice) "
            "WITH RECURSIVE seq(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
            "SELECT %s, CONCAT('벤치 상품 ', n), CONCAT('bench-', n), '', 10000 + n, 'on_sale', NOW(), NOW(), '[]' "
            "FROM seq",
            [start, start + count - 1, category.id],
        )


def timed(client, url, repeat):
    client.get(url)
    samples = []
    for _ in range(repeat):
        cache.clear()  # the sections are cached an hour: measure the uncached render
        begin = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--create", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.create:
        create(args.create)
    client = Client()
    product = Product.objects.visible().order_by("-id").first()
    last_page = ProductSitemap().paginator.num_pages
    print(f"{connection.vendor}, {Product.objects.count():,} products, {PRODUCTS_PER_SITEMAP:,} a page")
    baseline = timed(client, product.get_absolute_url(), args.repeat)
    print(f"baseline product page: p50 {baseline:.1f} ms")
    for url in ("/sitemap.xml", "/sitemap-products.xml", f"/sitemap-products.xml?p={last_page}"):
        p50 = timed(client, url, args.repeat)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{url}: p50 {p50:.1f} ms ({p50 / baseline:.1f}x the product page)")
        for query in queries.captured_queries:
            print("    ", query["sql"][:160])
    begin = time.perf_counter()
    rows = list(ProductSitemap().paginator.page(last_page).object_list)
    print(f"our last page's query alone: {(time.perf_counter() - begin) * 1000:.1f} ms ({len(rows)} rows)")
    # Django's own Sitemap paginates by COUNT and OFFSET: the same last page, for comparison.
    stock = Sitemap()
    stock.items = lambda: Product.objects.visible().order_by("id").only("id", "slug", "updated_at")
    stock.limit = PRODUCTS_PER_SITEMAP
    begin = time.perf_counter()
    pages = stock.paginator.num_pages
    rows = list(stock.paginator.page(pages).object_list)
    print(f"Django's paginator, count + last page by OFFSET: {(time.perf_counter() - begin) * 1000:.1f} ms "
          f"({len(rows)} rows)")  # fmt: skip


if __name__ == "__main__":
    main()
