"""What only MariaDB/MySQL can show: the query plan the search relies on to stay fast at a million products."""

import pytest
from django.db import connection

from catalog.search.analysis import analyse
from catalog.search.query import Search, SearchFilters
from tests.factories import IndexedProductFactory

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def test_a_query_reads_its_rarest_token_first_by_primary_key_without_sorting():
    IndexedProductFactory(name="한울 게이밍노트북")
    IndexedProductFactory(name="누리 노트북")
    search = Search(analyse("게이밍 노트북"), SearchFilters(), "relevance")
    sql, params = search._select(search.parts, limit=21)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        columns = [column[0] for column in cursor.description]
        plan = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    assert [step["table"] for step in plan] == [f"s{n}" for n in range(len(search.parts))]
    assert all(step["key"] == "PRIMARY" for step in plan)
    assert "filesort" not in (plan[0]["Extra"] or "")
