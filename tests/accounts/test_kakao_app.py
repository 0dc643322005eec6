"""Kakao for the mobile app: the Kakao SDK's access token exchanged for our session token on allauth's
``provider/token`` endpoint, verified against the fake Kakao's token-info and user-info endpoints."""

import pytest

from accounts.models import User
from tests.accounts.conftest import KAKAO_CLIENT_ID
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROVIDER_TOKEN = "/_allauth/app/v1/auth/provider/token"
PROVIDER_SIGNUP = "/_allauth/app/v1/auth/provider/signup"
ME = "/api/v1/me/"


def _exchange(app_client, access_token, *, process="login"):
    return app_client.post(
        PROVIDER_TOKEN,
        {
            "provider": "kakao",
            "process": process,
            "token": {"client_id": KAKAO_CLIENT_ID, "access_token": access_token},
        },
    )


def _error(response):
    return response.json()["errors"][0]


def test_a_new_kakao_user_agrees_to_the_terms_and_gets_a_session_token_for_the_api(
    app_client, kakao, app_social_signup
):
    kakao.add_user(2001, email="app@kakao.example", nickname="앱고객")

    pending = _exchange(app_client, kakao.issue_token(2001))
    response = app_social_signup(app_client, pending, email="app@kakao.example", name="앱고객")

    assert response.status_code == 200, response.json()
    me = app_client.get(ME).json()
    assert me["email"] == "app@kakao.example"
    assert me["name"] == "앱고객"
    assert ("GET", "/v1/user/access_token_info") in kakao.requests


def test_a_returning_kakao_user_gets_the_same_account(app_client, kakao, app_social_signup):
    kakao.add_user(2002, email="again@kakao.example")
    pending = _exchange(app_client, kakao.issue_token(2002))
    first = app_social_signup(app_client, pending, email="again@kakao.example").json()["data"]["user"]["id"]
    app_client.token = None

    again = _exchange(app_client, kakao.issue_token(2002))

    assert again.json()["data"]["user"]["id"] == first
    assert User.objects.count() == 1


def test_a_bad_token_is_a_clear_400_and_creates_no_user(app_client, kakao):
    response = _exchange(app_client, "made-up-token")

    assert response.status_code == 400
    assert _error(response)["code"] == "invalid_token"
    assert "카카오 액세스 토큰이 올바르지 않거나 만료되었습니다" in _error(response)["message"]
    assert not User.objects.exists()


def test_an_expired_token_is_a_clear_400_and_creates_no_user(app_client, kakao):
    kakao.add_user(2003, email="expired@kakao.example")
    token = kakao.issue_token(2003)
    kakao.expire(token)

    response = _exchange(app_client, token)

    assert response.status_code == 400
    assert _error(response)["code"] == "invalid_token"
    assert not User.objects.exists()


def test_a_token_issued_to_another_kakao_app_is_refused(app_client, kakao):
    kakao.add_user(2004, email="other@kakao.example")

    response = _exchange(app_client, kakao.issue_token(2004, app_id=999))

    assert response.status_code == 400
    assert _error(response)["message"] == "다른 앱에 발급된 카카오 액세스 토큰입니다."
    assert not User.objects.exists()
    assert ("GET", "/v2/user/me") not in kakao.requests


def test_without_a_configured_kakao_app_id_every_token_is_refused(app_client, kakao, settings):
    settings.KAKAO_APP_ID = ""
    kakao.add_user(2010, email="noconfig@kakao.example")

    response = _exchange(app_client, kakao.issue_token(2010))

    assert response.status_code == 400
    assert _error(response)["code"] == "provider_not_configured"
    assert not User.objects.exists()


def test_kakao_down_is_a_clear_400_not_a_server_error(app_client, kakao):
    kakao.add_user(2005, email="down@kakao.example")
    token = kakao.issue_token(2005)
    kakao.stop()

    response = _exchange(app_client, token)

    assert response.status_code == 400
    assert _error(response)["code"] == "provider_unavailable"
    assert "카카오가 응답하지 않습니다" in _error(response)["message"]
    assert not User.objects.exists()


def test_kakao_maintenance_is_a_clear_400(app_client, kakao):
    kakao.add_user(2006, email="maintenance@kakao.example")
    kakao.maintenance = True

    response = _exchange(app_client, kakao.issue_token(2006))

    assert response.status_code == 400
    assert _error(response)["code"] == "provider_unavailable"


def test_a_kakao_user_without_email_finishes_sign_up_with_a_confirmed_email(
    app_client, kakao, confirmation_key, app_social_signup
):
    kakao.add_user(2007, email=None)

    pending = _exchange(app_client, kakao.issue_token(2007))

    done = app_social_signup(app_client, pending, email="typed@example.com")
    assert {"id": "verify_email", "is_pending": True} in done.json()["data"]["flows"]
    done = app_client.post("/_allauth/app/v1/auth/email/verify", {"key": confirmation_key()})
    assert done.status_code == 200, done.json()
    app_client.token = done.json()["meta"]["session_token"]
    assert app_client.get(ME).json()["email"] == "typed@example.com"


def test_an_unverified_kakao_email_does_not_log_the_app_in_to_an_existing_account(app_client, kakao, app_social_signup):
    owner = UserFactory(email="owner@example.com")
    kakao.add_user(2008, email="owner@example.com", email_verified=False)

    pending = _exchange(app_client, kakao.issue_token(2008))
    response = app_social_signup(app_client, pending, email="owner@example.com")

    assert response.status_code == 401
    assert {"id": "verify_email", "is_pending": True} in response.json()["data"]["flows"]
    assert not owner.socialaccount_set.exists()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_verified_kakao_email_logs_the_app_in_to_the_existing_account(app_client, kakao):
    owner = UserFactory(email="owner@example.com")
    kakao.add_user(2009, email="owner@example.com", email_verified=True)

    response = _exchange(app_client, kakao.issue_token(2009))

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == owner.id
