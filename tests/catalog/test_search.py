"""The search selector: what a Korean shopper's query finds, in what order, and what it never shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product
from catalog.search import index, query
from catalog.search.index import refresh_frequencies
from catalog.search.query import SearchFilters, product_search
from shop.cursors import InvalidCursor
from tests.factories import CategoryFactory, IndexedProductFactory

pytestmark = pytest.mark.django_db


def names(page):
    return [product.name for product in page.products]


@pytest.mark.parametrize("word", ["가방", "우유", "신발"])
def test_a_two_syllable_word_is_found(word):
    IndexedProductFactory(name=f"한울 {word} 특가", description="")
    IndexedProductFactory(name="누리 텐트", description="")
    assert names(product_search(query=word)) == [f"한울 {word} 특가"]


def test_a_word_inside_a_compound_is_found():
    IndexedProductFactory(name="한울 게이밍노트북 RTX 4060", description="")
    assert names(product_search(query="노트북")) == ["한울 게이밍노트북 RTX 4060"]


def test_a_long_word_is_found_inside_a_compound_but_not_from_scattered_syllables():
    IndexedProductFactory(name="한울 오븐형에어프라이어 12L", description="")
    IndexedProductFactory(name="누리 에어컨 프라이팬", description="에어 프라이")
    assert names(product_search(query="에어프라이어")) == ["한울 오븐형에어프라이어 12L"]


def test_the_results_page_reads_no_categories_its_cards_do_not_show():
    for name in ("한울 가방", "누리 가방", "다온 가방"):
        IndexedProductFactory(name=name)
    refresh_frequencies()
    with CaptureQueriesContext(connection) as log:
        page = product_search(query="가방")
    assert sorted(names(page)) == ["누리 가방", "다온 가방", "한울 가방"]
    assert [entry["sql"] for entry in log.captured_queries if "catalog_category" in entry["sql"]] == []


def test_a_word_followed_by_a_particle_is_found():
    IndexedProductFactory(name="다온 백팩", description="이 가방은 가볍고 튼튼합니다.")
    assert names(product_search(query="가방")) == ["다온 백팩"]


@pytest.mark.parametrize("typed", ["RTX 4060", "rtx", "256GB", "GB", "４０６０"])
def test_english_and_digit_tokens_are_found(typed):
    IndexedProductFactory(name="한울 노트북 RTX 4060 256GB", description="")
    assert len(product_search(query=typed).products) == 1


def test_a_digit_run_does_not_match_a_longer_number():
    IndexedProductFactory(name="한울 노트북 RTX 4060", description="")
    assert product_search(query="406").products == []


def test_every_word_must_match():
    IndexedProductFactory(name="한울 가죽가방", description="")
    IndexedProductFactory(name="한울 가죽지갑", description="")
    assert names(product_search(query="가방 가죽")) == ["한울 가죽가방"]


def test_whole_name_words_rank_above_compounds_and_descriptions():
    whole = IndexedProductFactory(name="한울 가방 블랙", description="")
    compound = IndexedProductFactory(name="한울 여행가방", description="")
    described = IndexedProductFactory(name="한울 백팩", description="노트북 가방으로 좋아요.")
    assert product_search(query="가방").products == [whole, compound, described]


def test_newest_first_ignores_where_the_word_is():
    whole = IndexedProductFactory(name="한울 가방", description="")
    described = IndexedProductFactory(name="한울 백팩", description="가방")
    assert product_search(query="가방", sort="new").products == [described, whole]


@pytest.mark.parametrize("status", [Product.Status.HIDDEN, Product.Status.DRAFT])
def test_hidden_and_draft_products_never_appear(status):
    IndexedProductFactory(name="숨긴 가방", status=status)
    assert product_search(query="가방").products == []


def test_sold_out_products_still_appear():
    IndexedProductFactory(name="품절 가방", status=Product.Status.SOLD_OUT, stock=0)
    assert names(product_search(query="가방")) == ["품절 가방"]


@pytest.mark.parametrize(
    "typed", ['"가방"', "+가방 -", "가방*", "(가방)", "<가방>", "~가방", "@가방", "가방'; --", "가방;%_\\"]
)
def test_operator_characters_are_plain_text(typed):
    IndexedProductFactory(name="한울 가방")
    assert names(product_search(query=typed)) == ["한울 가방"]


@pytest.mark.parametrize("typed", ["", "   ", "가", "!", "\"'+-*()<>~@%_", "ㅋㅋㅋ", "😀" * 50, "가나다라마" * 200])
def test_empty_short_and_junk_queries_give_a_page_not_an_error(typed):
    IndexedProductFactory(name="한울 가방")
    page = product_search(query=typed)
    assert page.products == []
    assert page.total == 0


def test_a_junk_query_is_cut_to_its_first_words():
    IndexedProductFactory(name="한울 가방")
    assert names(product_search(query="가방 " + "@" * 5000)) == ["한울 가방"]


def test_filters_by_category_including_subcategories(category_tree):
    root, _, laptops = category_tree
    IndexedProductFactory(name="한울 노트북 가방", category=laptops)
    IndexedProductFactory(name="누리 노트북 가방", category=CategoryFactory())
    filters = SearchFilters(category_ids=(root.id, category_tree[1].id, laptops.id))
    assert names(product_search(query="가방", filters=filters)) == ["한울 노트북 가방"]


def test_filters_by_price_range_and_stock():
    IndexedProductFactory(name="싼 가방", price=5_000)
    IndexedProductFactory(name="적당한 가방", price=30_000)
    IndexedProductFactory(name="품절 가방", price=30_000, stock=0, status=Product.Status.SOLD_OUT)
    IndexedProductFactory(name="비싼 가방", price=300_000)
    filters = SearchFilters(min_price=10_000, max_price=100_000, in_stock=True)
    assert names(product_search(query="가방", filters=filters)) == ["적당한 가방"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("price_asc", [1_000, 2_000, 3_000]), ("price_desc", [3_000, 2_000, 1_000])],
)
def test_sorts_by_price(sort, expected):
    for price in (2_000, 3_000, 1_000):
        IndexedProductFactory(name="가방", price=price)
    assert [product.price for product in product_search(query="가방", sort=sort).products] == expected


def test_the_total_is_exact_within_the_budget_and_estimated_beyond(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 3)
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    for _ in range(3):
        IndexedProductFactory(name="가방")
    exact = product_search(query="가방")
    for _ in range(2):
        IndexedProductFactory(name="가방")
    index.refresh_frequencies()
    estimated = product_search(query="가방")
    assert (exact.total, exact.total_estimated) == (3, False)
    assert (estimated.total, estimated.total_estimated, estimated.total_capped) == (5, True, True)


@pytest.mark.parametrize("sort", ["relevance", "new", "price_asc", "price_desc"])
def test_numbered_pages_then_keyset_pages_walk_every_match_once(monkeypatch, sort):
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    monkeypatch.setattr(query, "NUMBERED_PAGES", 2)
    products = [
        IndexedProductFactory(name="한울 가방" if n % 3 else "여행가방", price=1_000 * (n % 4)) for n in range(9)
    ]
    seen, page, cursor = [], 1, ""
    for _ in range(10):
        result = product_search(query="가방", sort=sort, page=page, cursor=cursor)
        seen += [product.id for product in result.products]
        if result.next_number:
            assert result.next_number <= query.NUMBERED_PAGES
            page = result.next_number
        elif result.next_cursor:
            cursor = result.next_cursor
        else:
            break
    assert sorted(seen) == sorted(product.id for product in products)


@pytest.mark.parametrize("cursor", ["junk", "1.2.3", "-1.5", "9" * 40, "0.", "가" * 2000])
def test_a_forged_cursor_is_refused(cursor):
    IndexedProductFactory(name="가방")
    with pytest.raises(InvalidCursor):
        product_search(query="가방", cursor=cursor)


def test_a_cursor_of_another_sort_is_refused():
    IndexedProductFactory(name="가방")
    with pytest.raises(InvalidCursor):
        product_search(query="가방", sort="new", cursor=query.search_cursor(sort="price_asc", key=(1000, 5)))


@pytest.mark.parametrize("sort", ["price_asc", "price_desc"])
def test_a_common_word_sorted_by_price_walks_the_price_index_to_the_same_pages(monkeypatch, sort):
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    for n in range(7):
        IndexedProductFactory(name="한울 가방" if n % 2 else "누리 지갑", price=1_000 * (n % 3))
    refresh_frequencies()

    def walk():
        seen, cursor = [], ""
        for _ in range(10):
            result = product_search(query="한울", sort=sort, cursor=cursor or "", page=1)
            seen += [(product.price, product.id) for product in result.products]
            cursor = result.next_cursor
            if not cursor:
                return seen
        return seen

    by_tokens = walk()
    monkeypatch.setattr(query, "PRICE_SCAN_FROM", 1)
    assert walk() == by_tokens
    assert len(by_tokens) == 3
