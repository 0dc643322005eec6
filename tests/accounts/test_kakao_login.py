"""Kakao log-in in the browser: allauth's real redirect flow against the local fake Kakao."""

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _logged_in_user(client):
    response = client.get(reverse("accounts:profile"))
    return response.context["user"] if response.status_code == 200 else None


def test_the_kakao_button_is_hidden_without_kakao_credentials(client):
    for page in ("account_login", "account_signup"):
        assert "카카오" not in client.get(reverse(page)).content.decode()


def test_the_kakao_button_posts_to_kakao_login_on_log_in_and_sign_up_pages(client, kakao):
    for page in ("account_login", "account_signup"):
        html = client.get(reverse(page)).content.decode()
        assert f'<form method="post" action="{reverse("kakao_login")}' in html
        assert "카카오 로그인" in html


def test_a_new_kakao_user_agrees_to_the_terms_and_is_signed_up_and_logged_in(client, kakao, kakao_login, social_signup):
    kakao.add_user(1001, email="haneul@kakao.example", nickname="하늘")
    kakao.signed_in = 1001

    response = kakao_login(client)

    assert response["Location"] == reverse("socialaccount_signup")
    assert not User.objects.exists()
    response = social_signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="haneul@kakao.example")
    assert user.name == "하늘"
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(provider="kakao", uid="1001").user == user
    assert EmailAddress.objects.get(user=user).verified
    assert _logged_in_user(client) == user


def test_a_returning_kakao_user_logs_in_to_the_same_account(client, kakao, kakao_login, social_signup):
    kakao.add_user(1002, email="again@kakao.example")
    kakao.signed_in = 1002
    kakao_login(client)
    social_signup(client)
    first = User.objects.get(email="again@kakao.example")
    client.post(reverse("account_logout"))

    kakao_login(client)

    assert User.objects.count() == 1
    assert _logged_in_user(client) == first


def test_a_kakao_user_without_email_consent_signs_up_by_entering_and_confirming_an_email(
    client, kakao, kakao_login, confirmation_key, social_signup
):
    kakao.add_user(1003, email=None, nickname="무이메일")
    kakao.signed_in = 1003

    response = kakao_login(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    form_page = client.get(response["Location"])
    assert "이메일" in form_page.content.decode()
    assert not User.objects.exists()

    done = social_signup(client, email="chosen@example.com")

    assert done["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="chosen@example.com")
    assert user.socialaccount_set.get().uid == "1003"
    client.post(reverse("account_confirm_email", args=[confirmation_key()]))
    assert _logged_in_user(client) == user


def test_an_unverified_kakao_email_never_takes_over_an_existing_account(client, kakao, kakao_login, social_signup):
    owner = UserFactory(email="owner@example.com")
    kakao.add_user(1004, email="owner@example.com", email_verified=False)
    kakao.signed_in = 1004

    assert kakao_login(client)["Location"] == reverse("socialaccount_signup")
    response = social_signup(client)

    # Told to confirm the address, like any sign-up: whether it is registered is not revealed.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert _logged_in_user(client) is None
    assert not owner.socialaccount_set.exists()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_verified_kakao_email_logs_in_to_the_existing_account_and_links_kakao(client, kakao, kakao_login):
    owner = UserFactory(email="owner@example.com")
    kakao.add_user(1005, email="owner@example.com", email_verified=True)
    kakao.signed_in = 1005

    kakao_login(client)

    assert _logged_in_user(client) == owner
    assert owner.socialaccount_set.get().uid == "1005"
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_logged_in_customer_links_kakao_from_the_profile_page(client, kakao, kakao_login):
    customer = UserFactory(email="linker@example.com")
    client.force_login(customer)
    kakao.add_user(1006, email="different@kakao.example")
    kakao.signed_in = 1006

    response = kakao_login(client, process="connect")

    assert response["Location"] == reverse("accounts:profile")
    assert customer.socialaccount_set.get().uid == "1006"
    assert "different@kakao.example" in client.get(reverse("accounts:profile")).content.decode()


def test_cancelling_on_kakao_shows_the_cancelled_page_and_logs_nobody_in(client, kakao, kakao_login):
    kakao.signed_in = None

    response = kakao_login(client)

    assert response["Location"] == reverse("socialaccount_login_cancelled")
    assert not User.objects.exists()


def test_kakao_down_shows_a_clear_error_page(client, kakao):
    kakao.add_user(1007, email="down@kakao.example")
    kakao.signed_in = 1007
    started = client.post(reverse("kakao_login"))
    approved = requests.get(started["Location"], allow_redirects=False, timeout=5)
    kakao.stop()  # Kakao goes down between the customer's approval and our token request

    response = client.get(approved.headers["Location"])

    assert response.status_code == 503
    assert "카카오가 응답하지 않습니다" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "outage",
    ["maintenance", "token_outage"],  # kapi answering 503 -9798; kauth's token endpoint answering 500
)
def test_kakao_failing_shows_the_same_error_page(client, kakao, kakao_login, outage):
    kakao.add_user(1008, email="maintenance@kakao.example")
    kakao.signed_in = 1008
    setattr(kakao, outage, True)

    response = kakao_login(client)

    assert response.status_code == 503
    assert "카카오가 응답하지 않습니다" in response.content.decode()
    assert not User.objects.exists()


def test_a_verified_kakao_email_locks_out_the_password_of_an_account_whose_email_was_never_verified(
    client, kakao, kakao_login, confirmation_key
):
    """Someone may have registered the customer's email here first; after Kakao proves ownership, their password
    must stop working (allauth wipes it), or they would share the account. The sign-in completes once the address
    is confirmed (sign-up requires a confirmed address)."""
    squatter = UserFactory(email="victim@example.com", email_address="none")
    kakao.add_user(1009, email="victim@example.com", email_verified=True)
    kakao.signed_in = 1009

    kakao_login(client)
    client.post(reverse("account_confirm_email", args=[confirmation_key()]))

    assert _logged_in_user(client) == squatter
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
