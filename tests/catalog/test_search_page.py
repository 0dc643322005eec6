"""The results page /search/?q=...: total, sorting, filters and pages, server-rendered in Korean."""

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Product
from catalog.search import index, query
from tests.factories import IndexedProductFactory

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("catalog:search"), params)


def card_titles(response):
    return re.findall(r'<h3 class="card-title">([^<]+)</h3>', response.content.decode())


def test_the_header_search_box_submits_to_the_results_page(client):
    assert f'action="{reverse("catalog:search")}"' in client.get("/").content.decode()


def test_the_results_page_shows_the_total_and_the_products(client):
    IndexedProductFactory(name="한울 여행가방", price=39_000)
    IndexedProductFactory(name="누리 캠핑의자")
    response = search(client, q="가방")
    assert response.status_code == 200
    assert card_titles(response) == ["한울 여행가방"]
    assert "상품 1개" in response.content.decode()
    assert "39,000원" in response.content.decode()


def test_the_results_page_keeps_the_query_in_the_search_box(client):
    response = search(client, q="여행 가방")
    assert 'value="여행 가방"' in response.content.decode()


def test_an_estimated_total_is_shown_as_about(client, monkeypatch):
    monkeypatch.setattr(query, "COUNT_BUDGET", 2)
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    for _ in range(4):
        IndexedProductFactory(name="가방")
    index.refresh_frequencies()
    assert "약 4개" in search(client, q="가방").content.decode()
    english = Client()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = english.get(reverse("catalog:search"), {"q": "가방"})
    assert "About 4 products" in english.content.decode()


def test_the_results_page_sorts_by_price(client):
    IndexedProductFactory(name="비싼 가방", price=90_000)
    IndexedProductFactory(name="싼 가방", price=9_000)
    assert card_titles(search(client, q="가방", sort="price_asc")) == ["싼 가방", "비싼 가방"]


def test_the_results_page_filters_by_category_price_and_stock(client, category_tree):
    root, _, laptops = category_tree
    IndexedProductFactory(name="맞는 노트북가방", category=laptops, price=30_000)
    IndexedProductFactory(name="다른 분류 가방", price=30_000)
    IndexedProductFactory(name="비싼 노트북가방", category=laptops, price=300_000)
    IndexedProductFactory(
        name="품절 노트북가방", category=laptops, price=30_000, stock=0, status=Product.Status.SOLD_OUT
    )
    response = search(client, q="가방", category=root.slug, min_price=10_000, max_price=100_000, in_stock="on")
    assert card_titles(response) == ["맞는 노트북가방"]


def test_an_invalid_filter_is_reported_and_ignored(client):
    IndexedProductFactory(name="한울 가방")
    response = search(client, q="가방", min_price="abc", category="no-such-category", sort="zzz", page="-3")
    assert response.status_code == 200
    assert card_titles(response) == ["한울 가방"]
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.parametrize("typed", ["", "가", '"+-*()<>~@', "ㅋ" * 1000])
def test_empty_and_junk_queries_render_a_page(client, typed):
    response = search(client, q=typed)
    assert response.status_code == 200


def test_the_pager_numbers_pages_then_continues_by_cursor(client, monkeypatch):
    monkeypatch.setattr(query, "PAGE_SIZE", 1)
    monkeypatch.setattr(query, "NUMBERED_PAGES", 2)
    for n in range(4):
        IndexedProductFactory(name=f"가방 {n}")
    second = search(client, q="가방", page=2).content.decode()
    cursor = re.search(r'rel="next" href="\?q=[^"]*after=([^"&]+)"', second).group(1)
    assert card_titles(search(client, q="가방", after=unquote(cursor))) == ["가방 1"]


def test_a_forged_cursor_is_a_bad_request(client):
    IndexedProductFactory(name="가방")
    assert search(client, q="가방", after="0.999999").status_code == 400


def test_the_results_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(2):
        IndexedProductFactory(name="가방")
    # + the SKUs; + staff's synonyms on a cold cache and the vocabulary for "did you mean" (loaded once a
    # process, here because the refreshed frequencies do not know 가방 yet); + the option facets: the query
    # analysed for them, the 120 most relevant results (a query a relevance tier) and their options.
    with django_assert_max_num_queries(20) as few:
        search(client, q="가방")
    for _ in range(20):
        IndexedProductFactory(name="가방")
    with django_assert_max_num_queries(len(few)):
        search(client, q="가방")
