"""The API's throttle on Redis: one counter per caller and window, shared by every web process."""

import pytest
from django_redis import get_redis_connection
from rest_framework.test import APIClient

from shop.api.throttling import AnonThrottle

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def test_a_throttled_caller_is_told_when_to_come_back(monkeypatch):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    api = APIClient()
    codes = [api.get("/api/v1/categories/").status_code for _ in range(2)]
    refused = api.get("/api/v1/categories/")
    assert codes == [200, 200] and refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_the_count_lives_in_redis_and_expires_with_its_window(monkeypatch):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "5/min"})
    APIClient().get("/api/v1/categories/")
    client = get_redis_connection("default")
    keys = client.keys("*throttle_anon*")
    assert len(keys) == 1
    assert int(client.get(keys[0])) == 1
    assert 0 < client.ttl(keys[0]) <= 61
