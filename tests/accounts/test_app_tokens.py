"""The mobile app: allauth headless with X-Session-Token, and the token it gets works on our API."""

from importlib import import_module

import pytest
from django.conf import settings

from tests.accounts.conftest import SIGNUP_DETAILS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/_allauth/app/v1/auth/signup"
LOGIN = "/_allauth/app/v1/auth/login"
SESSION = "/_allauth/app/v1/auth/session"
VERIFY_EMAIL = "/_allauth/app/v1/auth/email/verify"
ME = "/api/v1/me/"


def test_the_app_signs_up_with_email_and_its_session_token_opens_the_api_once_confirmed(app_client, confirmation_key):
    response = app_client.post(SIGNUP, {"email": "app@example.com", "password": PASSWORD, **SIGNUP_DETAILS})

    assert response.status_code == 401, response.json()
    assert {"id": "verify_email", "is_pending": True} in response.json()["data"]["flows"]
    app_client.token = response.json()["meta"]["session_token"]
    response = app_client.post(VERIFY_EMAIL, {"key": confirmation_key()})
    assert response.status_code == 200, response.json()
    app_client.token = response.json()["meta"]["session_token"]
    me = app_client.get(ME)
    assert me.status_code == 200
    assert me.json()["email"] == "app@example.com"


def test_the_app_logs_in_with_email_and_password(app_client):
    user = UserFactory(email="login@example.com")

    response = app_client.post(LOGIN, {"email": "login@example.com", "password": PASSWORD})

    assert response.status_code == 200
    app_client.token = response.json()["meta"]["session_token"]
    assert app_client.get(ME).json()["id"] == user.id


def test_a_wrong_password_gets_allauths_error_and_no_token(app_client):
    UserFactory(email="login@example.com")

    response = app_client.post(LOGIN, {"email": "login@example.com", "password": "wrong-password"})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["errors"][0]["code"] == "email_password_mismatch"
    assert "session_token" not in body.get("meta", {})


def test_repeated_failed_app_log_ins_from_one_address_are_refused_even_with_the_right_password(app_client):
    UserFactory(email="target@example.com")
    for _ in range(5):
        app_client.post(LOGIN, {"email": "target@example.com", "password": "guess"})

    response = app_client.post(LOGIN, {"email": "target@example.com", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["status"] == 429
    assert int(response["Retry-After"]) > 0
    assert "session_token" not in response.json().get("meta", {})


def test_logging_out_ends_the_session_token(app_client):
    UserFactory(email="login@example.com")
    login = app_client.post(LOGIN, {"email": "login@example.com", "password": PASSWORD})
    app_client.token = login.json()["meta"]["session_token"]

    assert app_client.delete(SESSION).status_code == 401  # allauth answers "no longer authenticated"

    assert app_client.get(ME).status_code == 401


def test_the_api_answers_401_with_our_error_shape_without_a_token(app_client):
    response = app_client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "X-Session-Token"


def test_the_api_answers_401_for_an_unknown_token(app_client):
    app_client.token = "not-a-real-session-token"

    response = app_client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] in ("authentication_failed", "not_authenticated")


def test_an_expired_session_token_is_refused(app_client):
    UserFactory(email="expiring@example.com")
    login = app_client.post(LOGIN, {"email": "expiring@example.com", "password": PASSWORD})
    app_client.token = login.json()["meta"]["session_token"]
    assert app_client.get(ME).status_code == 200

    session = import_module(settings.SESSION_ENGINE).SessionStore(app_client.token)
    session.set_expiry(-1)
    session.save()

    assert app_client.get(ME).status_code == 401


def test_allauths_app_endpoints_are_described_for_the_app_developers(client):
    response = client.get("/_allauth/openapi.json")

    assert response.status_code == 200
    assert "/_allauth/{client}/v1/auth/provider/token" in response.json()["paths"]
