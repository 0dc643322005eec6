import pytest
from rest_framework.test import APIClient

from catalog.models import Product
from orders import services
from orders.api.views import OrderPlaceThrottle
from orders.models import CartItem
from tests.factories import AddressFactory, OrderFactory, ProductFactory, UserFactory, stock_of

pytestmark = pytest.mark.django_db


def test_the_api_needs_a_customer():
    assert APIClient().get("/api/v1/cart/").status_code == 401


def test_cart_add_change_and_remove(api, user):
    product = ProductFactory(price=25_000)
    created = api.post("/api/v1/cart/items/", {"product_id": product.id, "quantity": 2}, format="json")
    assert created.status_code == 201
    assert created.json()["total"] == 50_000
    item_id = created.json()["lines"][0]["id"]
    changed = api.patch(f"/api/v1/cart/items/{item_id}/", {"quantity": 3}, format="json")
    assert changed.json()["count"] == 3
    removed = api.delete(f"/api/v1/cart/items/{item_id}/")
    assert removed.json()["lines"] == []


def test_cart_add_beyond_stock_is_a_409_with_what_is_left(api):
    product = ProductFactory(stock=2)
    response = api.post("/api/v1/cart/items/", {"product_id": product.id, "quantity": 3}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"
    assert response.json()["details"]["lines"][0]["available"] == 2


def test_cart_flags_short_and_off_sale_lines(api, user):
    short, gone = ProductFactory(stock=1), ProductFactory(status=Product.Status.SOLD_OUT)
    CartItem.objects.create(user=user, sku=short.skus.get(), quantity=3)
    CartItem.objects.create(user=user, sku=gone.skus.get(), quantity=1)
    lines = {line["product"]["id"]: line for line in api.get("/api/v1/cart/").json()["lines"]}
    assert lines[short.id]["short"] and lines[gone.id]["off_sale"]


def test_someone_elses_cart_item_is_a_404(api):
    other = CartItem.objects.create(user=UserFactory(), sku=ProductFactory().skus.get(), quantity=1)
    assert api.patch(f"/api/v1/cart/items/{other.id}/", {"quantity": 2}, format="json").status_code == 404


def _order_body(lines, address):
    return {"lines": [{"product_id": pid, "quantity": q} for pid, q in lines], "address": address}


def test_posting_an_order_answers_201_with_prices_from_the_store(api, new_address_data):
    product = ProductFactory(price=12_900, stock=5)
    body = {**_order_body([(product.id, 2)], new_address_data), "total": 1}
    response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["total"], data["shipping"]["detail"]) == ("pending_payment", 25_800, "101동 1203호")
    assert [(line["product_id"], line["quantity"], line["line_total"]) for line in data["lines"]] == [
        (product.id, 2, 25_800)
    ]
    assert [event["to_status"] for event in data["history"]] == ["pending_payment"]
    assert stock_of(product) == 3


def test_posting_an_order_with_a_saved_address(api, user):
    address = AddressFactory(user=user, recipient="박산")
    product = ProductFactory()
    body = {"lines": [{"product_id": product.id, "quantity": 1}], "address_id": address.id}
    assert api.post("/api/v1/orders/", body, format="json").json()["shipping"]["recipient"] == "박산"


def test_an_out_of_stock_order_is_a_409_listing_the_lines(api, new_address_data):
    plenty, scarce = ProductFactory(stock=9), ProductFactory(stock=1)
    response = api.post(
        "/api/v1/orders/", _order_body([(plenty.id, 1), (scarce.id, 2)], new_address_data), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"
    assert response.json()["details"]["lines"] == [
        {"sku_id": scarce.skus.get().id, "product_id": scarce.id, "name": scarce.name, "requested": 2, "available": 1}
    ]
    assert stock_of(plenty) == 9


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"lines": []},
        {"lines": [{"product_id": 1, "quantity": 0}], "address_id": 1},
        {"lines": [{"product_id": 1, "quantity": 1}]},
        {"lines": "x", "address": {"recipient": "a"}},
    ],
)
def test_bad_order_input_is_a_400_in_the_error_shape(api, body):
    response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "message"}


def test_an_unknown_product_is_a_400(api, new_address_data):
    response = api.post("/api/v1/orders/", _order_body([(987_654, 1)], new_address_data), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "unknown_product")


def test_listing_my_orders_pages_by_cursor(api, user, settings):
    settings.ORDERS_PAGE_SIZE = 2
    numbers = [OrderFactory(user=user).number for _ in range(3)]
    OrderFactory()
    first = api.get("/api/v1/orders/").json()
    second = api.get("/api/v1/orders/", {"after": first["next"]}).json()
    assert [o["number"] for o in first["results"] + second["results"]] == numbers[::-1]
    assert second["next"] is None


def test_someone_elses_order_is_a_404(api):
    other = OrderFactory()
    assert api.get(f"/api/v1/orders/{other.number}/").status_code == 404
    assert api.post(f"/api/v1/orders/{other.number}/cancel/").status_code == 404


def test_cancel_returns_stock_and_a_second_cancel_is_a_409(api, user, product, shipping):
    order = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 4)])
    first = api.post(f"/api/v1/orders/{order.number}/cancel/")
    assert first.json()["status"] == "canceled"
    assert [e["to_status"] for e in first.json()["history"]] == ["pending_payment", "canceled"]
    second = api.post(f"/api/v1/orders/{order.number}/cancel/")
    assert (second.status_code, second.json()["code"]) == (409, "illegal_transition")
    assert stock_of(product) == 10


def test_order_placing_is_throttled_at_the_configured_rate(api, product, new_address_data, monkeypatch):
    # DRF reads THROTTLE_ORDER_PLACE into the class at import; this is the rate a deployment would set.
    monkeypatch.setattr(OrderPlaceThrottle, "THROTTLE_RATES", {"order_place": "2/min"})
    body = _order_body([(product.id, 1)], new_address_data)
    codes = [api.post("/api/v1/orders/", body, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_the_schema_documents_the_order_endpoints(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert "409" in schema["paths"]["/api/v1/orders/"]["post"]["responses"]
    assert "/api/v1/cart/items/{item_id}/" in schema["paths"]
