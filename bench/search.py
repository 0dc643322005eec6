"""Search benchmark: our search against LIKE '%word%' at 1,000,000 products, on the configured database.

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_search .venv/bin/python bench/search.py
    DATABASE_URL=sqlite:////abs/path/var/bench/search.sqlite3 .venv/bin/python bench/search.py

Builds the catalog with the demo-data command when it holds fewer products than --products, then for every
query of ``QUERIES`` times the results page's work (total + top 20 + their rows, images and categories) through
``catalog.search.query.product_search``, and the same search as LIKE '%word%' on name and description (every
word, AND; total + newest 20 + their rows). Prints p50/p95 per class for both, the ratio, and recall of our
index against LIKE's result set. Timings are wall-clock on a machine shared with other work: the load average
is printed before and after.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalog.models import Category, Product, SearchToken  # noqa: E402
from catalog.search.analysis import analyse  # noqa: E402
from catalog.search.query import PAGE_SIZE, Search, SearchFilters, product_search  # noqa: E402
from catalog.selectors import _with_listing_relations  # noqa: E402

# The fixed query set, by class. "compound parts" are words the demo catalog only has inside compounds
# (노트북 in 게이밍노트북, 청소기 in 무선청소기) or before particles; the others are whole words.
QUERIES = {
    "common (10-60%)": ["정품", "교환", "반품", "고객", "선물", "포장", "품질", "가격", "만족도", "인기"],
    "rare": ["캐시미어", "빈티지", "핸드메이드", "무형광", "저자극", "리퍼브", "병행수입", "에코백"],
    "2-syllable": ["가방", "우유", "신발", "사과", "치즈", "라면", "텐트", "지갑", "셔츠", "감귤"],
    "compound parts": ["노트북", "청소기", "요거트", "밥솥", "커피머신", "원피스", "청바지", "러닝화", "선크림"],
    "two words": [
        "게이밍 노트북",
        "무선 청소기",
        "정품 가방",
        "유기농 우유",
        "소가죽 지갑",
        "선물 포장",
        "국내산 사과",
    ],
    "English/digit": ["RTX", "4060", "RTX 4060", "512GB", "SSD", "SPF50", "QHD", "144Hz", "4K", "1TB", "USB-C"],
}
WHOLE_WORD_CLASSES = [name for name in QUERIES if name != "compound parts"]
REPEATS = 5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()

    build_seconds = ensure_catalog(args.products)
    built = f"  (built now in {build_seconds:.0f} s)" if build_seconds else ""
    print(
        f"database: {connection.vendor} {server_version()}  products: {Product.objects.count():,}  "
        f"postings: {postings():,}{built}"
    )
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, load average before {load()}")

    rows, ratios, recall = [], [], {}
    for name, queries in QUERIES.items():
        ours, like, found, expected, extra = [], [], 0, 0, 0
        for query in queries:
            page = product_search(query=query)  # warm-up
            for _ in range(args.repeats):
                started = time.perf_counter()
                page = product_search(query=query)
                ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            like_total, like_page = like_search(query)
            like_seconds = time.perf_counter() - started
            like.append(like_seconds)
            ratios.append(like_seconds / statistics.median(ours[-args.repeats :]))
            like_ids, our_ids = like_result(query), our_result(query)
            found += len(like_ids & our_ids)
            expected += len(like_ids)
            extra += len(our_ids - like_ids)
            shown = "10,000+" if page.total_capped else f"{page.total:,}"
            print(
                f"  {name:16} {query:14} ours {1000 * statistics.median(ours[-args.repeats :]):7.1f} ms "
                f"total {shown:>8}  LIKE {1000 * like_seconds:7.0f} ms total {like_total:>8,}  "
                f"recall {len(like_ids & our_ids)}/{len(like_ids)}"
            )
        recall[name] = (found, expected, extra)
        rows.append((name, len(queries), ours, like))

    print(f"\nload average after {load()}\n")
    print(
        f"{'class':18} {'n':>3} {'ours p50':>9} {'ours p95':>9} {'LIKE p50':>9} {'LIKE p95':>9} {'ratio p50':>9} "
        f"{'recall':>8} {'extra':>6}"
    )
    for name, count, ours, like in rows:
        found, expected, extra = recall[name]
        print(
            f"{name:18} {count:3} {ms(ours, 50):>9} {ms(ours, 95):>9} {ms(like, 50):>9} {ms(like, 95):>9} "
            f"{statistics.median(like) / statistics.median(ours):8.0f}x {100 * found / max(expected, 1):7.2f}% "
            f"{extra:6}"
        )
    all_ours = [t for _, _, ours, _ in rows for t in ours]
    all_like = [t for _, _, _, like in rows for t in like]
    print(
        f"{'all':18} {sum(r[1] for r in rows):3} {ms(all_ours, 50):>9} {ms(all_ours, 95):>9} "
        f"{ms(all_like, 50):>9} {ms(all_like, 95):>9} {statistics.median(all_like) / statistics.median(all_ours):8.0f}x"
    )
    print(f"median of per-query ratios (LIKE / ours): {statistics.median(ratios):.0f}x")
    whole = [recall[name] for name in WHOLE_WORD_CLASSES]
    parts = recall["compound parts"]
    print(
        f"recall, whole words: {100 * sum(f for f, _, _ in whole) / sum(e for _, e, _ in whole):.2f}%   "
        f"compound parts: {100 * parts[0] / parts[1]:.2f}%"
    )
    where_time_goes()
    other_sorts(args.repeats)


def where_time_goes():
    """One more run per query with Django's query log: time in the capped count, in the page's id queries
    (one per relevance tier used), in loading the 20 rows with images, and the rest (Python)."""
    print("\nwhere the time goes (medians per class, ms): count / page ids / rows / rest")
    for name, queries in QUERIES.items():
        parts = {"count": [], "ids": [], "rows": [], "rest": []}
        for query in queries:
            with CaptureQueriesContext(connection) as log:
                started = time.perf_counter()
                product_search(query=query)
                total = time.perf_counter() - started
            spent = {"count": 0.0, "ids": 0.0, "rows": 0.0}
            for entry in log.captured_queries:
                sql = entry["sql"]
                kind = (
                    "count"
                    if sql.startswith("SELECT COUNT(*)")
                    else "ids"
                    if "STRAIGHT_JOIN" in sql or " s0" in sql
                    else "rows"
                )
                spent[kind] += float(entry["time"])
            for kind, seconds in spent.items():
                parts[kind].append(seconds)
            parts["rest"].append(total - sum(spent.values()))
        print(f"  {name:18} " + " / ".join(f"{1000 * statistics.median(values):6.1f}" for values in parts.values()))


def other_sorts(repeats):
    """Sorting by price and filtering by category: not goals of the issue, measured to know their cost."""
    print("\nother sorts and filters (ours, p50 / p95):")
    bags = tuple(
        Category.objects.filter(slug__in=["backpacks", "crossbody-bags", "wallets"]).values_list("id", flat=True)
    )
    cases = [
        ("price_asc", SearchFilters()),
        ("new", SearchFilters(category_ids=bags)),
        ("relevance", SearchFilters(min_price=10_000, max_price=50_000, in_stock=True)),
    ]
    for sort, filters in cases:
        for name in ("rare", "common (10-60%)"):
            times = []
            for query in QUERIES[name]:
                product_search(query=query, sort=sort, filters=filters)
                for _ in range(repeats):
                    started = time.perf_counter()
                    product_search(query=query, sort=sort, filters=filters)
                    times.append(time.perf_counter() - started)
            print(f"  {sort:10} {describe(filters):28} {name:16} {ms(times, 50):>8} / {ms(times, 95):>8} ms")


def describe(filters):
    if filters.category_ids:
        return "category 가방 (3 leaves)"
    if filters.in_stock:
        return "10,000-50,000원, in stock"
    return "no filter"


def like_condition(query):
    condition = Q()
    for word in query.split():
        condition &= Q(name__icontains=word) | Q(description__icontains=word)
    return condition


def like_search(query):
    """What a LIKE search's results page does: the total, then the newest 20 ids and their rows with relations
    (ids first, as our search does: with the category join MariaDB sorts every match on disk instead)."""
    matches = Product.objects.visible().filter(like_condition(query))
    total = matches.count()
    ids = list(matches.order_by("-id").values_list("id", flat=True)[:PAGE_SIZE])
    return total, list(_with_listing_relations(Product.objects.filter(id__in=ids)))


def like_result(query) -> set[int]:
    return set(Product.objects.visible().filter(like_condition(query)).values_list("id", flat=True))


def our_result(query) -> set[int]:
    """Every product our index matches, uncapped (the page itself never reads them all): the union of the
    query's alternatives (as typed, split, by synonym)."""
    search = Search(analyse(query), SearchFilters(), "new")
    found = set()
    for tokens in search.alternatives:
        sql, params = search._select(tokens, limit=10_000_000)
        found |= {row[0] for row in search._fetch(sql, params)}
    return found


def ensure_catalog(products) -> float:
    missing = products - Product.objects.count()
    if missing <= 0:
        return 0.0
    started = time.perf_counter()
    call_command("demo_data", products=missing, no_images=True)
    return time.perf_counter() - started


def postings():
    return SearchToken.objects.count()


def server_version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()" if connection.vendor == "mysql" else "SELECT sqlite_version()")
        return cursor.fetchone()[0]


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def ms(times, percentile):
    ordered = sorted(times)
    index = min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))
    return f"{1000 * ordered[index]:.1f}"


if __name__ == "__main__":
    main()
