"""Coupons at checkout: who may use them, how often, and the use given back (pricing.services, orders.services)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import services
from orders.models import Order
from pricing.exceptions import CouponAlreadyUsed, CouponNotFound, CouponNotValidNow, CouponUsedUp
from pricing.models import Coupon, CouponGrant, CouponUse
from pricing.selectors import coupon_box
from tests.factories import CouponFactory, ProductFactory, UserFactory

from .conftest import SEOUL

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductFactory(price=20000, stock=50)


def _checkout(user, product, **coupon):
    return services.checkout(user=user, new_address=SEOUL.__dict__, lines=[(product.skus.get().id, 1)], **coupon)


def test_a_typed_code_discounts_the_order_in_any_case(product):
    CouponFactory(code="WELCOME5", value=5000)
    order = _checkout(UserFactory(), product, coupon_code=" welcome5 ")
    assert (order.discount, order.total) == (5000, 15000)


def test_an_unknown_code_is_refused(product):
    with pytest.raises(CouponNotFound):
        _checkout(UserFactory(), product, coupon_code="NOPE")
    assert not Order.objects.exists()


def test_a_coupon_before_or_after_its_period_is_refused(product):
    now = timezone.now()
    CouponFactory(code="LATE", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=1))
    CouponFactory(code="EARLY", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=9))
    for code in ("LATE", "EARLY"):
        with pytest.raises(CouponNotValidNow):
            _checkout(UserFactory(), product, coupon_code=code)


def test_an_inactive_coupon_is_unknown(product):
    CouponFactory(code="OFF", is_active=False)
    with pytest.raises(CouponNotFound):
        _checkout(UserFactory(), product, coupon_code="OFF")


def test_a_customer_uses_a_coupon_at_most_their_limit(product):
    coupon = CouponFactory(per_customer_limit=1)
    user = UserFactory()
    _checkout(user, product, coupon_code=coupon.code)
    with pytest.raises(CouponAlreadyUsed):
        _checkout(user, product, coupon_code=coupon.code)


def test_a_coupon_used_up_in_total_is_refused(product):
    coupon = CouponFactory(total_limit=1)
    _checkout(UserFactory(), product, coupon_code=coupon.code)
    with pytest.raises(CouponUsedUp):
        _checkout(UserFactory(), product, coupon_code=coupon.code)
    assert Coupon.objects.get(pk=coupon.pk).used_count == 1


def test_an_issued_coupon_is_used_from_the_coupon_box_by_its_holder_only(product):
    coupon = CouponFactory(code="")
    holder, other = UserFactory(), UserFactory()
    CouponGrant.objects.create(coupon=coupon, user=holder)
    assert _checkout(holder, product, coupon_id=coupon.pk).discount == 5000
    with pytest.raises(CouponNotFound):
        _checkout(other, product, coupon_id=coupon.pk)


def test_the_coupon_box_lists_valid_issued_coupons_with_a_use_left(product):
    user = UserFactory()
    usable, spent = CouponFactory(code=""), CouponFactory(code="")
    expired = CouponFactory(code="", ends_at=timezone.now() - timedelta(seconds=1))
    for coupon in (usable, spent, expired):
        CouponGrant.objects.create(coupon=coupon, user=user)
    _checkout(user, product, coupon_id=spent.pk)
    assert coupon_box(user=user) == [usable]


def test_an_expired_order_gives_the_coupons_use_back(product):
    coupon = CouponFactory(total_limit=1)
    order = _checkout(UserFactory(), product, coupon_code=coupon.code)
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))
    assert services.orders_expire_unpaid() == 1
    assert Coupon.objects.get(pk=coupon.pk).used_count == 0
    assert CouponUse.objects.get(order=order).released_at is not None
    assert _checkout(UserFactory(), product, coupon_code=coupon.code).discount == 5000


def test_a_canceled_order_gives_the_customer_their_use_back(product):
    coupon = CouponFactory(per_customer_limit=1)
    user = UserFactory()
    order = _checkout(user, product, coupon_code=coupon.code)
    services.order_cancel(order=order, actor=user)
    assert _checkout(user, product, coupon_code=coupon.code).discount == 5000


def test_a_use_is_given_back_once_however_often_asked(product):
    from pricing.services import coupon_release

    coupon = CouponFactory(total_limit=5)
    order = _checkout(UserFactory(), product, coupon_code=coupon.code)
    services.order_cancel(order=order)
    assert coupon_release(order=order) is False
    assert Coupon.objects.get(pk=coupon.pk).used_count == 0
