"""Search in the JSON API: the storefront's search (Korean matching, filters, capped totals), paged by cursor."""

import pytest
from rest_framework.test import APIClient

from catalog.models import Product
from catalog.search import index, query
from tests.factories import CategoryFactory, IndexedProductFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"


@pytest.fixture
def api():
    return APIClient()


def names(response):
    return [product["name"] for product in response.json()["results"]]


def test_a_word_inside_a_compound_or_before_a_particle_is_found(api):
    IndexedProductFactory(name="한울 여행가방", description="")
    IndexedProductFactory(name="다온 백팩", description="이 가방은 튼튼합니다.")
    IndexedProductFactory(name="누리 텐트", description="")
    response = api.get(URL, {"q": "가방"})
    assert response.status_code == 200
    assert sorted(names(response)) == ["다온 백팩", "한울 여행가방"]
    assert (response.json()["total"], response.json()["total_capped"]) == (2, False)


def test_each_result_names_its_category(api):
    bags, tents = CategoryFactory(name="가방류"), CategoryFactory(name="캠핑")
    IndexedProductFactory(name="한울 가방", category=bags)
    IndexedProductFactory(name="누리 가방 텐트", category=tents)
    results = api.get(URL, {"q": "가방"}).json()["results"]
    assert sorted((product["name"], product["category"]["name"]) for product in results) == [
        ("누리 가방 텐트", "캠핑"),
        ("한울 가방", "가방류"),
    ]


def test_name_matches_come_first(api):
    IndexedProductFactory(name="다온 백팩", description="가방")
    IndexedProductFactory(name="한울 가방", description="")
    assert names(api.get(URL, {"q": "가방"})) == ["한울 가방", "다온 백팩"]


def test_filters_are_the_results_pages(api, category_tree):
    root, _, laptops = category_tree
    IndexedProductFactory(name="맞는 노트북가방", category=laptops, price=20_000)
    IndexedProductFactory(name="다른 분류 가방", category=CategoryFactory(), price=20_000)
    IndexedProductFactory(name="비싼 노트북가방", category=laptops, price=200_000)
    IndexedProductFactory(name="품절 노트북가방", category=laptops, price=20_000, stock=0, status="sold_out")
    params = {"q": "가방", "category": root.slug, "min_price": 10_000, "max_price": 100_000, "in_stock": "true"}
    assert names(api.get(URL, params)) == ["맞는 노트북가방"]


def test_the_total_is_estimated_beyond_the_budget(api, monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 2)
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    for _ in range(4):
        IndexedProductFactory(name="가방")
    index.refresh_frequencies()
    body = api.get(URL, {"q": "가방"}).json()
    assert (body["total"], body["total_estimated"], body["total_capped"]) == (4, True, True)


@pytest.mark.parametrize("sort", query.SEARCH_SORTS)
def test_cursor_pages_walk_every_match_once_past_the_numbered_pages(api, monkeypatch, sort):
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    monkeypatch.setattr(query, "NUMBERED_PAGES", 2)
    products = [
        IndexedProductFactory(name="한울 가방" if n % 3 else "여행가방", price=1_000 * (n % 4)) for n in range(9)
    ]
    seen, after = [], ""
    for _ in range(10):
        body = api.get(URL, {"q": "가방", "sort": sort, "after": after}).json()
        seen += [product["id"] for product in body["results"]]
        after = body["next"]
        if not after:
            break
    assert sorted(seen) == sorted(product.id for product in products)


@pytest.mark.parametrize("status", [Product.Status.HIDDEN, Product.Status.DRAFT])
def test_hidden_and_draft_products_are_never_found(api, status):
    IndexedProductFactory(name="숨은 가방", status=status)
    body = api.get(URL, {"q": "가방"}).json()
    assert (body["results"], body["total"]) == ([], 0)


def test_empty_category_and_cursor_parameters_mean_none(api):
    IndexedProductFactory(name="가방")
    assert names(api.get(URL, {"q": "가방", "category": "", "after": ""})) == ["가방"]


@pytest.mark.parametrize("typed", ["", "가", '"+-*()<>~@'])
def test_empty_and_junk_queries_find_nothing_without_error(api, typed):
    body = api.get(URL, {"q": typed}).json()
    assert (body["results"], body["total"], body["next"]) == ([], 0, None)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "가방", "sort": "name"},
        {"q": "가방", "category": "no-such-category"},
        {"q": "가방", "min_price": "abc"},
        {"q": "가방", "min_price": 9, "max_price": 1},
        {"q": "ㅋ" * 201},
    ],
)
def test_bad_parameters_are_a_400_in_the_error_shape(api, params):
    response = api.get(URL, params)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert set(response.json()) == {"code", "message", "details"}


@pytest.mark.parametrize("cursor", ["0.12", "junk", "x" * 5000])
def test_a_forged_cursor_is_a_400(api, cursor):
    IndexedProductFactory(name="가방")
    response = api.get(URL, {"q": "가방", "after": cursor})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_cursor",
        "message": response.json()["message"],
        "details": {"parameter": "after"},
    }


def test_a_cursor_of_another_sort_is_a_400(api, monkeypatch):
    monkeypatch.setattr(query, "PAGE_SIZE", 1)
    IndexedProductFactory.create_batch(2, name="가방")
    after = api.get(URL, {"q": "가방", "sort": "new"}).json()["next"]
    assert api.get(URL, {"q": "가방", "sort": "price_asc", "after": after}).status_code == 400
