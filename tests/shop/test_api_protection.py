"""Who may call what: every protected API endpoint answers 401 with WWW-Authenticate to a caller without valid
credentials, the catalog is public, and browsers on allowed origins may call the API (CORS preflight)."""

import re

import pytest
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

APP_ORIGIN = "https://app.hanulmarket.example"


def _api_endpoints():
    """(path, method, view class) of every DRF endpoint under /api/, from the URL patterns themselves."""
    endpoints = []
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if path.startswith("/api/"):
            endpoints.append((re.sub(r"{[^}]+}", "1", path), method, callback.cls))
    return endpoints


def _is_public(view_class):
    return all(isinstance(permission, AllowAny) for permission in view_class().get_permissions())


PROTECTED = [(path, method) for path, method, view in _api_endpoints() if not _is_public(view)]
PUBLIC = [(path, method) for path, method, view in _api_endpoints() if _is_public(view)]


def test_the_walk_finds_the_protected_and_the_public_endpoints():
    assert {("/api/v1/me/", "GET"), ("/api/v1/orders/", "POST"), ("/api/v1/cart/items/1/", "DELETE")} <= set(PROTECTED)
    assert ("/api/v1/products/", "GET") in PUBLIC


@pytest.mark.parametrize(("path", "method"), PROTECTED)
@pytest.mark.parametrize("token", [None, "not-a-session-token"])
def test_a_protected_endpoint_without_valid_credentials_is_a_401_with_www_authenticate(path, method, token):
    headers = {"X-Session-Token": token} if token else {}
    response = getattr(APIClient(), method.lower())(path, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "X-Session-Token"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["/api/v1/categories/", "/api/v1/products/", "/api/v1/search/?q=가방"])
def test_the_catalog_answers_with_an_unknown_token_too(path):
    assert APIClient().get(path, headers={"X-Session-Token": "stale"}).status_code == 200


def _preflight(client, path, origin):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-session-token",
        },
    )


@pytest.mark.parametrize("path", ["/api/v1/cart/items/", "/api/v1/products/", "/_allauth/app/v1/auth/login"])
def test_a_preflight_from_an_allowed_origin_may_send_the_session_token(client, settings, path):
    settings.CORS_ALLOWED_ORIGINS = [APP_ORIGIN]
    response = _preflight(client, path, APP_ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert "x-session-token" in response["Access-Control-Allow-Headers"].split(", ")
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_a_preflight_from_another_origin_gets_no_cors_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP_ORIGIN]
    response = _preflight(client, "/api/v1/cart/items/", "https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Headers" not in response


def test_a_real_request_from_an_allowed_origin_may_read_the_answer(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP_ORIGIN]
    response = client.get("/api/v1/products/", headers={"Origin": APP_ORIGIN})
    assert response["Access-Control-Allow-Origin"] == APP_ORIGIN


def test_the_storefront_pages_send_no_cors_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP_ORIGIN]
    assert "Access-Control-Allow-Origin" not in client.get("/", headers={"Origin": APP_ORIGIN})
