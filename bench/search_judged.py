"""Judged queries: what a shopper types, the products they would expect, and what our search returns.

    DATABASE_URL=mysql://root@127.0.0.1:3306/shop_bench_search .venv/bin/python bench/search_judged.py

Runs over the search benchmark's catalogue (``bench/search.py`` builds it; run ``manage.py
search_refresh_frequencies`` after building, since the analysis reads the frequencies). For each case of
issue 21 (particles, words that must keep their last syllable, spacing, one syllable, synonyms) it prints
precision and recall of the full result set against the expected set, defined by what the product text holds
(the definitions are next to the queries), and the p50/p95 of the results page's work. "Did you mean" and
autocomplete are judged by whether the expected word is offered. It also measures the false-strip rate of
particle stripping over the catalogue's name vocabulary, and autocomplete's p50/p95. The benchmark adds the
synonym groups it judges (``SYNONYMS``) to the database when missing.
"""

import os
import re
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from bench.search import load, ms, our_result  # noqa: E402
from catalog.models import Product, SearchSynonym, SearchToken, SearchTokenStat  # noqa: E402
from catalog.search import analysis, synonyms, vocabulary  # noqa: E402
from catalog.search.autocomplete import search_suggestions  # noqa: E402
from catalog.search.query import product_search  # noqa: E402
from catalog.search.tokens import NAME_WORD, WORD_END  # noqa: E402

SYNONYMS = ["노바, Nova", "루마, Luma", "랩탑, 노트북", "케이텍, K-Tech"]


def text_has(*words):
    """Name or description holds every word (LIKE, as bench/search.py's reference)."""
    condition = Q()
    for word in words:
        condition &= Q(name__icontains=word) | Q(description__icontains=word)
    return condition


def name_word_ends_in(syllable):
    """A name word that is the syllable or ends in it (백팩, 24팩): what a one-syllable query means."""
    return Q(name__regex=rf"{syllable}([^가-힣]|$)")


# case -> [(query, expected products)]
CASES = {
    "particles stripped": [
        ("가방을", text_has("가방")),
        ("가방이", text_has("가방")),
        ("우유는", text_has("우유")),
        ("텐트도", text_has("텐트")),
        ("지갑만", text_has("지갑")),
        ("노트북에서", text_has("노트북")),
        ("치즈를", text_has("치즈")),
        ("선크림으로", text_has("선크림")),
    ],
    "must not strip": [
        ("사과", text_has("사과")),
        ("부사사과", text_has("부사사과")),
        ("로얄과", text_has("로얄과")),
        ("캠핑의자", text_has("캠핑의자")),
        ("데일리", text_has("데일리")),
        ("요거트", text_has("요거트")),
    ],
    "spacing": [
        ("게이밍노트북", text_has("게이밍", "노트북")),
        ("한울노트북", text_has("한울", "노트북")),
        ("프리미엄텐트", text_has("프리미엄", "텐트")),
        ("RTX4060", text_has("RTX 4060") | text_has("RTX4060")),
        ("게이밍 노트북", text_has("게이밍", "노트북")),
        ("무선 청소기", text_has("무선", "청소기")),
    ],
    "one syllable": [
        ("밥", name_word_ends_in("밥")),
        ("팩", name_word_ends_in("팩")),
        ("화", name_word_ends_in("화")),
        ("백", name_word_ends_in("백")),
    ],
    "synonyms": [
        ("노바", text_has("Nova")),
        ("루마 크림", text_has("Luma", "크림")),
        ("랩탑", text_has("노트북")),
        ("케이텍 모니터", text_has("K-Tech", "모니터")),
    ],
}
TYPOS = [
    ("가빙", "가방"),
    ("노트묵", "노트북"),
    ("텐투", "텐트"),
    ("칭바지", "청바지"),
    ("요거투", "요거트"),
    ("셔추", "셔츠"),
]
PREFIXES = [
    ("ㄴㅌㅂ", "노트북"),
    ("노트ㅂ", "노트북"),
    ("노틉", "노트북"),
    ("ㄱㅂ", "가방"),
    ("청바ㅈ", "청바지"),
    ("ㅌㅌ", "텐트"),
]
PREFIXES += [("러닝", "러닝화"), ("ㅇㅇㅍㄹㅇㅇ", "에어프라이어"), ("", None)]
REPEATS = 5


