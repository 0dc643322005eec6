"""Option filters on the results page at scale: the page (test client, Django's whole stack) for a leaf's word
and a word common to every category, each without options, with one value and with two options, as a ratio to
a product page measured in the same run; then the selector's worst case, an option that none of a common word's
results sells, which reads the whole budget (``OPTION_SCAN`` results) before it stops.

Needs a catalog with options and a search index: bench/listing_data.py, then ``catalog.search.index.rebuild``.

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_list .venv/bin/python bench/search_options.py
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

from catalog.models import Product  # noqa: E402
from catalog.search import query  # noqa: E402

PAGES = [
    ("러닝화", {}),
    ("러닝화", {"option": "사이즈:260"}),
    ("러닝화", {"option": ["색상:블랙", "사이즈:260"]}),
    ("무료배송", {}),
    ("무료배송", {"option": "사이즈:260"}),
    ("무료배송", {"option": ["색상:블랙", "사이즈:260"]}),
]


def timed(call, repeat):
    call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def page(client, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    client = Client()
    products = Product.objects.count()
    print(f"{connection.vendor}, {products:,} products; load average {os.getloadavg()}")
    slug = Product.objects.visible().order_by("-id").values_list("slug", flat=True)[500]
    base50, base95 = timed(page(client, f"/products/{slug}/"), args.repeat)
    print(f"product page                                     p50 {base50:7.1f} ms  p95 {base95:7.1f} ms")
    for words, params in PAGES:
        url = "/search/?" + urlencode({"q": words, **params}, doseq=True)
        response = client.get(url)
        found = response.content.count(b'<article class="card')
        p50, p95 = timed(page(client, url), args.repeat)
        label = f"{words} {params.get('option', '')}"
        print(f"{label:45} {found:3} found  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {p95 / base95:4.1f}x")
    # The selector alone: a page without options, and the worst case, an option none of the results sells.
    nothing = query.SearchFilters(options=(("사이즈", ("999",)),))
    for words in ("러닝화", "무료배송"):
        for sort in query.SEARCH_SORTS:
            for label, filters in (("no option", query.SearchFilters()), ("none sells", nothing)):
                p50, p95 = timed(
                    lambda w=words, s=sort, f=filters: query.product_search(query=w, filters=f, sort=s), args.repeat
                )
                print(f"selector {words:5} {sort:10} {label:10}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        p50, p95 = timed(lambda w=words: query.search_option_facets(query=w), args.repeat)
        print(f"selector {words:5} option facets          p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
