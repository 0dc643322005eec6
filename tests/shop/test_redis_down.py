"""Redis down: the cache is a cache. A private redis-server is started, the store pointed at it, and stopped
mid-run; logged-in customers (browser session and the app's X-Session-Token) keep being served from the database.
"""

import socket
import subprocess
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/_allauth/app/v1/auth/login"
ME = "/api/v1/me/"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def store_on_private_redis(settings, private_redis):
    """The production cache settings (config/settings/cache.py), pointed at the private Redis."""
    process, url = private_redis
    options = {**_production_cache_options(), "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 2}
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "shop",
            "OPTIONS": options,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return process


def _production_cache_options():
    if django_settings.REDIS_URL:
        return django_settings.CACHES["default"]["OPTIONS"]
    # Without REDIS_URL the suite runs on locmem; the Redis options are the ones settings.py would use.
    return {"CLIENT_CLASS": "django_redis.client.DefaultClient", "IGNORE_EXCEPTIONS": True}


def test_logged_in_customers_are_served_from_the_database_while_redis_is_down(store_on_private_redis):
    UserFactory(email="app@example.com")
    app = Client()
    token = app.post(LOGIN, {"email": "app@example.com", "password": PASSWORD}, content_type="application/json")
    token = token.json()["meta"]["session_token"]
    browser = Client()
    browser.post(reverse("account_login"), {"login": "app@example.com", "password": PASSWORD})
    assert app.get(ME, headers={"X-Session-Token": token}).status_code == 200
    assert browser.get(reverse("accounts:profile")).status_code == 200

    store_on_private_redis.terminate()
    store_on_private_redis.wait(timeout=10)

    me = app.get(ME, headers={"X-Session-Token": token})
    assert me.status_code == 200
    assert me.json()["email"] == "app@example.com"
    assert browser.get(reverse("accounts:profile")).status_code == 200
    assert browser.get("/").status_code == 200
    ready = browser.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"


def test_log_in_is_refused_with_429_not_500_while_the_rate_limit_counters_are_down(store_on_private_redis):
    UserFactory(email="app@example.com")
    store_on_private_redis.terminate()
    store_on_private_redis.wait(timeout=10)

    response = Client().post(LOGIN, {"email": "app@example.com", "password": PASSWORD}, content_type="application/json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
