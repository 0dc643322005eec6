import re

import pytest
import requests
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.accounts.fake_kakao import FakeKakao
from tests.accounts.fake_naver import FakeNaver

KAKAO_CLIENT_ID = "test-rest-api-key"
KAKAO_CLIENT_SECRET = "test-client-secret"
KAKAO_APP_ID = 1234567

# A valid shipping address as a customer types it (pages, API and services take the same fields).
ADDRESS_DATA = {
    "recipient": "박민수",
    "phone": "010-9876-5432",
    "postal_code": "48058",
    "address": "부산광역시 해운대구 센텀로 1",
}


@pytest.fixture
def kakao(settings):
    """A running fake Kakao with the store configured for it (button shown, URLs and app id pointed at it)."""
    fake = FakeKakao(client_id=KAKAO_CLIENT_ID, client_secret=KAKAO_CLIENT_SECRET, app_id=KAKAO_APP_ID).start()
    settings.KAKAO_AUTH_URL = fake.url
    settings.KAKAO_API_URL = fake.url
    settings.KAKAO_APP_ID = str(KAKAO_APP_ID)
    policy = django_settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": [*policy["DIRECTIVES"]["form-action"], fake.url]}
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "kakao": {
            **django_settings.SOCIALACCOUNT_PROVIDERS["kakao"],
            "APPS": [{"client_id": KAKAO_CLIENT_ID, "secret": KAKAO_CLIENT_SECRET}],
        },
    }
    yield fake
    fake.stop()


@pytest.fixture
def kakao_login(kakao):
    """Runs the browser's redirect dance: our POST, Kakao's authorize page, then our callback."""

    def dance(client, *, process="login"):
        started = client.post(reverse("kakao_login"), {"process": process})
        assert started.status_code == 302, started
        authorized = requests.get(started["Location"], allow_redirects=False, timeout=5)
        assert authorized.status_code == 302, authorized.text
        return client.get(authorized.headers["Location"])

    return dance


@pytest.fixture
def app_client(db):
    """The mobile app's HTTP client: JSON to allauth headless and the API, session token in X-Session-Token."""

    client = Client()

    class AppClient:
        token = None

        def _headers(self):
            return {"X-Session-Token": self.token} if self.token else {}

        def get(self, path):
            return client.get(path, headers=self._headers())

        def post(self, path, data=None):
            return client.post(path, data or {}, content_type="application/json", headers=self._headers())

        def put(self, path, data):
            return client.put(path, data, content_type="application/json", headers=self._headers())

        def patch(self, path, data):
            return client.patch(path, data, content_type="application/json", headers=self._headers())

        def delete(self, path):
            return client.delete(path, headers=self._headers())

    return AppClient()


CONFIRM_LINK = re.compile(r"/accounts/confirm-email/([^/\s]+)/")


@pytest.fixture
def confirmation_key(mailoutbox):
    """The key of the last confirmation link mailed (sign-up requires a confirmed address)."""

    def last_key():
        keys = [match for mail in mailoutbox for match in CONFIRM_LINK.findall(mail.body)]
        assert keys, [mail.body for mail in mailoutbox]
        return keys[-1]

    return last_key


# What every sign-up form asks beyond email and password (accounts.signup): name, mobile and the required
# consents. The same dict works for the pages (form-encoded) and the app (JSON).
SIGNUP_DETAILS = {
    "name": "김하늘",
    "phone": "010-1234-5678",
    "agree_terms": True,
    "agree_privacy": True,
    "agree_age": True,
}


@pytest.fixture
def social_signup():
    """Completes the sign-up form a new Kakao or Naver customer gets (it collects the consents): what the provider
    told us is already filled in; ``fields`` add to or replace it."""

    def complete(client, **fields):
        form = client.get(reverse("socialaccount_signup")).context["form"]
        data = {**SIGNUP_DETAILS, **{name: value for name, value in form.initial.items() if value}, **fields}
        return client.post(reverse("socialaccount_signup"), data)

    return complete


@pytest.fixture
def app_social_signup():
    """The app's side of the same: after provider/token answers 401 with a pending provider_signup flow, the
    app posts the consents (and the email, when the provider gave none) to provider/signup."""

    def complete(app_client, pending, **fields):
        assert pending.status_code == 401, pending.json()
        assert {"id": "provider_signup", "is_pending": True}.items() <= next(
            flow for flow in pending.json()["data"]["flows"] if flow["id"] == "provider_signup"
        ).items()
        app_client.token = pending.json()["meta"]["session_token"]
        response = app_client.post("/_allauth/app/v1/auth/provider/signup", {**SIGNUP_DETAILS, **fields})
        if "session_token" in response.json().get("meta", {}):
            app_client.token = response.json()["meta"]["session_token"]
        return response

    return complete


NAVER_CLIENT_ID = "test-naver-client-id"
NAVER_CLIENT_SECRET = "test-naver-secret"


@pytest.fixture
def naver(settings):
    """A running fake Naver with the store configured for it (button shown, URLs pointed at it)."""
    fake = FakeNaver(client_id=NAVER_CLIENT_ID, client_secret=NAVER_CLIENT_SECRET).start()
    settings.NAVER_AUTH_URL = fake.url
    settings.NAVER_API_URL = fake.url
    policy = django_settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": [*policy["DIRECTIVES"]["form-action"], fake.url]}
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "naver": {
            **django_settings.SOCIALACCOUNT_PROVIDERS["naver"],
            "APPS": [{"client_id": NAVER_CLIENT_ID, "secret": NAVER_CLIENT_SECRET}],
        },
    }
    yield fake
    fake.stop()


@pytest.fixture
def naver_login(naver):
    """The browser's redirect dance with Naver: our POST, Naver's authorize page, then our callback."""

    def dance(client, *, process="login"):
        started = client.post(reverse("naver_login"), {"process": process})
        assert started.status_code == 302, started
        authorized = requests.get(started["Location"], allow_redirects=False, timeout=5)
        assert authorized.status_code == 302, authorized.text
        return client.get(authorized.headers["Location"])

    return dance
