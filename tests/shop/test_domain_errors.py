"""One domain-error hierarchy, answered in one place: the API's JSON shape, or a page with the right status."""

import importlib

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import RequestFactory
from rest_framework import status

from shop.api.exceptions import api_exception_handler
from shop.exceptions import DomainError

pytestmark = pytest.mark.django_db


ERROR_MODULES = (
    "shop.exceptions",
    "shop.cursors",
    "shop.inputs",
    "catalog.exceptions",
    "catalog.images",
    "catalog.stock_import",
    "accounts.exceptions",
    "orders.exceptions",
    "payments.exceptions",
)


def _all_domain_errors():
    for module in ERROR_MODULES:
        importlib.import_module(module)
    found, stack = [], [DomainError]
    while stack:
        kind = stack.pop()
        found.append(kind)
        stack.extend(kind.__subclasses__())
    return found


def test_every_apps_errors_extend_the_one_domain_error():
    names = {kind.__name__ for kind in _all_domain_errors()}
    assert {"OutOfStock", "OrderError", "PaymentError", "InvalidCursor", "InvalidImage", "InvalidInput"} <= names
    assert {"AddressNotFound", "RequestTooLarge", "ImportRefused"} <= names


def test_every_domain_error_has_a_code_and_a_client_or_service_error_status():
    for kind in _all_domain_errors():
        assert kind.code and kind.code.islower(), kind
        assert 400 <= kind.http_status < 600 and kind.http_status != 500, kind


def _drf_answer(exc):
    return api_exception_handler(exc, {"request": RequestFactory().get("/api/v1/")})


def test_a_domain_error_in_the_api_answers_its_code_status_details_and_retry_after():
    from catalog.exceptions import OutOfStock, ShortLine

    response = _drf_answer(OutOfStock([ShortLine(sku_id=1, product_id=2, name="Pen", requested=3, available=1)]))
    assert response.status_code == status.HTTP_409_CONFLICT
    assert response.data["code"] == "out_of_stock"
    assert response.data["details"]["lines"][0]["available"] == 1
    assert "Retry-After" not in response


def test_a_busy_error_in_the_api_says_when_to_try_again():
    from catalog.exceptions import StockBusy

    response = _drf_answer(StockBusy())
    assert (response.status_code, response["Retry-After"], response.data["code"]) == (503, "1", "stock_busy")


def test_a_models_validation_error_in_the_api_is_a_400_with_details_per_field():
    response = _drf_answer(DjangoValidationError({"phone": ["Enter a Korean mobile number."]}))
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["details"] == {"phone": ["Enter a Korean mobile number."]}


def test_drf_errors_carry_details_too(client):
    body = client.get("/api/v1/cart/").json()
    assert body == {"code": "not_authenticated", "message": body["message"], "details": None}


@pytest.mark.urls("tests.shop.urls_failing")
def test_a_domain_error_escaping_a_drf_view_is_json_with_retry_after(client):
    response = client.get("/api/v1/busy/")
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json()["code"] == "stock_busy"


@pytest.mark.urls("tests.shop.urls_failing")
def test_a_domain_error_escaping_a_plain_view_under_the_api_is_json(client):
    response = client.get("/api/v1/busy-plain/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "stock_busy"


@pytest.mark.urls("tests.shop.urls_failing")
def test_a_domain_error_escaping_a_page_is_a_page_with_its_status_and_message(client):
    response = client.get("/busy/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "1"
    assert "Many people are ordering" in response.content.decode() or "지금" in response.content.decode()


def test_someone_elses_address_is_a_404_page_not_an_error(client):
    from tests.factories import AddressFactory, UserFactory

    theirs = AddressFactory()
    client.force_login(UserFactory())
    response = client.post(f"/accounts/addresses/{theirs.pk}/default/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
