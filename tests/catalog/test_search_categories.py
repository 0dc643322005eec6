"""Category tokens: every product holds one per category of its path, so a category filter is one more posting
list to intersect; they follow every write that can change a product's path, and the totals around them."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog import demo, services
from catalog.models import Category, Product, SearchPriceTokenStat, SearchToken
from catalog.search import index, query
from catalog.search.query import Search, SearchFilters, product_search, round_estimate
from catalog.search.tokens import category_token
from tests.factories import CategoryFactory, IndexedProductFactory, ProductFactory

pytestmark = pytest.mark.django_db


def category_tokens(product):
    return set(SearchToken.objects.filter(product_id=product.id, token__startswith="c").values_list("token", flat=True))


def names(page):
    return sorted(product.name for product in page.products)


def subtree(category):
    """A category's ids and those below it, as the results page's filter passes them."""
    ids, stack = [], [category]
    while stack:
        node = stack.pop()
        ids.append(node.id)
        stack.extend(Category.objects.filter(parent=node))
    return tuple(ids)


def test_a_saved_product_holds_a_token_for_its_category_and_every_ancestor(category_tree):
    root, middle, leaf = category_tree
    product = IndexedProductFactory(name="한울 노트북", category=leaf)
    assert category_tokens(product) == {category_token(c.id) for c in (root, middle, leaf)}


def test_a_product_moved_to_another_category_changes_its_tokens(category_tree):
    root, middle, leaf = category_tree
    product = IndexedProductFactory(name="한울 노트북", category=leaf)
    other = CategoryFactory()
    product.category = other
    services.product_save(product=product)
    assert category_tokens(product) == {category_token(other.id)}


def test_a_hidden_product_loses_its_category_tokens_and_a_published_one_gets_them(category_tree):
    product = IndexedProductFactory(name="한울 노트북", category=category_tree[2])
    services.product_set_status(product_ids=[product.id], status=Product.Status.HIDDEN)
    hidden = category_tokens(product)
    services.product_set_status(product_ids=[product.id], status=Product.Status.ON_SALE)
    assert (hidden, len(category_tokens(product))) == (set(), 3)


def test_the_demo_import_writes_category_tokens():
    demo.create_products(count=10, with_images=False)
    for product in Product.objects.visible():
        assert category_token(product.category_id) in category_tokens(product)


def test_a_category_moved_in_the_admin_takes_its_products_tokens_along(client, staff_user, category_tree):
    root, middle, leaf = category_tree
    product = IndexedProductFactory(name="한울 노트북", category=leaf)
    other_root = CategoryFactory(name="디지털", slug="digital")
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:catalog_category_change", args=[middle.id]),
        {"name": middle.name, "slug": middle.slug, "parent": other_root.id, "position": 0, "is_active": "on"},
    )
    assert response.status_code == 302
    assert category_tokens(product) == {category_token(c.id) for c in (other_root, middle, leaf)}
    found = product_search(query="노트북", filters=SearchFilters(category_ids=subtree(other_root)))
    gone = product_search(query="노트북", filters=SearchFilters(category_ids=subtree(root)))
    assert (names(found), names(gone)) == (["한울 노트북"], [])


def test_the_rebuild_and_the_category_backfill_restore_category_tokens(category_tree):
    product = ProductFactory(name="한울 노트북", category=category_tree[2])  # not indexed yet
    call_command("search_rebuild", stdout=io.StringIO())
    rebuilt = category_tokens(product)
    SearchToken.objects.filter(token__startswith="c").delete()
    call_command("search_rebuild", "--categories", stdout=io.StringIO())
    assert rebuilt == category_tokens(product) == {category_token(c.id) for c in category_tree}


def test_a_subtree_filter_is_a_token_and_any_other_set_filters_the_rows(category_tree):
    root, middle, leaf = category_tree
    IndexedProductFactory(name="한울 노트북 가방", category=leaf)
    IndexedProductFactory(name="누리 컴퓨터 가방", category=middle)
    IndexedProductFactory(name="다른 가방", category=CategoryFactory())
    whole = SearchFilters(category_ids=subtree(middle))
    partial = SearchFilters(category_ids=(middle.id,))
    assert Search(query.analyse("가방"), whole, "relevance").category == (category_token(middle.id),)
    assert Search(query.analyse("가방"), partial, "relevance").category == ()
    assert names(product_search(query="가방", filters=whole)) == ["누리 컴퓨터 가방", "한울 노트북 가방"]
    assert names(product_search(query="가방", filters=partial)) == ["누리 컴퓨터 가방"]


@pytest.mark.parametrize("sort", query.SEARCH_SORTS)
def test_a_category_filter_with_every_sort_and_a_price_range(category_tree, sort):
    root, _, leaf = category_tree
    IndexedProductFactory(name="맞는 가방", category=leaf, price=20_000)
    IndexedProductFactory(name="비싼 가방", category=leaf, price=200_000)
    IndexedProductFactory(name="다른 가방", category=CategoryFactory(), price=20_000)
    filters = SearchFilters(category_ids=subtree(root), max_price=100_000)
    page = product_search(query="가방", filters=filters, sort=sort)
    assert (names(page), page.total, page.total_estimated) == (["맞는 가방"], 1, False)


def test_small_totals_are_exact_with_a_filter_and_two_words(category_tree):
    for number in range(5):
        IndexedProductFactory(name=f"한울 가죽 가방 {number}", category=category_tree[2])
    IndexedProductFactory(name="한울 가방")
    page = product_search(query="가죽 가방", filters=SearchFilters(category_ids=subtree(category_tree[0])))
    assert (page.total, page.total_estimated) == (5, False)


def test_an_estimate_scales_the_sample_by_the_rarest_tokens_frequency(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 4)
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    for number in range(8):
        IndexedProductFactory(name=f"한울 가방 {'가죽' if number % 2 else '면'}")
    index.refresh_frequencies()
    search = Search(query.analyse("가죽 가방"), SearchFilters(), "relevance")
    # 가죽 is the rarer token (4 products): within the budget, so exact.
    assert (search.count(), search.estimated) == (4, False)
    monkeypatch.setattr(query, "COUNT_BUDGET", 2)
    search = Search(query.analyse("가방"), SearchFilters(min_price=0), "relevance")
    assert (search.count(), search.estimated) == (8, True)


@pytest.mark.parametrize(
    ("estimate", "shown"), [(8_073, 8_100), (123_456, 120_000), (57.4, 57), (1_049, 1_000), (99_960, 100_000)]
)
def test_estimates_are_rounded_to_two_significant_digits(estimate, shown):
    assert round_estimate(estimate) == shown


def test_an_estimate_of_nothing_is_checked_and_then_exact(monkeypatch, category_tree):
    monkeypatch.setattr(query, "COUNT_BUDGET", 1)
    for _ in range(3):
        IndexedProductFactory(name="한울 가방", category=category_tree[2])
    other = CategoryFactory()
    for _ in range(2):
        IndexedProductFactory(name="한울 지갑", category=other)
    index.refresh_frequencies()
    page = product_search(query="가방", filters=SearchFilters(category_ids=(other.id,)))
    assert (page.products, page.total, page.total_estimated) == ([], 0, False)


def test_an_estimate_samples_the_whole_id_range_not_only_the_newest_products(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 4)
    monkeypatch.setattr(query, "SAMPLE_WINDOWS", 4)
    monkeypatch.setattr(query, "RESAMPLE_FACTOR", 1)
    for number in range(16):
        # The older half is cheap, the newer half dear: the newest postings alone would find no cheap bag.
        IndexedProductFactory(name=f"한울 가방 {number}", price=5_000 if number < 8 else 50_000)
    index.refresh_frequencies()
    SearchPriceTokenStat.objects.all().delete()  # no band counts: the price range is carried by the sample
    search = Search(query.analyse("가방"), SearchFilters(max_price=10_000), "relevance")
    # The newest 4 are dear (no match: not proof of none), so the sample is taken again spread over the ids.
    assert (search.count(), search.estimated) == (8, True)


def test_a_sample_with_few_matches_is_taken_again_bigger(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 4)
    monkeypatch.setattr(query, "SAMPLE_WINDOWS", 4)
    monkeypatch.setattr(query, "RESAMPLE_FACTOR", 5)
    for number in range(20):
        # Two cheap bags, each the first of a window's slice: the first sample (one posting a window, the
        # newest) misses both, the second (five a window) holds them.
        IndexedProductFactory(name=f"한울 가방 {number}", price=5_000 if number in (0, 10) else 50_000)
    index.refresh_frequencies()
    SearchPriceTokenStat.objects.all().delete()  # no band counts: the price range is carried by the sample
    cheap = SearchFilters(max_price=10_000)
    monkeypatch.setattr(query, "RESAMPLE_ERROR", 100)
    assert Search(query.analyse("가방"), cheap, "relevance").count() == 0
    monkeypatch.setattr(query, "RESAMPLE_ERROR", 0.05)
    search = Search(query.analyse("가방"), cheap, "relevance")
    assert (search.count() > 0, search.estimated) == (True, True)


def test_a_first_sample_of_the_newest_postings_is_read_again_only_when_too_small(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 8)
    monkeypatch.setattr(query, "FIRST_SAMPLE", 2)
    monkeypatch.setattr(query, "SAMPLE_WINDOWS", 4)
    for number in range(8):
        IndexedProductFactory(name=f"한울 가방 {number}")
        IndexedProductFactory(name=f"누리 정품 지갑 {number}")
    for number in range(2):
        IndexedProductFactory(name=f"다온 정품 가방 {number}")  # the newest two bags are the only matches
    index.refresh_frequencies()
    # An error allowed as big as the total: the first sample (the two newest bags, both matches) is taken as is.
    monkeypatch.setattr(query, "RESAMPLE_ERROR", 1.0)
    search = Search(query.analyse("정품 가방"), SearchFilters(), "relevance")
    assert (search.count(), search.estimated) == (10, True)
    # The default: the first sample is too small for its matches and is read again, and the total is right.
    monkeypatch.setattr(query, "RESAMPLE_ERROR", 0.07)
    page = product_search(query="정품 가방")
    assert (page.total, len(page.products)) == (2, 2)
