"""The catalog through the JSON API against the matching storefront pages, in the same run; deep cursor pages.

Runs through Django's whole stack in process (test client, anonymous, as the app and a shopper call them) against
the configured database, which should already hold a catalog (`manage.py demo_data --products N`, then
`manage.py search_refresh_frequencies`). Each URL is fetched once to warm up, then --repeat times; it prints
p50/p95 of the API and of its HTML page and the ratio API/HTML (the API should be no slower). Then the API's first
page against a deep page reached by cursor (the cursor of the row --deep rows in, made as a client would get it),
beside the storefront's deep numbered page (OFFSET) for reference.

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_h5 .venv/bin/python bench/api.py
    # at 1,000,000 products (make bench-search builds that catalog): a deep page 500,000 rows in
    DATABASE_URL=... .venv/bin/python bench/api.py --deep 500000 --search-deep 10000

Deep pages print their p50 as a ratio of their list's first page ("deep/1st", ~1x for keyset), and the
storefront's numbered page at the same depth as a ratio of its first page (OFFSET: grows with depth).
"""

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The bench is one client making thousands of requests: the anonymous throttle would stop it after 120.
os.environ["THROTTLE_ANON"] = "1000000/min"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.listing import timed  # noqa: E402
from catalog import selectors  # noqa: E402
from catalog.models import Product  # noqa: E402
from catalog.search import query  # noqa: E402
from shop import cursors  # noqa: E402

SEARCHES = ["가방", "노트북", "무선 이어폰"]


def compare(client, label, api_url, html_url, repeat, *, first_page=None):
    """Prints the API's p50/p95 and its ratio to the HTML page's p50 (or, for a deep page, to ``first_page``'s
    p50: a keyset page should cost what the first one costs, whatever its depth). Returns the API's p50."""
    api50, api95 = timed(client, api_url, repeat)
    if html_url:
        html50, html95 = timed(client, html_url, repeat)
        tail = f"{html50:7.1f}ms {html95:7.1f}ms {api50 / html50:6.2f}x"
    elif first_page:
        tail = f"{'':20} {api50 / first_page:6.2f}x"
    else:
        tail = ""
    print(f"{label:42} {api50:7.1f}ms {api95:7.1f}ms  {tail}")
    return api50


def deep_listing_cursor(category_ids, sort, depth):
    """The cursor a client holds after paging ``depth`` rows into a listing (made from the row at that depth)."""
    row = selectors.product_list(category_ids=category_ids, sort=sort)[depth - 1]
    columns = [name.lstrip("-") for name in selectors.PRODUCT_SORTS[sort]]
    return cursors.cursor_encode(tuple(getattr(row, column) for column in columns), scope=f"products.{sort}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--deep", type=int, default=9_000, help="rows into a listing for the deep cursor page")
    parser.add_argument(
        "--search-deep",
        type=int,
        default=2_000,
        help="rows into search results for the deep page (reached page by page, as a client would)",
    )
    args = parser.parse_args()
    client = Client()
    tree = selectors.category_tree()
    top = tree.roots[0]
    leaf = top
    while leaf.children:
        leaf = leaf.children[0]
    print(f"{connection.vendor}, {Product.objects.count():,} products, page size {settings.CATALOG_PAGE_SIZE}")
    print(f"load average {os.getloadavg()}")
    print(f"{'API against its HTML page':42} {'API p50':>9} {'p95':>9}  {'HTML p50':>9} {'p95':>9} {'API/HTML':>7}")
    compare(client, "all products, newest (HTML: home page)", "/api/v1/products/", "/", args.repeat)
    for node in (top, leaf):
        slug = node.category.slug
        for sort in selectors.PRODUCT_SORTS:
            compare(
                client,
                f"category {slug} sort={sort}",
                f"/api/v1/categories/{slug}/products/?sort={sort}",
                f"/categories/{slug}/?sort={sort}",
                args.repeat,
            )
    for words in SEARCHES:
        for sort in ("relevance", "price_asc"):
            params = urlencode({"q": words, "sort": sort})
            compare(
                client, f"search {words} sort={sort}", f"/api/v1/search/?{params}", f"/search/?{params}", args.repeat
            )
    print()
    print(f"{'deep pages (API first page, then by cursor)':42} {'API p50':>9} {'p95':>9}  {'':20} {'deep/1st':>7}")
    for node in (top, leaf):
        slug, ids = node.category.slug, node.descendant_ids()
        for sort in selectors.PRODUCT_SORTS:
            url = f"/api/v1/categories/{slug}/products/?sort={sort}"
            first = compare(client, f"{slug} {sort} page 1", url, None, args.repeat)
            depth = min(args.deep, selectors.product_list(category_ids=ids, sort=sort).count() - 1)
            after = deep_listing_cursor(ids, sort, depth)
            deep_url = f"{url}&{urlencode({'after': after})}"
            compare(client, f"{slug} {sort} after row {depth:,}", deep_url, None, args.repeat, first_page=first)
        page = args.deep // settings.CATALOG_PAGE_SIZE
        html_first = compare(client, f"HTML {slug} page 1", f"/categories/{slug}/", None, args.repeat)
        compare(
            client,
            f"HTML {slug} ?page={page} (OFFSET)",
            f"/categories/{slug}/?page={page}",
            None,
            args.repeat,
            first_page=html_first,
        )
    for words in SEARCHES[:2]:
        result = query.product_search(query=words, sort="new")
        seen, cursor = 0, ""
        while seen < args.search_deep and result.next_cursor:
            cursor = result.next_cursor
            result = query.product_search(query=words, sort="new", cursor=cursor)
            seen += len(result.products)
        params = {"q": words, "sort": "new"}
        first = compare(client, f"search {words} page 1", f"/api/v1/search/?{urlencode(params)}", None, args.repeat)
        deep = f"/api/v1/search/?{urlencode({**params, 'after': cursor})}"
        compare(
            client, f"search {words} after row {seen + query.PAGE_SIZE:,}", deep, None, args.repeat, first_page=first
        )
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
