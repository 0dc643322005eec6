"""Per-price-band token frequencies: a price-filtered total beyond the count's budget is estimated from the band
counts, sampling product rows only for the bands the range cuts; rows and exact totals always test the price."""

import pytest

from catalog import services
from catalog.models import SearchPriceTokenStat
from catalog.search import index, query
from catalog.search.analysis import analyse
from catalog.search.price_bands import band, bands_in
from catalog.search.query import Search, SearchFilters, product_search
from tests.factories import IndexedProductFactory

pytestmark = pytest.mark.django_db


def names(page):
    return sorted(product.name for product in page.products)


def count(text, **prices):
    search = Search(analyse(text), SearchFilters(**prices), "relevance")
    return search.count(), search.estimated


def test_a_range_covers_whole_bands_and_cuts_those_at_its_ends():
    assert bands_in(10_000, 49_999) == ([band(10_000), band(15_000), band(20_000), band(30_000), band(40_000)], [])
    assert bands_in(12_000, 13_000) == ([], [(band(12_000), 12_000, 13_000)])
    assert bands_in(None, 1_499) == ([band(0), band(1_000)], [])
    assert bands_in(99_999_000, None) == ([band(10**8)], [(band(99_999_000), 99_999_000, 99_999_999)])


def test_the_refresh_counts_each_tokens_products_per_price_band():
    for price in (12_000, 12_500, 60_000):
        IndexedProductFactory(name="한울 가방", price=price)
    index.refresh_frequencies()
    stats = dict(SearchPriceTokenStat.objects.filter(token="h가방").values_list("band", "products"))
    assert stats == {band(12_000): 2, band(60_000): 1}


def test_a_word_alone_in_whole_bands_is_counted_from_the_bands(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 3)
    for _ in range(10):
        IndexedProductFactory(name="가방", price=20_000)
        IndexedProductFactory(name="가방", price=200_000)
    index.refresh_frequencies()
    assert count("가방", min_price=15_000, max_price=29_999) == (10, True)
    assert count("가방", min_price=100_000) == (10, True)


def test_the_share_of_a_cut_band_inside_the_range_is_measured_on_the_sample(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 8)
    for _ in range(20):
        IndexedProductFactory(name="가방", price=55_000)
        IndexedProductFactory(name="가방", price=65_000)
    index.refresh_frequencies()
    assert count("가방", min_price=10_000, max_price=60_000) == (20, True)


def test_several_words_take_the_share_of_the_rarest_words_products_in_the_range(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 10)
    for number in range(40):
        IndexedProductFactory(name="정품 가방" if number % 2 else "가방", price=16_000)
        IndexedProductFactory(name="정품 가방", price=200_000)
    index.refresh_frequencies()
    assert count("정품 가방", min_price=15_000, max_price=19_999) == (20, True)


def test_a_price_changed_after_the_refresh_moves_the_product_between_ranges():
    moved = IndexedProductFactory(name="한울 가방", price=20_000)
    IndexedProductFactory(name="누리 가방", price=200_000)
    index.refresh_frequencies()
    moved.price = 300_000
    services.product_save(product=moved)
    expensive = product_search(query="가방", filters=SearchFilters(min_price=100_000))
    cheap = product_search(query="가방", filters=SearchFilters(max_price=100_000))
    assert (names(expensive), expensive.total, expensive.total_estimated) == (["누리 가방", "한울 가방"], 2, False)
    assert (names(cheap), cheap.total) == ([], 0)


def test_a_word_counted_before_any_band_counts_is_still_estimated(monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 3)
    for _ in range(8):
        IndexedProductFactory(name="가방", price=20_000)
    index.refresh_frequencies()
    SearchPriceTokenStat.objects.all().delete()
    total, estimated = count("가방", min_price=10_000, max_price=50_000)
    assert estimated and total == pytest.approx(8, rel=0.5)
