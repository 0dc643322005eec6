"""The search box's suggestions: words and categories by prefix (초성 and half-typed syllables too), popular
searches under an empty box, through the API endpoint the storefront's script calls."""

import pytest
from django.urls import reverse

from catalog.search import popular
from catalog.search.autocomplete import search_suggestions
from catalog.search.index import refresh_frequencies
from tests.factories import CategoryFactory, IndexedProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laptops():
    for name in ["한울 게이밍노트북", "누리 노트북 RTX 4060", "다온 노트북 파우치", "새봄 노트 세트", "가람 텐트"]:
        IndexedProductFactory(name=name)
    refresh_frequencies()


@pytest.mark.parametrize("typed", ["노", "노트", "노트ㅂ", "노틉", "ㄴㅌㅂ", "ㄴㅌ", "노트북"])
def test_a_prefix_suggests_the_word_it_starts(laptops, typed):
    assert "노트북" in search_suggestions(text=typed).words


def test_commoner_words_come_first(laptops):
    assert search_suggestions(text="노트").words[:2] == ["노트북", "노트"]


def test_initials_only_match_initials(laptops):
    assert search_suggestions(text="ㄱㅇ").words == ["게이밍노트북"]


def test_the_words_before_the_last_are_kept(laptops):
    assert search_suggestions(text="한울 노트ㅂ").words[0] == "한울 노트북"


def test_a_category_is_suggested_with_its_page(laptops):
    category = CategoryFactory(name="노트북 액세서리", slug="laptop-accessories")
    categories = search_suggestions(text="ㄴㅌㅂ").categories
    assert categories == [{"name": "노트북 액세서리", "url": category.get_absolute_url()}]


def test_an_empty_box_lists_the_popular_searches_of_the_day(laptops):
    for query in ["텐트", "노트북", "텐트"]:
        popular.record(query)
    assert search_suggestions(text="  ").popular[:2] == ["텐트", "노트북"]


def test_a_submitted_search_counts_as_popular_and_typing_does_not(client, laptops):
    client.get(reverse("api:search-suggest"), {"q": "텐"})
    client.get(reverse("catalog:search"), {"q": "텐트를"})
    assert search_suggestions(text="").popular == ["텐트"]


def test_the_api_answers_suggestions(client, laptops):
    response = client.get(reverse("api:search-suggest"), {"q": "ㄴㅌㅂ"})
    assert response.status_code == 200
    assert response.json()["words"][0] == "노트북"
    assert response.json()["popular"] == []


def test_the_api_refuses_a_too_long_prefix(client):
    response = client.get(reverse("api:search-suggest"), {"q": "가" * 101})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
