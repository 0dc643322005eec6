"""Real concurrent HTTP requests on MariaDB: a double-clicked checkout, a retried API order, racing cart adds."""

import functools
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from orders.forms import new_checkout_token
from orders.models import CartItem, IdempotencyKey, Order
from tests.factories import AddressFactory, ProductFactory, UserFactory, stock_of

from .concurrency import run_together
from .conftest import HOME

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

DAY = timedelta(days=1)
ADDRESS = {"recipient": HOME.recipient, "phone": HOME.phone, "postal_code": HOME.postal_code, "address": HOME.address}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def _statuses(outcomes):
    errors = [exc for _, exc in outcomes if exc is not None]
    assert not errors, errors
    return [response.status_code for response, _ in outcomes]


def test_four_concurrent_submissions_of_one_checkout_page_place_one_order():
    user = UserFactory()
    laptop, mouse = ProductFactory(stock=10, price=990_000), ProductFactory(stock=10, price=6_600)
    CartItem.objects.create(user=user, sku=laptop.skus.get(), quantity=1)
    CartItem.objects.create(user=user, sku=mouse.skus.get(), quantity=2)
    form = {"choice": str(AddressFactory(user=user).id), "token": new_checkout_token()}
    clients = [_logged_in(user) for _ in range(4)]
    outcomes = run_together([functools.partial(c.post, reverse("orders:checkout"), form) for c in clients])
    assert _statuses(outcomes) == [302] * 4
    order = Order.objects.get()
    assert {response.url for response, _ in outcomes} == {order.get_absolute_url()}
    assert order.total == 1_003_200
    assert (stock_of(laptop), stock_of(mouse)) == (9, 8)


def test_four_concurrent_api_orders_with_one_key_place_one_order_and_answer_alike():
    user, product = UserFactory(), ProductFactory(stock=10)
    body = {"lines": [{"product_id": product.id, "quantity": 3}], "address": ADDRESS}
    post = functools.partial(_api(user).post, "/api/v1/orders/", body, format="json", headers={"Idempotency-Key": "k1"})
    outcomes = run_together([post] * 4)
    assert _statuses(outcomes) == [201] * 4
    assert len({response.content for response, _ in outcomes}) == 1
    assert Order.objects.count() == 1
    assert IdempotencyKey.objects.get().order == Order.objects.get()
    assert stock_of(product) == 7


def test_concurrent_repeats_of_a_refused_order_are_all_refused_cleanly():
    """When the first of several waiting duplicates rolls back, InnoDB deadlocks the others' INSERTs: retried."""
    user, product = UserFactory(), ProductFactory(stock=1)
    body = {"lines": [{"product_id": product.id, "quantity": 2}], "address": ADDRESS}
    post = functools.partial(_api(user).post, "/api/v1/orders/", body, format="json", headers={"Idempotency-Key": "k1"})
    outcomes = run_together([post] * 4)
    assert _statuses(outcomes) == [409] * 4
    assert {response.json()["code"] for response, _ in outcomes} == {"out_of_stock"}
    assert not Order.objects.exists() and not IdempotencyKey.objects.exists()


def test_ten_concurrent_api_adds_of_one_unit_make_a_quantity_of_ten():
    user, product = UserFactory(), ProductFactory(stock=50)
    body = {"product_id": product.id, "quantity": 1}
    clients = [_api(user) for _ in range(10)]
    outcomes = run_together([functools.partial(c.post, "/api/v1/cart/items/", body, format="json") for c in clients])
    assert _statuses(outcomes) == [201] * 10
    assert CartItem.objects.get(user=user, sku__product=product).quantity == 10


@pytest.mark.parametrize(("stock", "line_maximum", "refusal"), [(5, 99, 409), (50, 5, 400)])
def test_concurrent_adds_stop_at_the_stock_and_the_line_maximum(settings, stock, line_maximum, refusal):
    settings.CART_LINE_MAX_QUANTITY = line_maximum
    user, product = UserFactory(), ProductFactory(stock=stock)
    body = {"product_id": product.id, "quantity": 1}
    clients = [_api(user) for _ in range(10)]
    outcomes = run_together([functools.partial(c.post, "/api/v1/cart/items/", body, format="json") for c in clients])
    assert sorted(_statuses(outcomes)) == [201] * 5 + [refusal] * 5
    assert CartItem.objects.get(user=user, sku__product=product).quantity == 5


def test_ten_concurrent_adds_from_the_product_page_make_a_quantity_of_ten():
    user, product = UserFactory(), ProductFactory(stock=50)
    clients = [_logged_in(user) for _ in range(10)]
    form = {"product_id": product.id, "quantity": 1}
    outcomes = run_together([functools.partial(c.post, reverse("orders:cart-add"), form) for c in clients])
    assert _statuses(outcomes) == [302] * 10
    assert CartItem.objects.get(user=user, sku__product=product).quantity == 10


def test_a_duplicate_that_waits_past_the_lock_timeout_is_told_to_retry():
    user, product = UserFactory(), ProductFactory(stock=10)
    held, release = threading.Event(), threading.Event()

    def first_request_hangs():
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(user=user, key="k1", fingerprint="f", expires_at=timezone.now() + DAY)
                held.set()
                release.wait(timeout=60)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        finally:
            connection.close()

    thread = threading.Thread(target=first_request_hangs)
    thread.start()
    try:
        assert held.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION innodb_lock_wait_timeout = 1")
        body = {"lines": [{"product_id": product.id, "quantity": 1}], "address": ADDRESS}
        response = _api(user).post("/api/v1/orders/", body, format="json", headers={"Idempotency-Key": "k1"})
    finally:
        release.set()
        thread.join(timeout=60)
        connection.close()
    assert (response.status_code, response.json()["code"]) == (409, "idempotent_request_processing")
    assert response["Retry-After"] == "1"
    assert not Order.objects.exists()
