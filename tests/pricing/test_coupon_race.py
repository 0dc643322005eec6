"""The last use of a coupon under many racing checkouts, on MariaDB."""

import functools

import pytest

from orders import services
from orders.models import Order
from pricing.exceptions import CouponUsedUp
from pricing.models import Coupon, CouponUse
from tests.factories import CouponFactory, ProductFactory, UserFactory
from tests.orders.concurrency import run_together

from .conftest import SEOUL

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

BUYERS = 30


def _checkout(user, sku_id, code):
    return services.checkout(user=user, new_address=SEOUL.__dict__, lines=[(sku_id, 1)], coupon_code=code)


def test_many_checkouts_for_the_last_use_give_it_to_exactly_one(settings):
    settings.STOCK_LOCK_REDIS_URL = ""
    product = ProductFactory(price=20000, stock=BUYERS)
    coupon = CouponFactory(total_limit=3)
    for user in UserFactory.create_batch(2):
        _checkout(user, product.skus.get().id, coupon.code)
    users = UserFactory.create_batch(BUYERS)
    outcomes = run_together([functools.partial(_checkout, user, product.skus.get().id, coupon.code) for user in users])
    won = [order for order, exc in outcomes if exc is None]
    assert len(won) == 1 and won[0].discount == 5000
    assert all(isinstance(exc, CouponUsedUp) for order, exc in outcomes if exc is not None)
    assert Coupon.objects.get(pk=coupon.pk).used_count == 3
    assert CouponUse.objects.filter(released_at__isnull=True).count() == Order.objects.count() == 3


def test_one_customer_racing_themselves_uses_their_coupon_once(settings):
    settings.STOCK_LOCK_REDIS_URL = ""
    product = ProductFactory(price=20000, stock=20)
    coupon = CouponFactory(per_customer_limit=1)
    user = UserFactory()
    outcomes = run_together([functools.partial(_checkout, user, product.skus.get().id, coupon.code)] * 10)
    assert sum(exc is None for _, exc in outcomes) == 1
    assert CouponUse.objects.count() == 1
