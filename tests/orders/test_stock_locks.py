"""The stock lock's failure modes: each ends in a clear answer, never a 500; committed orders stay committed."""

import socket
import threading
import time
from contextlib import contextmanager

import pytest
import redis
from django.db import connection, transaction
from rest_framework.test import APIClient

from catalog.models import Sku
from orders import services
from orders.models import Order
from tests.factories import ProductFactory, stock_of

from .conftest import HOME
from .redis_proxy import RedisProxy


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _order(api, product, address):
    body = {"lines": [{"product_id": product.id, "quantity": 1}], "address": address}
    return api.post("/api/v1/orders/", body, format="json")


def _nothing_taken(product):
    return stock_of(product) == 5 and not Order.objects.exists()


@pytest.mark.django_db
def test_redis_refusing_connections_is_a_503_and_takes_nothing(api, new_address_data, settings):
    settings.STOCK_LOCK_REDIS_URL = "redis://127.0.0.1:1/0"
    product = ProductFactory(stock=5)
    response = _order(api, product, new_address_data)
    assert (response.status_code, response.json()["code"]) == (503, "service_unavailable")
    assert response["Retry-After"]
    assert _nothing_taken(product)


@pytest.mark.django_db
def test_a_redis_that_stops_answering_is_a_503_within_seconds(api, new_address_data, settings):
    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections, never answers
    settings.STOCK_LOCK_REDIS_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    settings.STOCK_LOCK_WAIT_SECONDS = 1
    product = ProductFactory(stock=5)
    started = time.monotonic()
    response = _order(api, product, new_address_data)
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert _nothing_taken(product)
    silent.close()


@pytest.mark.redis
@pytest.mark.django_db
def test_a_lock_wait_that_times_out_is_a_503_stock_busy_and_takes_nothing(api, new_address_data, settings):
    settings.STOCK_LOCK_WAIT_SECONDS = 1
    product = ProductFactory(stock=5)
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.set(f"lock:stock:sku:{product.skus.get().id}", "another-order", ex=30)  # another order holds the stock lock
    try:
        response = _order(api, product, new_address_data)
    finally:
        client.delete(f"lock:stock:sku:{product.skus.get().id}")
    assert (response.status_code, response.json()["code"]) == (503, "stock_busy")
    assert response["Retry-After"] == "1"
    assert _nothing_taken(product)


class _RowHeld:
    """Holds the product's SKU row lock from another connection, so an order stalls inside its stock lock."""

    def __init__(self, product):
        self.product, self.locked, self.release = product, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.locked.wait(10)

    def _hold(self):
        try:
            with transaction.atomic():
                Sku.objects.select_for_update().get(product=self.product)
                self.locked.set()
                self.release.wait(30)
        finally:
            connection.close()

    def done(self):
        self.release.set()
        self.thread.join(30)


@contextmanager
def _order_stalled_inside_its_stock_lock(user, product, redis_url):
    """Yields while an order holds the product's stock lock, its UPDATE blocked by another connection's row lock;
    on exit the row is let go and the order finishes. The outcome dict gets "order" or "error"."""
    outcome, row = {}, _RowHeld(product)

    def place():
        try:
            outcome["order"] = services.order_place(user=user, address=HOME, lines=[(product.skus.get().id, 1)])
        except Exception as exc:  # the test asserts there was none
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=place)
    thread.start()
    key, client = f"lock:stock:sku:{product.skus.get().id}", redis.Redis.from_url(redis_url)
    for _ in range(200):
        if client.exists(key):
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f"{key} never appeared")
    try:
        yield outcome
    finally:
        row.done()
        thread.join(30)
        client.delete(key)


def _committed(outcome, product):
    assert "error" not in outcome
    assert Order.objects.get().number == outcome["order"].number
    assert stock_of(product) == 4


def _threaded(test):
    """MariaDB for a second connection holding the row, Redis for the lock, real transactions for both."""
    for mark in (pytest.mark.mariadb, pytest.mark.redis, pytest.mark.django_db(transaction=True)):
        test = mark(test)
    return test


@_threaded
def test_a_lock_that_expired_before_release_keeps_the_committed_order(user, settings, caplog):
    product = ProductFactory(stock=5)
    with _order_stalled_inside_its_stock_lock(user, product, settings.REDIS_URL) as outcome:
        redis.Redis.from_url(settings.REDIS_URL).delete(
            f"lock:stock:sku:{product.skus.get().id}"
        )  # what an expiry does
    _committed(outcome, product)
    assert "expired before release" in caplog.text


@_threaded
def test_redis_going_away_mid_order_keeps_the_committed_order(user, settings, caplog):
    product = ProductFactory(stock=5)
    proxy = RedisProxy(settings.REDIS_URL)
    settings.STOCK_LOCK_REDIS_URL = proxy.url
    with _order_stalled_inside_its_stock_lock(user, product, settings.REDIS_URL) as outcome:
        proxy.cut()
    _committed(outcome, product)
    assert "Redis gone at release" in caplog.text


@_threaded
def test_a_lock_held_longer_than_its_expiry_is_renewed(user, settings, caplog):
    settings.STOCK_LOCK_EXPIRE_SECONDS = 1
    product = ProductFactory(stock=5)
    with _order_stalled_inside_its_stock_lock(user, product, settings.REDIS_URL) as outcome:
        time.sleep(2.5)  # well past the 1-second expiry
        still_held = redis.Redis.from_url(settings.REDIS_URL).exists(f"lock:stock:sku:{product.skus.get().id}")
    assert still_held
    _committed(outcome, product)
    assert "expired" not in caplog.text
