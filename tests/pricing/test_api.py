"""Pricing in the JSON API: the cart's money, coupons at order placement, the coupon box."""

import pytest
from rest_framework.test import APIClient

from orders.models import CartItem
from pricing.models import CouponGrant
from tests.factories import AddressFactory, CouponFactory, ProductFactory

pytestmark = pytest.mark.django_db

ADDRESS = {"recipient": "이바다", "phone": "010-9876-5432", "postal_code": "48058", "address": "부산 해운대구 1"}


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_cart_answers_its_shipping_fee_and_what_is_left_for_free_shipping(api, user, shipping_fees):
    product = ProductFactory(price=20000)
    CartItem.objects.create(user=user, sku=product.skus.get(), quantity=2)
    data = api.get("/api/v1/cart/").json()
    assert (data["subtotal"], data["shipping_fee"], data["total"], data["free_shipping_remaining"]) == (
        40000,
        3000,
        43000,
        10000,
    )


def test_an_order_with_a_coupon_code_answers_its_breakdown(api, shipping_fees):
    CouponFactory(code="API5", value=5000)
    product = ProductFactory(price=60000)
    body = {"lines": [{"sku_id": product.skus.get().id, "quantity": 1}], "address": ADDRESS, "coupon_code": "api5"}
    response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["subtotal"], data["discount"], data["shipping_fee"], data["total"]) == (60000, 5000, 0, 55000)
    assert data["lines"][0]["discount_share"] == 5000


def test_an_unknown_coupon_is_a_clear_400(api):
    product = ProductFactory()
    body = {"lines": [{"sku_id": product.skus.get().id, "quantity": 1}], "address": ADDRESS, "coupon_code": "NO"}
    response = api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "coupon_not_found"


def test_a_used_up_coupon_is_a_409(api, user):
    coupon = CouponFactory(total_limit=0)
    product = ProductFactory()
    body = {"lines": [{"sku_id": product.skus.get().id, "quantity": 1}], "address": ADDRESS, "coupon_id": coupon.id}
    CouponGrant.objects.create(coupon=coupon, user=user)
    response = api.post("/api/v1/orders/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "coupon_used_up")


def test_the_coupon_box_lists_the_customers_issued_coupons(api, user):
    mine = CouponFactory(code="", name="생일 쿠폰")
    CouponGrant.objects.create(coupon=mine, user=user)
    CouponFactory(code="PUBLIC")
    assert [c["name"] for c in api.get("/api/v1/coupons/").json()] == ["생일 쿠폰"]


def test_the_coupon_box_needs_a_log_in():
    assert APIClient().get("/api/v1/coupons/").status_code == 401


def test_what_an_order_is_refused_for_first_is_the_coupon_then_the_address_then_its_lines(api):
    """The order of the checkout's refusals (orders.services.checkout): a mistyped coupon or a wrong saved address
    is named before a line that is short, so the app asks the customer to fix what they typed."""
    short = ProductFactory(stock=1).skus.get()
    line = [{"sku_id": short.id, "quantity": 2}]
    bad_coupon = api.post("/api/v1/orders/", {"lines": line, "address": ADDRESS, "coupon_code": "NO"}, format="json")
    assert (bad_coupon.status_code, bad_coupon.json()["code"]) == (400, "coupon_not_found")
    someone_elses = AddressFactory()
    wrong_address = api.post("/api/v1/orders/", {"lines": line, "address_id": someone_elses.id}, format="json")
    assert (wrong_address.status_code, wrong_address.json()["code"]) == (404, "not_found")
    refused = api.post("/api/v1/orders/", {"lines": line, "address": ADDRESS}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "out_of_stock")
