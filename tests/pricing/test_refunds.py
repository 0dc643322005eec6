"""Refunds by line from the order's stored breakdown (pricing.refunds through payments.services)."""

import pytest

from orders import services as order_services
from payments import services
from payments.exceptions import RefundRefused
from payments.models import Refund
from tests.factories import CouponFactory, ProductFactory

from .conftest import SEOUL

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(toss, user, shipping_fees):
    """paid_order([(price, quantity)], coupon=None) -> a paid order, through checkout and the Toss fake."""

    def make(lines, coupon=None):
        products = [ProductFactory(price=price, stock=20) for price, _ in lines]
        wanted = [(product.skus.get().id, quantity) for product, (_, quantity) in zip(products, lines, strict=True)]
        order = order_services.order_place(user=user, address=SEOUL, lines=wanted, coupon=coupon)
        key = toss.authenticate(order_id=order.number, amount=order.total, method="카드")
        services.payment_confirm(user=user, order_number=order.number, payment_key=key, amount=order.total)
        return order

    return make


def _line(order, price):
    return order.lines.get(unit_price=price)


def _refund(order, quantities, key):
    return services.refund_lines(order=order, quantities=quantities, reason="반품", actor=None, key=key)


def test_a_full_cancel_refunds_the_shipping_fee(paid_order):
    order = paid_order([(20000, 1)])
    assert order.total == 23000
    services.order_cancel_and_refund(order=order, actor=order.user)
    assert Refund.objects.get().amount == 23000


def test_a_partial_refund_under_the_threshold_keeps_the_fee_that_would_have_been_charged(paid_order):
    order = paid_order([(30000, 1), (25000, 1)])
    assert (order.shipping_fee, order.total) == (0, 55000)
    refund = _refund(order, {_line(order, 25000).id: 1}, "r1")
    assert (refund.status, refund.amount) == ("done", 22000)


def test_refunds_after_crossing_the_threshold_add_up_to_what_was_paid(paid_order):
    order = paid_order([(30000, 1), (25000, 1)])
    _refund(order, {_line(order, 25000).id: 1}, "r1")
    last = _refund(order, {_line(order, 30000).id: 1}, "r2")
    assert last.amount == 33000
    assert sum(Refund.objects.values_list("amount", flat=True)) == 55000


def test_a_partial_refund_over_the_threshold_refunds_the_items_alone(paid_order):
    order = paid_order([(30000, 2), (5000, 1)])
    assert _refund(order, {_line(order, 5000).id: 1}, "r1").amount == 5000


def test_a_refund_the_kept_fee_would_make_negative_is_refused_not_negative(paid_order):
    order = paid_order([(49000, 1), (2000, 1)])
    with pytest.raises(RefundRefused):
        _refund(order, {_line(order, 2000).id: 1}, "r1")
    assert not Refund.objects.exists()


def test_a_partial_refund_of_a_discounted_line_gives_back_what_was_paid_for_it(paid_order):
    coupon = CouponFactory(kind="percent", value=10)
    order = paid_order([(60000, 1), (30000, 1)], coupon=coupon)
    assert (order.discount, order.total) == (9000, 81000)
    refund = _refund(order, {_line(order, 30000).id: 1}, "r1")
    assert refund.amount == 30000 - _line(order, 30000).discount_share == 27000


def test_a_shipping_fee_already_paid_is_not_refunded_by_a_partial_refund(paid_order):
    order = paid_order([(10000, 1), (5000, 1)])
    assert order.shipping_fee == 3000
    assert _refund(order, {_line(order, 5000).id: 1}, "r1").amount == 5000


def test_the_refund_screen_shows_the_fee_kept_before_refunding(paid_order, admin_client):
    order = paid_order([(30000, 1), (25000, 1)])
    line = _line(order, 25000)
    response = admin_client.post(
        f"/admin/payments/payment/order/{order.pk}/refund/",
        {"action": "preview", "reason": "반품", "nonce": "n-1", f"line_{line.id}": 1},
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.amount, preview.shipping_kept) == (22000, 3000)
    assert not Refund.objects.exists()
