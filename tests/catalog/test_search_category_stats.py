"""Per-category token frequencies: a word none of a category's products held at the last refresh is looked for
only among the products written since, and every write that can put the word there is still found."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import services
from catalog.models import Product, SearchCategoryTokenStat, SearchSynonym
from catalog.search import index, query
from catalog.search.query import Search, SearchFilters, product_search
from catalog.search.tokens import category_token
from tests.catalog.test_search_categories import names
from tests.catalog.test_search_categories import subtree as category_ids
from tests.factories import CategoryFactory, IndexedProductFactory, ProductFactory

pytestmark = pytest.mark.django_db


def subtree(category):
    return SearchFilters(category_ids=category_ids(category))


@pytest.fixture
def refreshed(category_tree):
    """Bags under 가전 and vacuum cleaners elsewhere, written a day ago, then the frequencies refreshed."""
    root, _, leaf = category_tree
    other = CategoryFactory(name="생활", slug="living")
    for number in range(3):
        IndexedProductFactory(name=f"한울 가방 {number}", category=leaf)
        IndexedProductFactory(name=f"누리 청소기 {number}", category=other)
    Product.objects.update(updated_at=timezone.now() - timedelta(days=1))
    index.refresh_frequencies()
    return root, leaf, other


def test_the_refresh_counts_every_token_per_category_and_its_ancestors(refreshed):
    root, leaf, other = refreshed
    stats = dict(SearchCategoryTokenStat.objects.filter(token="h가방").values_list("category_token", "products"))
    assert stats == {category_token(root.id): 3, category_token(leaf.id): 3, category_token(leaf.parent_id): 3}
    assert not SearchCategoryTokenStat.objects.filter(category_token=category_token(other.id), token="h가방").exists()


def test_a_word_absent_from_the_category_looks_only_at_products_written_since(refreshed):
    root, _, _ = refreshed
    search = Search(query.analyse("청소기"), subtree(root), "relevance")
    assert search.recent[0] is not None
    page = product_search(query="청소기", filters=subtree(root))
    assert (page.products, page.total, page.total_estimated) == ([], 0, False)
    assert names(product_search(query="청소기", filters=subtree(refreshed[2]))) == [
        f"누리 청소기 {n}" for n in range(3)
    ]


def test_a_product_saved_after_the_refresh_is_found_by_a_word_new_to_its_category(refreshed):
    root, leaf, _ = refreshed
    IndexedProductFactory(name="한울 청소기 가방", category=leaf)
    page = product_search(query="청소기", filters=subtree(root))
    assert (names(page), page.total, page.total_estimated) == (["한울 청소기 가방"], 1, False)
    for sort in query.SEARCH_SORTS:
        assert names(product_search(query="청소기", filters=subtree(root), sort=sort)) == ["한울 청소기 가방"]


def test_a_product_moved_into_the_category_after_the_refresh_is_found(refreshed):
    root, leaf, other = refreshed
    moved = Product.objects.filter(category=other).first()
    moved.category = leaf
    services.product_save(product=moved)
    assert names(product_search(query="청소기", filters=subtree(root))) == [moved.name]


def test_a_product_published_after_the_refresh_is_found(refreshed):
    root, leaf, _ = refreshed
    draft = ProductFactory(name="한울 청소기", category=leaf, status=Product.Status.HIDDEN)
    Product.objects.filter(id=draft.id).update(updated_at=timezone.now() - timedelta(days=1))
    services.product_set_status(product_ids=[draft.id], status=Product.Status.ON_SALE)
    assert names(product_search(query="청소기", filters=subtree(root))) == ["한울 청소기"]


def test_a_category_moved_under_another_forgets_its_new_ancestors_frequencies(refreshed):
    root, leaf, other = refreshed
    other.parent = root
    services.category_save(category=other)
    assert not SearchCategoryTokenStat.objects.filter(category_token=category_token(root.id)).exists()
    search = Search(query.analyse("청소기"), subtree(root), "relevance")
    assert search.recent == [None]
    assert len(product_search(query="청소기", filters=subtree(root)).products) == 3


def test_too_many_products_written_since_the_refresh_means_a_scan(refreshed, monkeypatch):
    monkeypatch.setattr(query, "RECENT_MAX", 0)
    root, leaf, _ = refreshed
    IndexedProductFactory(name="한울 청소기 가방", category=leaf)
    assert Search(query.analyse("청소기"), subtree(root), "relevance").recent == [None]
    assert names(product_search(query="청소기", filters=subtree(root))) == ["한울 청소기 가방"]


def test_the_rebuild_forgets_the_category_frequencies_until_it_refreshes_them(refreshed, monkeypatch):
    forgotten = []
    monkeypatch.setattr(index, "refresh_frequencies", lambda: forgotten.append(SearchCategoryTokenStat.objects.count()))
    index.rebuild()
    assert forgotten == [0]


def test_a_word_in_the_category_is_searched_as_before(refreshed):
    root, _, _ = refreshed
    assert Search(query.analyse("가방"), subtree(root), "relevance").recent == [None]
    assert len(product_search(query="한울 가방", filters=subtree(root)).products) == 3


def test_a_word_alone_beyond_the_budget_is_counted_from_the_categorys_frequencies(refreshed, monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 2)
    root, leaf, other = refreshed
    IndexedProductFactory(name="누리 가방", category=other)
    index.refresh_frequencies()
    search = Search(query.analyse("가방"), subtree(root), "relevance")
    assert (search.count(), search.estimated) == (3, True)
    # A product written since is not in that count, but it is shown.
    IndexedProductFactory(name="새 가방", category=leaf)
    assert len(product_search(query="가방", filters=subtree(root)).products) == 4


def test_a_synonym_the_category_lacks_does_not_stop_its_word_being_counted_from_the_frequencies(refreshed, monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 2)
    root, _, _ = refreshed
    SearchSynonym.objects.create(words="백, 가방")
    search = Search(query.analyse("백"), subtree(root), "relevance")
    assert search.recent[0] is not None  # no product of the category held 백 at the refresh
    # 가방's three products in the category, from the frequencies: no sample of its postings.
    with CaptureQueriesContext(connection) as queries:
        assert (search.count(), search.estimated) == (3, True)
    assert not [q["sql"] for q in queries if "h가방" in q["sql"] and "ORDER BY product_id DESC LIMIT 2)" in q["sql"]]
    page = product_search(query="백", filters=subtree(root))
    assert (len(page.products), page.including) == (3, ("가방",))
