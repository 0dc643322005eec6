"""Everything under /api/ answers JSON in the API's error shape, and /_allauth/ in allauth's, whatever fails."""

import logging

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _api_error(response, status, code=None):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "message"}
    if code:
        assert body["code"] == code
    return body


def test_an_unknown_path_under_the_api_is_a_json_404(client):
    _api_error(client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_a_non_integer_id_under_the_api_is_a_json_404(client):
    client.force_login(UserFactory())
    _api_error(client.get("/api/v1/addresses/abc/"), 404, "not_found")
    _api_error(client.get("/api/v1/cart/items/１２/"), 404, "not_found")


def test_a_huge_id_under_the_api_is_a_json_404(client):
    client.force_login(UserFactory())
    _api_error(client.patch("/api/v1/cart/items/99999999999999999999/", {}, content_type="application/json"), 404)
    _api_error(client.get(f"/api/v1/addresses/{2**64}/"), 404)


def test_a_wrong_method_under_the_api_is_a_json_405(client):
    client.force_login(UserFactory())
    _api_error(client.put("/api/v1/cart/", {}, content_type="application/json"), 405)


@pytest.mark.urls("tests.shop.urls_failing")
def test_a_view_that_answers_405_itself_is_json_under_the_api(client):
    response = client.get("/api/v1/post-only/")
    _api_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


@pytest.mark.urls("tests.shop.urls_failing")
def test_a_server_error_under_the_api_is_json_and_leaks_nothing(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/fail/")
    body = _api_error(response, 500, "server_error")
    assert "hunter2" not in response.content.decode() and "Traceback" not in str(body)


def test_a_body_over_the_upload_limit_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(UserFactory())
    body = '{"product_id": 1, "quantity": 1, "pad": "' + "x" * 2000 + '"}'
    _api_error(client.post("/api/v1/cart/items/", body, content_type="application/json"), 413, "request_too_large")


def test_a_body_over_the_upload_limit_to_allauth_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/_allauth/app/v1/auth/login", {"email": "x" * 2000}, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_a_failed_csrf_check_under_the_api_is_json(client):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    _api_error(client.post("/api/v1/cart/items/", {}, content_type="application/json"), 403)


def test_a_failed_csrf_check_on_allauths_browser_api_is_json():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/_allauth/browser/v1/auth/login", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "csrf_failed"


def test_pages_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_form_body_over_the_upload_limit_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(UserFactory())
    body = "product_id=1&quantity=1&pad=" + "x" * 2000
    response = client.post("/api/v1/cart/items/", body, content_type="application/x-www-form-urlencoded")
    _api_error(response, 413, "request_too_large")


def test_a_multipart_body_over_the_upload_limit_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(UserFactory())
    response = client.post("/api/v1/cart/items/", {"product_id": "1", "pad": "x" * 2000})
    _api_error(response, 413, "request_too_large")


def test_an_unknown_path_under_the_api_is_json_whatever_the_method(client):
    for method in ("post", "put", "patch", "delete"):
        _api_error(getattr(client, method)("/api/v1/no-such-thing/"), 404, "not_found")


def test_an_unsupported_media_type_under_the_api_is_a_json_415(client):
    client.force_login(UserFactory())
    _api_error(client.post("/api/v1/cart/items/", "x", content_type="text/plain"), 415, "unsupported_media_type")
