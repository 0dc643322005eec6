"""The union of a query's readings, against an oracle: every product some reading finds is listed exactly once,
walking the pages by cursor, and counted exactly, whichever readings the count leaves uncounted because a
later one holds their matches (a glued word's own reading inside its split one: ``Search._covered``)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.models import Product
from catalog.search.analysis import analyse
from catalog.search.index import refresh_frequencies
from catalog.search.query import SEARCH_SORTS, SearchFilters, product_search
from catalog.search.tokens import document_tokens
from tests.factories import IndexedProductFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "한울 게이밍노트북",
    "누리 게이밍 노트북",
    "보람 게이밍노트북 가방",
    "다온 무선청소기",
    "새봄 무선 청소기",
    "하늘 청소기 무선 게이밍",
    "가람 노트북 RTX4060",
    "나래 노트북 RTX 4060",
    "마루 게이밍 마우스",
    "여름 노트북가방",
    "숲 에코백",
    "들 백 세트",
]
QUERIES = [
    "게이밍노트북",
    "게이밍 노트북",
    "무선청소기",
    "무선 청소기",
    "RTX4060",
    "rtx 4060",
    "노트북가방",
    "게이밍노트북 가방",
    "백",
]


def oracle(query: str) -> set[int]:
    """The products holding every token of at least one of the query's readings."""
    plan = analyse(query)
    held = {
        product.id: document_tokens(name=product.name, description=product.description)
        for product in Product.objects.visible()
    }
    return {
        product_id
        for product_id, tokens in held.items()
        for alternative in plan.alternatives
        if alternative.terms.parts <= tokens
    }


def walk(query: str, sort: str) -> tuple[list[int], int, bool]:
    seen, cursor, first = [], "", None
    for _ in range(20):
        page = product_search(query=query, sort=sort, cursor=cursor, filters=SearchFilters())
        first = first or page
        seen += [product.id for product in page.products]
        cursor = page.next_cursor
        if not cursor:
            break
    return seen, first.total, first.total_estimated


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(names=["숲 에코백", "들 백 세트", "한울 게이밍노트북"], query="백", sort="relevance")
@example(names=["한울 게이밍노트북", "누리 게이밍 노트북", "여름 노트북가방"], query="게이밍노트북", sort="relevance")
@example(names=["가람 노트북 RTX4060", "나래 노트북 RTX 4060", "다온 무선청소기"], query="RTX4060", sort="new")
@example(names=["다온 무선청소기", "새봄 무선 청소기", "하늘 청소기 무선 게이밍"], query="무선청소기", sort="price_asc")
@given(
    names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=12),
    query=st.sampled_from(QUERIES),
    sort=st.sampled_from(SEARCH_SORTS),
)
def test_every_reading_s_products_are_listed_once_and_counted_exactly(monkeypatch, names, query, sort):
    monkeypatch.setattr("catalog.search.query.PAGE_SIZE", 3)
    with transaction.atomic():
        for name in names:
            IndexedProductFactory(name=name, description="")
        refresh_frequencies()
        expected = oracle(query)
        seen, total, estimated = walk(query, sort)
        assert len(seen) == len(set(seen))
        assert set(seen) == expected
        assert (total, estimated) == (len(expected), False)
        transaction.set_rollback(True)
