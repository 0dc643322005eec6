"""Doors an attacker tried (issue 12): another account's email, lock-outs, sign-up enumeration, unused endpoints."""

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.accounts.conftest import SIGNUP_DETAILS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/_allauth/app/v1/auth/login"
SIGNUP = "/_allauth/app/v1/auth/signup"
EMAIL = "/_allauth/app/v1/account/email"


def _app_login(app_client, email):
    response = app_client.post(LOGIN, {"email": email, "password": PASSWORD})
    app_client.token = response.json()["meta"]["session_token"]


# --- another customer's email ----------------------------------------------------------------------------


def test_the_app_cannot_add_another_customers_email_and_nothing_is_written(app_client):
    UserFactory(email="a@example.com")
    b = UserFactory(email="b@example.com")
    _app_login(app_client, "b@example.com")

    added = app_client.post(EMAIL, {"email": "A@example.com"})
    primary = app_client.patch(EMAIL, {"email": "a@example.com", "primary": True})

    assert added.status_code == 400
    assert added.json()["errors"][0]["code"] == "email_taken"
    assert primary.status_code == 400
    assert list(EmailAddress.objects.filter(user=b).values_list("email", "primary")) == [("b@example.com", True)]
    b.refresh_from_db()
    assert b.email == "b@example.com"


def test_the_email_page_cannot_add_another_customers_email(client):
    UserFactory(email="a@example.com")
    b = UserFactory(email="b@example.com")
    client.force_login(b)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "a@example.com"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not EmailAddress.objects.filter(user=b, email="a@example.com").exists()


def _stray_address(owner_email, holder):
    """An unconfirmed row with another account's address, as the incident (or a race with sign-up) left it."""
    return EmailAddress.objects.create(user=holder, email=owner_email, verified=False, primary=False)


def test_the_app_cannot_make_another_customers_email_primary_and_nothing_is_written(app_client, settings):
    # With confirmation optional (ACCOUNT_EMAIL_VERIFICATION may be set so), a customer without a confirmed
    # address logs in, and allauth would let any of their addresses become primary.
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    UserFactory(email="a@example.com")
    b = UserFactory(email="b@example.com", email_address="unverified")
    _stray_address("a@example.com", b)
    _app_login(app_client, "b@example.com")

    response = app_client.patch(EMAIL, {"email": "a@example.com", "primary": True})

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "email_taken"
    assert EmailAddress.objects.get(user=b, email="b@example.com").primary
    assert not EmailAddress.objects.get(user=b, email="a@example.com").primary
    b.refresh_from_db()
    assert b.email == "b@example.com"


def test_the_email_page_cannot_make_another_customers_email_primary(client):
    UserFactory(email="a@example.com")
    b = UserFactory(email="b@example.com", email_address="unverified")
    _stray_address("a@example.com", b)
    client.force_login(b)

    response = client.post(reverse("account_email"), {"action_primary": "", "email": "a@example.com"}, follow=True)

    assert response.status_code == 200
    with translation.override("ko"):
        assert str(get_adapter().error_messages["email_taken"]) in response.content.decode()
    assert not EmailAddress.objects.get(user=b, email="a@example.com").primary
    b.refresh_from_db()
    assert b.email == "b@example.com"


def test_a_customer_can_still_make_their_own_address_primary(app_client):
    b = UserFactory(email="b@example.com")
    EmailAddress.objects.create(user=b, email="b2@example.com", verified=True)
    _app_login(app_client, "b@example.com")

    assert app_client.patch(EMAIL, {"email": "b2@example.com", "primary": True}).status_code == 200
    b.refresh_from_db()
    assert b.email == "b2@example.com"


def test_a_customer_can_still_add_a_free_address(app_client):
    UserFactory(email="b@example.com")
    _app_login(app_client, "b@example.com")

    assert app_client.post(EMAIL, {"email": "b2@example.com"}).status_code == 200


# --- lock-out -----------------------------------------------------------------------------------------------


def _attempt(ip, email, password):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"email": email, "password": password}, content_type="application/json")


