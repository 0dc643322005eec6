"""An order is placed once per Idempotency-Key (API) or checkout page (its one-time token)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from catalog import stock
from catalog.models import Product
from orders import idempotency
from orders.forms import new_checkout_token
from orders.idempotency import idempotency_keys_purge
from orders.models import IdempotencyKey, Order
from tests.factories import AddressFactory, ProductFactory, UserFactory, stock_of

pytestmark = pytest.mark.django_db


def _order(api, product, address, key, quantity=1):
    body = {"lines": [{"product_id": product.id, "quantity": quantity}], "address": address}
    return api.post("/api/v1/orders/", body, format="json", headers={"Idempotency-Key": key})


def test_repeating_an_order_with_its_key_gets_the_same_answer_and_places_one_order(api, product, new_address_data):
    first = _order(api, product, new_address_data, "order-1")
    again = _order(api, product, new_address_data, "order-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Order.objects.count() == 1
    assert stock_of(product) == 9


def test_a_repeat_gets_the_first_answer_even_after_the_order_changed(api, user, product, new_address_data):
    first = _order(api, product, new_address_data, "order-1")
    api.post(f"/api/v1/orders/{first.json()['number']}/cancel/")
    assert _order(api, product, new_address_data, "order-1").json()["status"] == "pending_payment"


def test_a_different_body_under_a_used_key_is_a_422_and_places_nothing(api, product, new_address_data):
    _order(api, product, new_address_data, "order-1")
    response = _order(api, product, new_address_data, "order-1", quantity=2)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert set(response.json()) == {"code", "message", "details"}
    assert Order.objects.count() == 1


def test_the_same_body_in_another_key_order_is_the_same_request(api, product, new_address_data):
    _order(api, product, new_address_data, "order-1")
    reordered = {
        "address": dict(reversed(new_address_data.items())),
        "lines": [{"quantity": 1, "product_id": product.id}],
    }
    response = api.post("/api/v1/orders/", reordered, format="json", headers={"Idempotency-Key": "order-1"})
    assert response.status_code == 201
    assert Order.objects.count() == 1


def test_keys_belong_to_one_customer(api, product, new_address_data):
    other = APIClient()
    other.force_authenticate(UserFactory())
    mine, theirs = _order(api, product, new_address_data, "k"), _order(other, product, new_address_data, "k")
    assert mine.json()["number"] != theirs.json()["number"]
    assert Order.objects.count() == 2


def test_a_refused_order_leaves_its_key_free_for_a_retry(api, new_address_data, django_capture_on_commit_callbacks):
    product = ProductFactory(stock=0, status=Product.Status.SOLD_OUT)
    assert _order(api, product, new_address_data, "order-1").status_code == 409
    assert not IdempotencyKey.objects.exists()
    Product.objects.filter(pk=product.pk).update(status=Product.Status.ON_SALE)
    with django_capture_on_commit_callbacks(execute=True):  # the restock's commit clears the sold-out flag
        stock.stock_adjust(sku=product.skus.get(), delta=3, reason="received")
    assert _order(api, product, new_address_data, "order-1").status_code == 201


def test_an_expired_key_places_a_new_order(api, product, new_address_data):
    first = _order(api, product, new_address_data, "order-1")
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    second = _order(api, product, new_address_data, "order-1")
    assert second.status_code == 201
    assert second.json()["number"] != first.json()["number"]
    assert IdempotencyKey.objects.get().order.number == second.json()["number"]


def test_keys_live_a_day(api, product, new_address_data):
    _order(api, product, new_address_data, "order-1")
    record = IdempotencyKey.objects.get()
    assert record.expires_at - record.created_at == pytest.approx(timedelta(hours=24), abs=timedelta(seconds=5))


@pytest.mark.parametrize("key", ["", "two words", "k" * 256, "주문-1", '""'])
def test_a_malformed_idempotency_key_is_a_400_and_places_nothing(api, product, new_address_data, key):
    response = _order(api, product, new_address_data, key)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_idempotency_key")
    assert not Order.objects.exists()


def test_a_quoted_key_is_the_same_key(api, product, new_address_data):
    _order(api, product, new_address_data, "abc")
    assert _order(api, product, new_address_data, '"abc"')["Idempotent-Replayed"] == "true"


def test_purging_deletes_only_expired_keys(user):
    now = timezone.now()
    for key, expires_at in [("old", now - timedelta(minutes=1)), ("live", now + timedelta(hours=1))]:
        IdempotencyKey.objects.create(user=user, key=key, fingerprint="f", expires_at=expires_at)
    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["live"]


def test_the_checkout_page_carries_a_new_token_each_time(client, in_cart):
    tokens = {client.get(reverse("orders:checkout")).context["form"].page_token for _ in range(2)}
    assert len(tokens) == 2


def test_resubmitting_a_checkout_page_goes_to_the_order_it_placed(client, customer, in_cart):
    form = {"choice": str(AddressFactory(user=customer).id), "token": new_checkout_token()}
    first = client.post(reverse("orders:checkout"), form)
    again = client.post(reverse("orders:checkout"), form, follow=True)
    order = Order.objects.get()
    assert first.url == order.get_absolute_url()
    assert again.redirect_chain[-1][0] == order.get_absolute_url()
    assert "이미 접수된 주문입니다" in " ".join(str(m) for m in again.context["messages"])
    assert stock_of(in_cart) == 3


def test_a_checkout_without_its_token_places_nothing_and_offers_a_fresh_page(client, customer, in_cart):
    response = client.post(reverse("orders:checkout"), {"choice": str(AddressFactory(user=customer).id)})
    assert response.status_code == 200
    assert not Order.objects.exists()
    assert len(response.context["form"].page_token) == 22


def test_a_key_still_held_elsewhere_is_a_409_with_retry_after(api, product, new_address_data, monkeypatch):
    monkeypatch.setattr(idempotency, "ATTEMPTS", 0)  # as if every look found the key held by another request
    response = _order(api, product, new_address_data, "order-1")
    assert (response.status_code, response.json()["code"]) == (409, "idempotent_request_processing")
    assert response["Retry-After"] == "1"
    assert not Order.objects.exists()
