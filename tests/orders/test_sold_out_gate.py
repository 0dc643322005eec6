"""The order API's sold-out gate (orders/gate.py): a drop's losers answered before authentication and DRF, with
the API's own 409, and nothing else changed: no credentials is still a 401, a bad body still a 400, a retried
Idempotency-Key still its first answer, and stock coming back lets the next buyer buy at once."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from catalog import stock
from catalog.exceptions import OutOfStock
from orders import services
from orders.api.views import OrderPlaceThrottle
from orders.models import Order
from tests.factories import ProductFactory, UserFactory

from .conftest import HOME

pytestmark = [pytest.mark.mariadb, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ORDERS = "/api/v1/orders/"


def _token(user):
    """The mobile app's X-Session-Token for ``user`` (allauth headless: the session's key)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _app(user=None, **headers):
    client = APIClient()
    if user is not None:
        headers["X-Session-Token"] = _token(user)
    client.credentials(**{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()})
    return client


def _body(sku, quantity=1, **extra):
    address = {"recipient": HOME.recipient, "phone": HOME.phone, "postal_code": HOME.postal_code,
               "address": HOME.address}  # fmt: skip
    return {"lines": [{"sku_id": sku.id, "quantity": quantity}], "address": address, **extra}


@pytest.fixture
def sold_out():
    """A SKU whose last unit was bought and whose next buyer was refused: flagged in Redis, and this process
    remembers seeing it (what every gunicorn worker knows a moment into a drop)."""
    product = ProductFactory(name="한정판 운동화", stock=1)
    sku = product.skus.get()
    services.order_place(user=UserFactory(), address=HOME, lines=[(sku.id, 1)])
    with pytest.raises(OutOfStock):
        services.order_place(user=UserFactory(), address=HOME, lines=[(sku.id, 1)])
    assert stock.stock_sold_out_seen([sku.id])
    return sku


def _refusals():
    return REGISTRY.get_sample_value("shop_order_refusals_total", {"code": "out_of_stock"}) or 0


def _responses_409():
    return REGISTRY.get_sample_value("django_http_responses_total_by_status_total", {"status": "409"}) or 0


def test_a_losing_buyer_gets_the_apis_409_with_no_query(sold_out, django_assert_num_queries):
    app, before, counted = _app(UserFactory()), _refusals(), _responses_409()
    with django_assert_num_queries(0):  # not even the session's user
        response = app.post(ORDERS, _body(sold_out, 2), format="json")
    assert response.status_code == 409
    assert response["Content-Length"] == str(len(response.content))
    assert response["X-Frame-Options"] == "DENY" and response["X-Request-ID"]  # the other middleware saw it
    assert _responses_409() == counted + 1
    assert response.json() == {
        "code": "out_of_stock",
        "message": response.json()["message"],
        "details": {"lines": [{"sku_id": sold_out.id, "product_id": sold_out.product_id, "name": "한정판 운동화",
                               "requested": 2, "available": 0}]},
    }  # fmt: skip
    assert response.json()["message"]
    assert _refusals() == before + 1


def test_the_gate_answers_as_the_api_does(sold_out):
    """The same refusal through the API's own path (a process that has not seen the flag yet) reads the same."""
    gated = _app(UserFactory()).post(ORDERS, _body(sold_out), format="json")
    stock._flag_seen.clear()
    through_the_api = _app(UserFactory()).post(ORDERS, _body(sold_out), format="json")
    assert gated.status_code == through_the_api.status_code == 409
    assert gated.content == through_the_api.content
    assert gated["Content-Type"] == through_the_api["Content-Type"]


def test_the_refusal_speaks_the_customers_language(sold_out):
    korean = _app(UserFactory()).post(ORDERS, _body(sold_out), format="json").json()["message"]
    english_client = _app(UserFactory())
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_client.post(ORDERS, _body(sold_out), format="json").json()["message"]
    assert any("\uac00" <= char <= "\ud7a3" for char in korean)
    assert english.isascii() and english != korean


