"""Sign-up asks for the name, the mobile number and the consents a Korean shop must collect, on the page and in
the app (allauth headless), and records each consent with the document's version and the time."""

import pytest
from django.urls import reverse

from accounts.models import Consent, User
from tests.accounts.conftest import SIGNUP_DETAILS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

APP_SIGNUP = "/_allauth/app/v1/auth/signup"
REQUIRED = {"terms", "privacy", "age_14"}


def _web_signup(client, **fields):
    data = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, **SIGNUP_DETAILS, **fields}
    return client.post(reverse("account_signup"), data)


def test_the_sign_up_page_asks_for_name_mobile_and_each_consent(client):
    html = client.get(reverse("account_signup")).content.decode()

    for field in ("name", "phone", "agree_terms", "agree_privacy", "agree_age", "agree_marketing"):
        assert f'name="{field}"' in html
    assert "만 14세 이상" in html


@pytest.mark.parametrize("missing", ["agree_terms", "agree_privacy", "agree_age"])
def test_the_sign_up_page_refuses_without_a_required_consent(client, missing):
    data = {key: value for key, value in SIGNUP_DETAILS.items() if key != missing}

    response = client.post(
        reverse("account_signup"), {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, **data}
    )

    assert response.status_code == 200
    assert missing in response.context["form"].errors
    assert not User.objects.exists()


def test_the_sign_up_page_refuses_a_mobile_number_that_is_not_korean(client):
    response = _web_signup(client, phone="02-123-4567")

    assert "phone" in response.context["form"].errors
    assert not User.objects.exists()


def test_a_web_sign_up_records_name_mobile_and_the_consents_with_version_and_time(client, settings):
    settings.LEGAL_DOCUMENT_VERSIONS = {"terms": "terms-v3", "privacy": "privacy-v2"}

    _web_signup(client, agree_marketing=True)

    user = User.objects.get()
    assert (user.name, user.phone) == ("김하늘", "010-1234-5678")
    consents = {consent.kind: consent for consent in user.consents.all()}
    assert set(consents) == REQUIRED | {"marketing"}
    assert consents["terms"].version == "terms-v3"
    assert consents["privacy"].version == "privacy-v2"
    assert consents["marketing"].version == "privacy-v2"
    assert all(consent.agreed_at and consent.withdrawn_at is None for consent in consents.values())


def test_marketing_is_optional_and_not_recorded_when_left_unticked(client):
    _web_signup(client)

    assert set(User.objects.get().consents.values_list("kind", flat=True)) == REQUIRED


def test_the_app_sign_up_takes_the_same_consents_over_http(app_client):
    response = app_client.post(APP_SIGNUP, {"email": "app@example.com", "password": PASSWORD, **SIGNUP_DETAILS})

    assert response.status_code == 401, response.json()  # signed up, waiting for the email confirmation
    user = User.objects.get(email="app@example.com")
    assert user.name == "김하늘"
    assert set(user.consents.values_list("kind", flat=True)) == REQUIRED


def test_the_app_sign_up_without_consents_is_a_400_naming_each_missing_one(app_client):
    response = app_client.post(APP_SIGNUP, {"email": "app@example.com", "password": PASSWORD, "name": "김하늘"})

    assert response.status_code == 400
    params = {error["param"] for error in response.json()["errors"]}
    assert {"phone", "agree_terms", "agree_privacy", "agree_age"} <= params
    assert not User.objects.exists()


def test_the_header_greets_the_customer_by_name_not_by_email(client):
    client.force_login(UserFactory(email="someone@example.com", name="박민수"))

    html = client.get("/").content.decode()

    assert "박민수님" in html
    assert ">someone<" not in html


def test_the_header_shows_my_account_for_a_customer_without_a_name(client):
    client.force_login(UserFactory(email="noname@example.com", name=""))

    html = client.get("/").content.decode()

    assert "noname" not in html
    assert "내 계정" in html


def test_withdrawing_marketing_keeps_the_record_with_the_time(db):
    from accounts import services

    user = UserFactory()
    services.marketing_consent_set(user=user, agreed=True)
    services.marketing_consent_set(user=user, agreed=False)

    consent = Consent.objects.get(user=user, kind="marketing")
    assert consent.withdrawn_at is not None


def test_the_profile_page_gives_and_withdraws_the_marketing_consent(client):
    user = UserFactory()
    client.force_login(user)
    profile = {"name": "김하늘", "phone": "010-1234-5678"}

    client.post(reverse("accounts:profile"), {**profile, "marketing": "on"})
    assert Consent.objects.get(user=user, kind="marketing").withdrawn_at is None
    assert client.get(reverse("accounts:profile")).context["form"]["marketing"].value()

    client.post(reverse("accounts:profile"), profile)
    assert Consent.objects.get(user=user, kind="marketing").withdrawn_at is not None