def main():
    add_synonyms()
    print(
        f"database: {connection.vendor}  products: {Product.objects.count():,}  postings: "
        f"{SearchToken.objects.count():,} (word-end: {SearchToken.objects.filter(token__startswith=WORD_END).count():,})"
    )
    print(f"load average before {load()}\n")
    search_cases()
    typos()
    prefixes()
    false_strips()
    print(f"\nload average after {load()}")


def add_synonyms():
    for line in SYNONYMS:
        SearchSynonym.objects.get_or_create(words=line)
    synonyms.synonyms_changed()


def search_cases():
    print(f"{'case':20} {'query':14} {'expected':>9} {'found':>9} {'precision':>9} {'recall':>8} {'p50':>7} {'p95':>7}")
    summary = []
    for case, queries in CASES.items():
        hits = expected_total = found_total = 0
        times = []
        for query, expected_condition in queries:
            expected = set(Product.objects.visible().filter(expected_condition).values_list("id", flat=True))
            found = our_result(query)
            product_search(query=query)
            for _ in range(REPEATS):
                started = time.perf_counter()
                product_search(query=query)
                times.append(time.perf_counter() - started)
            right = len(expected & found)
            hits, expected_total, found_total = hits + right, expected_total + len(expected), found_total + len(found)
            print(
                f"{case:20} {query:14} {len(expected):9,} {len(found):9,} {percent(right, len(found)):>9} "
                f"{percent(right, len(expected)):>8} {ms(times[-REPEATS:], 50):>7} {ms(times[-REPEATS:], 95):>7}"
            )
        summary.append((case, percent(hits, found_total), percent(hits, expected_total), times))
    print(f"\n{'case':20} {'precision':>9} {'recall':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for case, precision, recall, times in summary:
        print(f"{case:20} {precision:>9} {recall:>8} {ms(times, 50):>7} {ms(times, 95):>7}")


def typos():
    print("\ndid you mean (after a search that finds nothing):")
    right = 0
    for typo, meant in TYPOS:
        page = product_search(query=typo)
        right += page.suggestion == meant
        print(f"  {typo:6} -> {page.suggestion or '-':8} expected {meant:6} ({page.total} found)")
    print(f"  correct: {right}/{len(TYPOS)}")


def prefixes():
    vocabulary.forget()
    started = time.perf_counter()
    vocabulary.vocabulary()
    print(
        f"\nautocomplete (vocabulary of {len(vocabulary.vocabulary().words):,} words loaded in "
        f"{1000 * (time.perf_counter() - started):.0f} ms, once a process per {vocabulary.RELOAD_SECONDS} s):"
    )
    times, right = [], 0
    for prefix, meant in PREFIXES:
        for _ in range(100):
            started = time.perf_counter()
            found = search_suggestions(text=prefix)
            times.append(time.perf_counter() - started)
        offered = [category["name"] for category in found.categories] + found.words[:5] if prefix else found.popular[:5]
        right += meant is None or meant in offered
        print(f"  {prefix or '(empty)':10} -> {', '.join(offered) or '-'}")
    print(
        f"  expected word among the categories and first five words: {right}/{len(PREFIXES)}; p50 {ms(times, 50)} ms, p95 {ms(times, 95)} ms"
    )


def false_strips():
    """Name words of the catalogue that end in a particle's syllables: the analysis should keep them all."""
    known = list(SearchTokenStat.objects.filter(token__startswith=NAME_WORD).values_list("token", flat=True))
    words = [token[len(NAME_WORD) :] for token in known]
    candidates = [word for word in words if re.search("[가-힣]", word) and analysis.particle_stems(word)]
    frequencies = analysis.Frequencies()
    frequencies.load(candidates + [stem for word in candidates for stem in analysis.particle_stems(word)])
    stripped = [word for word in candidates if analysis.strip_particle(word, frequencies) != word]
    print(
        f"\nparticle stripping over the catalogue's {len(words):,} name words: {len(candidates):,} end in a "
        f"particle's syllables (a naive rule would strip them all); ours strips {len(stripped):,} "
        f"({percent(len(stripped), len(candidates))}): {', '.join(stripped[:20]) or '-'}"
    )


def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    main()
