"""The chosen filters shown beside the filter drawer (issue 16): on a phone the drawer is closed, so each chosen
filter is a chip above the results, a link to the same page without it, in Korean and English."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from catalog.search import index
from tests.factories import CategoryFactory, product_with_options

pytestmark = pytest.mark.django_db

SHOES = {"색상": ["블랙", "화이트"], "사이즈": ["250", "260"]}


@pytest.fixture
def shoes():
    category = CategoryFactory(slug="running", name="러닝화")
    product = product_with_options(options=SHOES, category=category, name="러닝화 에어")
    index.index_products(product_ids=[product.id])
    index.refresh_frequencies()
    return category


@pytest.fixture
def english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def chips(response) -> dict[str, dict]:
    """Each chip's label -> the query of its link."""
    found = re.findall(
        r'<a class="filter-chip" href="([^"]*)"[^>]*><span class="visually-hidden">[^<]*</span><span class="chip-label">([^<]*)<',
        response.content.decode(),
    )
    return {html.unescape(label): parse_qs(urlsplit(html.unescape(href)).query) for href, label in found}


CHOSEN = {"min_price": 10_000, "max_price": 50_000, "in_stock": "on", "option": ["색상:블랙", "사이즈:260"]}


def test_a_category_page_shows_each_chosen_filter_as_a_chip_that_removes_it(client, shoes):
    response = client.get(shoes.get_absolute_url(), {**CHOSEN, "sort": "price_asc", "page": 2})
    found = chips(response)
    assert list(found) == ["10,000원~50,000원", "재고 있는 상품만", "색상: 블랙", "사이즈: 260"]
    assert found["10,000원~50,000원"] == {
        "in_stock": ["on"],
        "option": ["색상:블랙", "사이즈:260"],
        "sort": ["price_asc"],
    }
    assert found["사이즈: 260"]["option"] == ["색상:블랙"]
    assert "page" not in found["재고 있는 상품만"]
    page = response.content.decode()
    assert '<span class="filter-count" aria-hidden="true">4</span>' in page
    assert "모두 해제" in page and "선택한 필터" in page


def test_the_results_page_shows_the_query_category_and_filters_as_chips(client, shoes):
    response = client.get(reverse("catalog:search"), {"q": "러닝화", "category": "running", **CHOSEN})
    found = chips(response)
    assert list(found)[:2] == ["러닝화", "10,000원~50,000원"]
    assert all(query["q"] == ["러닝화"] for query in found.values())
    assert "category" not in found["러닝화"]
    assert found["색상: 블랙"]["option"] == ["사이즈:260"]


def test_one_sided_price_ranges_read_naturally(client, english, shoes):
    assert list(chips(client.get(shoes.get_absolute_url(), {"min_price": 10_000}))) == ["10,000원 이상"]
    assert list(chips(client.get(shoes.get_absolute_url(), {"max_price": 50_000}))) == ["50,000원 이하"]
    assert list(chips(english.get(shoes.get_absolute_url(), {"min_price": 10_000}))) == ["From ₩10,000"]
    assert list(chips(english.get(shoes.get_absolute_url(), {"max_price": 50_000}))) == ["Up to ₩50,000"]


def test_the_chips_speak_english(english, shoes):
    response = english.get(reverse("catalog:search"), {"q": "러닝화", **CHOSEN})
    assert list(chips(response)) == ["₩10,000–₩50,000", "In stock only", "색상: 블랙", "사이즈: 260"]
    page = response.content.decode()
    assert "Clear all" in page and "Chosen filters" in page and "Remove filter:" in page


def test_no_chips_without_filters_and_none_for_an_invalid_one(client, shoes):
    response = client.get(shoes.get_absolute_url(), {"min_price": "abc", "option": "사이즈:999"})
    assert chips(response) == {}
    assert 'class="chosen-filters"' not in response.content.decode()
    assert 'class="filter-count"' not in response.content.decode()