def test_a_strangers_failed_log_ins_do_not_lock_the_owner_out():
    UserFactory(email="target@example.com")
    for _ in range(5):
        assert _attempt("203.0.113.9", "target@example.com", "guess").status_code == 400
    assert _attempt("203.0.113.9", "target@example.com", "guess").status_code == 429

    assert _attempt("198.51.100.7", "target@example.com", PASSWORD).status_code == 200


def test_failed_log_ins_from_many_addresses_hit_the_larger_per_account_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "8/h/key"}
    UserFactory(email="target@example.com")
    for n in range(8):
        assert _attempt(f"203.0.113.{n}", "target@example.com", "guess").status_code == 400

    refused = _attempt("198.51.100.7", "target@example.com", PASSWORD)

    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3601


def test_the_lock_out_page_in_the_browser_is_429_with_retry_after():
    UserFactory(email="target@example.com")
    browser = Client()
    for _ in range(5):
        browser.post(reverse("account_login"), {"login": "target@example.com", "password": "guess"})

    response = browser.post(reverse("account_login"), {"login": "target@example.com", "password": PASSWORD})

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 301
    assert "잠시 후 다시 시도" in response.content.decode()  # the store's page, in Korean


# --- sign-up enumeration ------------------------------------------------------------------------------------


def test_app_sign_up_answers_the_same_for_a_registered_and_a_new_email(app_client):
    UserFactory(email="taken@example.com")

    taken = Client().post(
        SIGNUP, {"email": "taken@example.com", "password": PASSWORD, **SIGNUP_DETAILS}, content_type="application/json"
    )
    new = Client().post(
        SIGNUP, {"email": "new@example.com", "password": PASSWORD, **SIGNUP_DETAILS}, content_type="application/json"
    )

    assert taken.status_code == new.status_code == 401
    assert taken.json()["data"] == new.json()["data"]
    assert User.objects.filter(email="taken@example.com").count() == 1


def test_browser_sign_up_answers_the_same_for_a_registered_and_a_new_email(client, mailoutbox):
    UserFactory(email="taken@example.com")

    def sign_up(email):
        data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, **SIGNUP_DETAILS}
        return Client().post(reverse("account_signup"), data)

    taken, new = sign_up("taken@example.com"), sign_up("new@example.com")

    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == reverse("account_email_verification_sent")
    assert {mail.to[0] for mail in mailoutbox} == {"taken@example.com", "new@example.com"}


# --- unused and unconfigured endpoints ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/_allauth/app/v1/account/phone"),
        ("post", "/_allauth/app/v1/account/phone"),
        ("post", "/_allauth/app/v1/auth/phone/verify"),
        ("post", "/_allauth/app/v1/auth/phone/verify/resend"),
        ("get", "/_allauth/browser/v1/account/phone"),
        ("post", "/_allauth/browser/v1/auth/phone/verify"),
    ],
)
def test_allauths_phone_endpoints_are_404(app_client, method, path):
    UserFactory(email="b@example.com")
    _app_login(app_client, "b@example.com")

    assert getattr(app_client, method)(path).status_code == 404


def test_allauths_api_description_leaves_the_phone_endpoints_out(client):
    spec = client.get("/_allauth/openapi.json")
    yaml_spec = client.get("/_allauth/openapi.yaml").content.decode()

    assert spec["Content-Type"] == "application/vnd.oai.openapi+json"
    assert "/_allauth/{client}/v1/auth/login" in spec.json()["paths"]
    assert not [route for route in spec.json()["paths"] if "phone" in route]
    assert "/_allauth/{client}/v1/auth/login" in yaml_spec
    assert "/phone" not in yaml_spec


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/accounts/kakao/login/"),
        ("post", "/accounts/kakao/login/"),
        ("get", "/accounts/kakao/login/callback/?code=x&state=y"),
    ],
)
def test_kakao_urls_are_404_when_kakao_is_not_configured(client, method, path):
    assert getattr(client, method)(path).status_code == 404


def test_app_kakao_token_login_is_a_clear_400_when_kakao_is_not_configured(app_client):
    response = app_client.post(
        "/_allauth/app/v1/auth/provider/token",
        {"provider": "kakao", "process": "login", "token": {"client_id": "x", "access_token": "y"}},
    )

    assert response.status_code == 400
