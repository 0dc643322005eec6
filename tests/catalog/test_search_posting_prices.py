"""Every search posting carries its product's price (a price range is tested on the postings as they are read),
so every write that makes postings writes the price, a price change reaches the postings, and the migration
fills the postings of an index built before the column."""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from catalog import demo, services
from catalog.models import Product, SearchToken
from catalog.search.query import SearchFilters, product_search
from tests.factories import CategoryFactory, IndexedProductFactory, ProductFactory

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("catalog.migrations.0018_search_posting_price")


def posting_prices(product) -> set[int]:
    return set(SearchToken.objects.filter(product_id=product.id).values_list("price", flat=True))


def names(page):
    return sorted(product.name for product in page.products)


def test_a_saved_product_s_postings_carry_its_price_and_follow_a_change():
    product = IndexedProductFactory(name="한울 노트북", price=45_000)
    before = posting_prices(product)
    product.price = 62_000
    services.product_save(product=product)
    assert (before, posting_prices(product)) == ({45_000}, {62_000})


def test_a_price_range_finds_a_product_at_its_new_price_only():
    product = IndexedProductFactory(name="한울 노트북", price=45_000)
    product.price = 62_000
    services.product_save(product=product)
    cheap = SearchFilters(min_price=40_000, max_price=50_000)
    dear = SearchFilters(min_price=60_000, max_price=70_000)
    for sort in ("relevance", "new", "price_asc", "price_desc"):
        found = product_search(query="노트북", filters=dear, sort=sort)
        gone = product_search(query="노트북", filters=cheap, sort=sort)
        assert (names(found), names(gone), found.total, gone.total) == (["한울 노트북"], [], 1, 0), sort


def test_status_changes_the_import_the_rebuild_and_category_writes_carry_prices(category_tree):
    root, middle, leaf = category_tree
    hidden = IndexedProductFactory(name="한울 노트북", category=leaf, price=31_000)
    services.product_set_status(product_ids=[hidden.id], status=Product.Status.HIDDEN)
    services.product_set_status(product_ids=[hidden.id], status=Product.Status.ON_SALE)
    assert posting_prices(hidden) == {31_000}
    # A category moved under another parent: the new ancestor's token is written with the price.
    middle.parent = CategoryFactory(name="디지털", slug="digital")
    services.category_save(category=middle)
    assert posting_prices(hidden) == {31_000}
    demo.create_products(count=5, with_images=False)
    unindexed = ProductFactory(name="누리 가방", price=27_000)
    call_command("search_rebuild", stdout=io.StringIO())
    call_command("search_rebuild", "--categories", stdout=io.StringIO())
    for product in Product.objects.visible():
        assert posting_prices(product) == {product.price}, product.name
    assert posting_prices(unindexed) == {27_000}


def test_the_migration_fills_every_posting_in_token_ranges(monkeypatch):
    products = [IndexedProductFactory(name=f"한울 노트북 {n}", price=10_000 * (n + 1)) for n in range(3)]
    SearchToken.objects.update(price=0)  # an index written before the column
    monkeypatch.setattr(fill_migration, "CHUNK", 7)  # many chunks, the last one open-ended
    # What the migration reads of its schema editor (whose SQLite form cannot open inside a test's transaction).
    fill_migration.fill(apps, SimpleNamespace(connection=connection))
    assert [posting_prices(product) for product in products] == [{10_000}, {20_000}, {30_000}]