@pytest.mark.parametrize("token", [None, "no-such-session", "x" * 300])
def test_a_caller_without_a_live_session_still_gets_401(sold_out, token):
    app = _app() if token is None else _app(**{"X-Session-Token": token})
    response = app.post(ORDERS, _body(sold_out), format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_browser_session_goes_through_the_api(sold_out, django_assert_max_num_queries):
    """A cookie session is the API's to check (CSRF, the customer's row): the gate leaves it alone."""
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post(ORDERS, _body(sold_out), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed" or "CSRF" in response.json()["message"]


def test_a_buyer_pressing_again_and_again_keeps_hearing_sold_out(sold_out, monkeypatch):
    """A refusal places nothing: it does not count against the order throttle (orders/gate.py says why)."""
    monkeypatch.setattr(OrderPlaceThrottle, "THROTTLE_RATES", {"order_place": "2/min"})
    app = _app(UserFactory())
    codes = [app.post(ORDERS, _body(sold_out), format="json").status_code for _ in range(3)]
    assert codes == [409, 409, 409]


@pytest.mark.parametrize(
    "lines",
    [
        [{"sku_id": "SKU", "quantity": 1}],
        [{"sku_id": True, "quantity": 1}],
        [{"quantity": 1}],
        [{"sku_id": 0, "quantity": 0}],
        [{"sku_id": 0, "quantity": 10**6}],
        [{"sku_id": 0, "product_id": 1, "quantity": 1}],
        [{"sku_id": 0, "quantity": 1}] * 51,
    ],
)
def test_bad_lines_still_get_the_apis_400(sold_out, lines):
    lines = [{**line, "sku_id": sold_out.id} if line.get("sku_id") == 0 else line for line in lines]
    response = _app(UserFactory()).post(ORDERS, {**_body(sold_out), "lines": lines}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_sold_out_is_the_answer_whatever_the_address_holds(sold_out):
    """The gate looks at the lines only: an order that cannot be placed is told so before its address is read."""
    body = {**_body(sold_out), "address": {"recipient": "", "phone": "12"}}
    response = _app(UserFactory()).post(ORDERS, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"


def test_a_retried_idempotency_key_gets_its_first_answer_after_the_sell_out():
    product = ProductFactory(stock=1)
    sku = product.skus.get()
    buyer = UserFactory()
    first = _app(buyer, **{"Idempotency-Key": "buy-once-1"})
    placed = first.post(ORDERS, _body(sku), format="json")
    assert placed.status_code == 201
    with pytest.raises(OutOfStock):  # the next buyer finds it gone and flags it
        services.order_place(user=UserFactory(), address=HOME, lines=[(sku.id, 1)])
    assert stock.stock_sold_out_seen([sku.id])
    retried = first.post(ORDERS, _body(sku), format="json")  # the app's retry after a lost answer
    assert retried.status_code == 201
    assert retried["Idempotent-Replayed"] == "true"
    assert retried.json()["number"] == placed.json()["number"]


def test_stock_coming_back_lets_the_next_buyer_through_the_gate(sold_out):
    stock.stock_adjust(sku=sold_out, delta=2, reason="received")
    response = _app(UserFactory()).post(ORDERS, _body(sold_out), format="json")
    assert response.status_code == 201
    assert not stock.stock_sold_out_seen([sold_out.id])  # the process forgot the flag it found gone
    assert Order.objects.filter(number=response.json()["number"]).exists()


def test_a_product_line_goes_through_the_api(sold_out):
    """A line naming the product (the app before options) is not the gate's: the API resolves and refuses it."""
    body = {**_body(sold_out), "lines": [{"product_id": sold_out.product_id, "quantity": 1}]}
    response = _app(UserFactory()).post(ORDERS, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"


def test_the_memory_of_a_flag_lapses_with_the_flag(settings):
    settings.STOCK_SOLD_OUT_FLAG_SECONDS = 0
    stock._flag_seen_note([10**9], flagged=True)
    assert not stock.stock_sold_out_seen([10**9])
    assert not stock.stock_sold_out_seen_any()
