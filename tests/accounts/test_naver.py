"""Naver log-in beside Kakao: allauth's redirect flow in the browser and the app's token exchange on
``provider/token``, against the local fake Naver (tests/accounts/fake_naver.py), with Kakao's rules."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import NAVER_CLIENT_ID
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROVIDER_TOKEN = "/_allauth/app/v1/auth/provider/token"
ME = "/api/v1/me/"


def _logged_in_user(client):
    response = client.get(reverse("accounts:profile"))
    return response.context["user"] if response.status_code == 200 else None


def _exchange(app_client, access_token, *, process="login"):
    token = {"client_id": NAVER_CLIENT_ID, "access_token": access_token}
    return app_client.post(PROVIDER_TOKEN, {"provider": "naver", "process": process, "token": token})


def test_the_naver_button_is_hidden_without_naver_credentials(client):
    for page in ("account_login", "account_signup"):
        assert "네이버" not in client.get(reverse(page)).content.decode()
    assert client.post(reverse("naver_login")).status_code == 404


def test_the_naver_button_posts_to_naver_login_beside_kakao(client, kakao, naver):
    for page in ("account_login", "account_signup"):
        html = client.get(reverse(page)).content.decode()
        assert f'<form method="post" action="{reverse("naver_login")}' in html
        assert "네이버 로그인" in html and "카카오 로그인" in html


def test_a_new_naver_user_agrees_and_signs_up_with_name_and_mobile_from_naver(
    client, naver, naver_login, social_signup
):
    naver.add_user("nv-1", email="haneul@naver.com", name="이하늘", mobile="010-2222-3333")
    naver.signed_in = "nv-1"

    assert naver_login(client)["Location"] == reverse("socialaccount_signup")
    form = client.get(reverse("socialaccount_signup")).context["form"]
    assert (form.initial["name"], form.initial["phone"]) == ("이하늘", "010-2222-3333")
    social_signup(client)

    user = User.objects.get(email="haneul@naver.com")
    assert (user.name, user.phone) == ("이하늘", "010-2222-3333")
    assert SocialAccount.objects.get(provider="naver", uid="nv-1").user == user
    assert set(user.consents.values_list("kind", flat=True)) == {"terms", "privacy", "age_14"}
    assert _logged_in_user(client) == user
    assert ("POST", "/oauth2.0/token") in naver.requests


def test_a_returning_naver_user_logs_in_to_the_same_account(client, naver, naver_login, social_signup):
    naver.add_user("nv-2", email="again@naver.com")
    naver.signed_in = "nv-2"
    naver_login(client)
    social_signup(client)
    client.post(reverse("account_logout"))

    naver_login(client)

    assert User.objects.count() == 1
    assert _logged_in_user(client) == User.objects.get()


def test_a_naver_mailbox_address_logs_in_to_the_existing_account_and_links_naver(client, naver, naver_login):
    owner = UserFactory(email="owner@naver.com")
    naver.add_user("nv-3", email="owner@naver.com")
    naver.signed_in = "nv-3"

    naver_login(client)

    assert _logged_in_user(client) == owner
    assert owner.socialaccount_set.get().uid == "nv-3"


def test_another_address_from_naver_never_takes_over_an_existing_account(client, naver, naver_login, social_signup):
    """Naver's email is the member's contact address, which Naver does not verify: only @naver.com counts."""
    owner = UserFactory(email="owner@example.com")
    naver.add_user("nv-4", email="owner@example.com")
    naver.signed_in = "nv-4"

    assert naver_login(client)["Location"] == reverse("socialaccount_signup")
    social_signup(client)

    assert _logged_in_user(client) is None
    assert not owner.socialaccount_set.exists()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_logged_in_customer_links_naver_from_the_profile_page(client, naver, naver_login):
    customer = UserFactory(email="linker@example.com")
    client.force_login(customer)
    naver.add_user("nv-5", email="different@naver.com")
    naver.signed_in = "nv-5"

    assert (
        f'action="{reverse("naver_login")}?process=connect"' in client.get(reverse("accounts:profile")).content.decode()
    )
    response = naver_login(client, process="connect")

    assert response["Location"] == reverse("accounts:profile")
    assert customer.socialaccount_set.get(provider="naver").uid == "nv-5"


def test_cancelling_on_naver_logs_nobody_in(client, naver, naver_login):
    naver.signed_in = None

    response = naver_login(client)

    assert response["Location"] == reverse("socialaccount_login_cancelled")
    assert not User.objects.exists()


def test_naver_failing_shows_the_unreachable_page(client, naver, naver_login):
    naver.add_user("nv-6", email="down@naver.com")
    naver.signed_in = "nv-6"
    naver.outage = True

    response = naver_login(client)

    assert response.status_code == 503
    assert "네이버가 응답하지 않습니다" in response.content.decode()
    assert not User.objects.exists()


# --- the app ----------------------------------------------------------------------------------------------


def test_a_new_naver_app_user_signs_up_through_provider_token_and_the_consents(app_client, naver, app_social_signup):
    naver.add_user("nv-10", email="app@naver.com", name="앱고객")

    pending = _exchange(app_client, naver.issue_token("nv-10"))
    done = app_social_signup(app_client, pending, email="typed@example.com")

    assert done.status_code in (200, 401), done.json()
    user = User.objects.get(socialaccount__provider="naver", socialaccount__uid="nv-10")
    assert user.name == "김하늘"  # what the customer confirmed in the app's sign-up form
    assert set(user.consents.values_list("kind", flat=True)) >= {"terms", "privacy", "age_14"}


def test_a_linked_naver_app_user_gets_a_session_token(app_client, naver):
    owner = UserFactory(email="linked@example.com")
    SocialAccount.objects.create(user=owner, provider="naver", uid="nv-11")
    naver.add_user("nv-11", email="linked@example.com")

    response = _exchange(app_client, naver.issue_token("nv-11"))

    assert response.status_code == 200, response.json()
    app_client.token = response.json()["meta"]["session_token"]
    assert app_client.get(ME).json()["email"] == "linked@example.com"


def test_an_app_token_never_logs_in_to_an_existing_account_by_email(app_client, naver):
    """Naver cannot say which app a token was issued to: a token from another app could carry a customer's
    naver.com address, so in token login no Naver email counts as verified."""
    owner = UserFactory(email="owner@naver.com")
    naver.add_user("nv-12", email="owner@naver.com")

    response = _exchange(app_client, naver.issue_token("nv-12"))

    assert response.status_code == 401
    assert not owner.socialaccount_set.exists()


def test_a_bad_naver_token_is_a_clear_400(app_client, naver):
    response = _exchange(app_client, "made-up")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_token"
    assert not User.objects.exists()


def test_naver_down_is_a_clear_400_not_a_server_error(app_client, naver):
    naver.add_user("nv-13", email="down@naver.com")
    token = naver.issue_token("nv-13")
    naver.stop()

    response = _exchange(app_client, token)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "provider_unavailable"
