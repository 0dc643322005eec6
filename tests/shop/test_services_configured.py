"""What the real MariaDB and Redis must give us (deselected when they are not configured)."""

import pytest
from django.core.cache import cache
from django.db import DataError, IntegrityError, connection, transaction

from catalog.models import Product
from tests.factories import ProductFactory


@pytest.mark.mariadb
@pytest.mark.django_db
def test_mariadb_keeps_korean_and_emoji_intact():
    product = ProductFactory(name="한울 노트북 🎁 특가")
    assert Product.objects.get(id=product.id).name == "한울 노트북 🎁 특가"
    assert connection.vendor == "mysql"


@pytest.mark.mariadb
@pytest.mark.django_db
def test_mariadb_runs_in_strict_mode_so_bad_data_is_refused_not_truncated():
    product = ProductFactory()
    with pytest.raises((DataError, IntegrityError)), transaction.atomic():
        Product.objects.filter(id=product.id).update(name="가" * 500)


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_checks_redis_when_it_is_configured(client):
    cache.set("probe", "1")
    assert cache.get("probe") == "1"
    response = client.get("/readyz")
    assert response.json()["checks"]["cache"] == "ok"
