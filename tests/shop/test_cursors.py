"""The one cursor helper (shop.cursors) and every keyset list that uses it: products, search, orders."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from shop.cursors import InvalidCursor, cursor_decode, cursor_encode
from tests.factories import OrderFactory, ProductFactory, UserFactory


def tampered(cursor):
    """The same cursor with one character of its payload changed."""
    return ("A" if cursor[0] != "A" else "B") + cursor[1:]


def test_a_cursor_decodes_to_the_position_it_was_made_from():
    cursor = cursor_encode((12_900, "노트북", 7), scope="test")
    assert cursor_decode(cursor, scope="test", types=(int, str, int)) == (12_900, "노트북", 7)


def test_a_cursor_is_opaque():
    assert "12900" not in cursor_encode((12_900, 7), scope="test")


@pytest.mark.parametrize(
    "forge",
    [
        tampered,
        lambda cursor: cursor + "x",
        lambda cursor: cursor.rsplit(":", 1)[0],
        lambda cursor: "WzEyOTAwLCA3XQ:1v3cGm:" + "A" * 43,
        lambda cursor: "",
        lambda cursor: "가" * 3000,
    ],
)
def test_a_forged_or_tampered_cursor_is_refused(forge):
    cursor = cursor_encode((12_900, 7), scope="test")
    with pytest.raises(InvalidCursor):
        cursor_decode(forge(cursor), scope="test", types=(int, int))


def test_a_cursor_made_for_another_list_is_refused():
    with pytest.raises(InvalidCursor):
        cursor_decode(cursor_encode((7,), scope="orders.1"), scope="orders.2", types=(int,))


@pytest.mark.parametrize("types", [(int,), (int, int, int), (str, int), (bool, int)])
def test_a_cursor_of_another_shape_is_refused(types):
    with pytest.raises(InvalidCursor):
        cursor_decode(cursor_encode((1, 7), scope="test"), scope="test", types=types)


def test_a_cursor_signed_with_another_key_is_refused(settings):
    cursor = cursor_encode((7,), scope="test")
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    with pytest.raises(InvalidCursor):
        cursor_decode(cursor, scope="test", types=(int,))


@pytest.fixture
def two_pages_of_products(db, settings):
    settings.CATALOG_PAGE_SIZE = 2
    return ProductFactory.create_batch(3)


@pytest.mark.parametrize("sort", ["new", "price_asc", "price_desc", "name"])
def test_a_tampered_product_cursor_is_a_400_in_the_error_shape(two_pages_of_products, sort):
    api = APIClient()
    after = api.get("/api/v1/products/", {"sort": sort}).json()["next"]
    response = api.get("/api/v1/products/", {"sort": sort, "after": tampered(after)})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
    assert set(response.json()) == {"code", "message", "details"}


def test_a_product_cursor_of_another_sort_is_a_400(two_pages_of_products):
    api = APIClient()
    after = api.get("/api/v1/products/", {"sort": "name"}).json()["next"]
    assert api.get("/api/v1/products/", {"sort": "price_asc", "after": after}).status_code == 400


@pytest.mark.parametrize("sort", ["new", "price_asc", "price_desc", "name"])
def test_a_deep_product_page_is_read_by_keyset_not_offset(two_pages_of_products, sort):
    api = APIClient()
    after = api.get("/api/v1/products/", {"sort": sort}).json()["next"]
    with CaptureQueriesContext(connection) as queries:
        assert len(api.get("/api/v1/products/", {"sort": sort, "after": after}).json()["results"]) == 1
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)


@pytest.fixture
def customer_with_three_orders(db, settings):
    settings.ORDERS_PAGE_SIZE = 2
    customer = UserFactory()
    for _ in range(3):
        OrderFactory(user=customer)
    return customer


def _api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_order_list_pages_by_an_opaque_cursor(customer_with_three_orders):
    api = _api_for(customer_with_three_orders)
    first = api.get("/api/v1/orders/").json()
    assert first["next"] not in {order["number"] for order in first["results"]}
    second = api.get("/api/v1/orders/", {"after": first["next"]}).json()
    assert len(first["results"] + second["results"]) == 3


@pytest.mark.parametrize("forge", [tampered, lambda cursor: "20260101-0001"])
def test_a_forged_order_cursor_is_a_400(customer_with_three_orders, forge):
    api = _api_for(customer_with_three_orders)
    after = api.get("/api/v1/orders/").json()["next"]
    response = api.get("/api/v1/orders/", {"after": forge(after)})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_cursor")


def test_another_customers_order_cursor_is_a_400(customer_with_three_orders):
    after = _api_for(customer_with_three_orders).get("/api/v1/orders/").json()["next"]
    response = _api_for(UserFactory()).get("/api/v1/orders/", {"after": after})
    assert response.status_code == 400


def test_the_order_page_follows_its_cursor_and_refuses_a_forged_one(client, customer_with_three_orders):
    client.force_login(customer_with_three_orders)
    first = client.get(reverse("orders:list"))
    second = client.get(reverse("orders:list"), {"after": first.context["next_cursor"]})
    assert len(first.context["orders"]) + len(second.context["orders"]) == 3
    assert client.get(reverse("orders:list"), {"after": tampered(first.context["next_cursor"])}).status_code == 400
