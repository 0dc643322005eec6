"""Option filters on the results page (issue 16): the listing's rule (one active SKU in stock holds a chosen
value of every option named), facets from the results' in-stock SKUs, and a bounded reading of the results."""

import re

import pytest
from django.urls import reverse

from catalog import services, stock
from catalog.models import Product, StockMovement
from catalog.search import index, query
from catalog.search.query import SearchFilters, product_search, search_option_facets
from tests.factories import CategoryFactory, IndexedProductFactory, product_with_options, sku_of

pytestmark = pytest.mark.django_db

SHOES = {"색상": ["블랙", "화이트"], "사이즈": ["250", "260"]}
BLACK_260 = (("색상", ("블랙",)), ("사이즈", ("260",)))


def indexed_with_options(**kwargs):
    product = product_with_options(**kwargs)
    index.index_products(product_ids=[product.id])
    return product


@pytest.fixture
def shoes():
    category = CategoryFactory(slug="running")
    black_260 = indexed_with_options(options=SHOES, category=category, name="러닝화 블랙 260 있음")
    no_black_260 = indexed_with_options(options=SHOES, category=category, name="러닝화 블랙 260 없음")
    stock.stock_set(sku=sku_of(no_black_260, "블랙", "260"), target=0, reason=StockMovement.Reason.CORRECTION)
    plain = IndexedProductFactory(category=category, name="러닝화 끈")
    # Not a result of 러닝화: its 300 is never offered there.
    indexed_with_options(options={"사이즈": ["300"]}, name="축구화 300")
    index.refresh_frequencies()
    return category, black_260, no_black_260, plain


def names(page):
    return {product.name for product in page.products}


def search(client, **params):
    return client.get(reverse("catalog:search"), params)


def card_titles(response):
    return set(re.findall(r'<h3 class="card-title">([^<]+)</h3>', response.content.decode()))


# The selectors


def test_search_offers_the_in_stock_values_of_its_results_only(shoes):
    facets = search_option_facets(query="러닝화")
    assert [(facet.name, facet.values) for facet in facets] == [
        ("색상", ["블랙", "화이트"]),
        ("사이즈", ["250", "260"]),
    ]
    assert search_option_facets(query="") == []


def test_search_options_must_meet_on_one_sku_a_customer_can_buy(shoes):
    page = product_search(query="러닝화", filters=SearchFilters(options=BLACK_260))
    assert names(page) == {"러닝화 블랙 260 있음"}
    assert (page.total, page.total_capped) == (1, False)


def test_search_values_of_one_option_are_either(shoes):
    page = product_search(query="러닝화", filters=SearchFilters(options=(("사이즈", ("250", "260")),)))
    assert names(page) == {"러닝화 블랙 260 있음", "러닝화 블랙 260 없음"}


def test_search_options_skip_a_product_that_is_not_for_sale(shoes):
    _, black_260, *_ = shoes
    Product.objects.filter(pk=black_260.pk).update(status=Product.Status.SOLD_OUT, is_available=False)
    assert names(product_search(query="러닝화", filters=SearchFilters(options=BLACK_260))) == set()


def test_search_options_combine_with_the_price_and_every_sort(shoes):
    _, black_260, no_black_260, _ = shoes
    black_260.refresh_from_db()
    black_260.price = 99_000
    services.product_save(product=black_260)  # re-indexed: the postings carry the new price
    filters = SearchFilters(options=(("사이즈", ("260",)),), max_price=50_000)
    for sort in query.SEARCH_SORTS:
        assert names(product_search(query="러닝화", filters=filters, sort=sort)) == {no_black_260.name}


def test_a_value_sold_out_in_every_result_is_not_offered(shoes):
    _, black_260, no_black_260, _ = shoes
    for product in (black_260, no_black_260):
        for colour in ("블랙", "화이트"):
            stock.stock_set(sku=sku_of(product, colour, "250"), target=0, reason=StockMovement.Reason.CORRECTION)
    facets = {facet.name: facet.values for facet in search_option_facets(query="러닝화")}
    assert facets["사이즈"] == ["260"]


def test_option_pages_walk_every_match_once_and_say_more_than_while_there_are_more(shoes, monkeypatch):
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    for number in range(3):
        indexed_with_options(options=SHOES, name=f"러닝화 추가 {number}")
    filters = SearchFilters(options=(("사이즈", ("260",)),))
    first = product_search(query="러닝화", filters=filters)
    assert (first.total, first.total_capped, first.next_number) == (2, True, 2)
    second = product_search(query="러닝화", filters=filters, page=2)
    third = product_search(query="러닝화", filters=filters, cursor=second.next_cursor)
    assert (third.total_capped, third.next_cursor) == (False, None)
    found = [product.name for page in (first, second, third) for product in page.products]
    assert sorted(found) == sorted(
        ["러닝화 블랙 260 있음", "러닝화 블랙 260 없음"] + [f"러닝화 추가 {n}" for n in range(3)]
    )


def test_an_option_filter_reads_a_bounded_number_of_results_then_goes_on_by_cursor(shoes, monkeypatch):
    """A page reads at most OPTION_SCAN results: a page that stops there short of full offers "next" from where
    it stopped (never a page number, which would read the same results again)."""
    monkeypatch.setattr(query, "OPTION_BATCH", 1)
    monkeypatch.setattr(query, "OPTION_SCAN", 2)
    for number in range(3):
        IndexedProductFactory(name=f"러닝화 옵션 없음 {number}")  # the newest results: none has a 260
    filters = SearchFilters(options=(("사이즈", ("260",)),))
    found, page = [], product_search(query="러닝화", filters=filters, sort="new")
    assert (page.products, page.next_number, page.total_capped) == ([], None, True)
    for _ in range(10):
        found += [product.name for product in page.products]
        if not page.next_cursor:
            break
        page = product_search(query="러닝화", filters=filters, sort="new", cursor=page.next_cursor)
    assert sorted(found) == ["러닝화 블랙 260 없음", "러닝화 블랙 260 있음"]


# The results page


def test_the_results_page_offers_and_applies_the_option_values(client, shoes):
    response = search(client, q="러닝화")
    assert 'name="option" value="사이즈:260"' in response.content.decode()
    assert 'value="사이즈:300"' not in response.content.decode()
    response = search(client, q="러닝화", option=["색상:블랙", "사이즈:260"])
    assert card_titles(response) == {"러닝화 블랙 260 있음"}
    assert 'value="사이즈:260" checked' in response.content.decode()
    assert 'value="사이즈:250">' in response.content.decode()  # the other values stay on offer


def test_the_results_page_reports_and_ignores_an_unknown_option_value(client, shoes):
    response = search(client, q="러닝화", option="사이즈:300")
    assert response.status_code == 200
    assert response.context["form"].errors["option"]
    assert card_titles(response) == {"러닝화 블랙 260 있음", "러닝화 블랙 260 없음", "러닝화 끈"}


def test_the_results_page_says_more_than_under_an_option_filter(client, shoes, monkeypatch):
    monkeypatch.setattr(query, "PAGE_SIZE", 1)
    response = search(client, q="러닝화", option="사이즈:250")
    assert "상품 1개 이상" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "More than 1 products" in search(client, q="러닝화", option="사이즈:250").content.decode()
