"""What placing an order costs the database. Under a sale the server's CPU is the limit, and every statement costs
the web process and the database a round trip each (docs/PERFORMANCE.md, bench/order_cost.py): a statement added
to this path is a throughput regression, so it has to be added here on purpose."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from orders.models import OrderLine
from tests.factories import ORDER_ADDRESS, ProductFactory, SkuFactory

# What an order of one SKU of a product without options does, in order: read the SKU with its product (and
# whether it has option values), then the inserts, and the conditional UPDATE last,
# so a hot SKU's row lock is held from it to the COMMIT and no longer. No SAVEPOINT: the checkout's transaction is the only one, and the order number's
# uniqueness is checked by its INSERT alone (shop.transactions.single_insert).
ONE_SKU_ORDER = [
    ("SELECT", "catalog_sku"),
    ("INSERT", "orders_order"),
    ("INSERT", "orders_orderevent"),
    ("INSERT", "orders_orderline"),
    ("INSERT", "notifications_orderemail"),
    ("INSERT", "catalog_stockmovement"),
    ("UPDATE", "catalog_sku"),
]


def _statements(queries):
    """(verb, table) of each statement of the request's transaction: the email send that the tests' eager Celery
    runs after the COMMIT (it starts by reading the email's row) is a worker's work, not the request's."""
    shapes = []
    for query in queries.captured_queries:
        sql = query["sql"]
        verb = sql.split()[0].upper()
        if verb in ("BEGIN", "COMMIT"):  # SQLite's; MySQL's transaction control is not a captured query
            continue
        shapes.append((verb, _main_table(sql)))
        if shapes[-1] == ("SELECT", "notifications_orderemail"):  # the email task, run after the COMMIT
            return shapes[:-1]
    return shapes


def _order(user, sku):
    """POST one unit of ``sku`` to the order API as ``user``; the answer and the statements it ran."""
    api = APIClient()
    api.force_authenticate(user)
    body = {"lines": [{"sku_id": sku.id, "quantity": 1}], "address": ORDER_ADDRESS}
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201, response.content
    return response, queries


def _main_table(sql):
    """The statement's own table: the first FROM/INTO/UPDATE outside parentheses (not a subquery's)."""
    for match in re.finditer(r"(?:FROM|INTO|UPDATE)\s+[`\"]?(\w+)", sql, re.IGNORECASE):
        before = sql[: match.start()]
        if before.count("(") == before.count(")"):
            return match.group(1)
    return ""


@pytest.mark.django_db(transaction=True)
def test_an_order_of_one_sku_is_seven_statements_and_no_savepoint(user):
    sku = ProductFactory(stock=5).skus.get()
    # The process's first quote reads the 제주·도서산간 surcharge table (pricing.selectors), the next ones don't.
    _response, queries = _order(user, sku)
    assert _statements(queries) == ONE_SKU_ORDER[:1] + [("SELECT", "pricing_shippingsurcharge")] + ONE_SKU_ORDER[1:]
    _response, queries = _order(user, sku)
    assert _statements(queries) == ONE_SKU_ORDER
    assert [line.option_label for line in OrderLine.objects.all()] == ["", ""]


@pytest.mark.django_db(transaction=True)
def test_a_sku_with_options_reads_its_values_for_the_line_label(user):
    from catalog.models import ProductOption, ProductOptionValue

    product = ProductFactory(stock=0)
    size = ProductOption.objects.create(product=product, name="사이즈")
    value = ProductOptionValue.objects.create(option=size, name="260")
    sku = SkuFactory(product=product, code="SHOE-260", stock=3)
    sku.option_values.add(value)
    response, queries = _order(user, sku)
    shapes = _statements(queries)
    assert shapes[0] == ("SELECT", "catalog_sku")
    assert shapes[1][0] == "SELECT" and "option" in shapes[1][1]  # the values, with their options
    assert shapes[2] == ("SELECT", "pricing_shippingsurcharge")
    assert not [sql for sql in (q["sql"] for q in queries.captured_queries) if "SAVEPOINT" in sql.upper()]
    assert response.json()["lines"][0]["option_label"] == "260"
