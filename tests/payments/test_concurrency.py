"""Many confirms of one payment at the same moment, with real threads on MariaDB: one charge."""

import pytest

from orders.exceptions import OrderError
from orders.models import Order
from payments import services
from payments.exceptions import PaymentError
from payments.models import Payment, PaymentEvent
from tests.orders.concurrency import run_together

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]


def test_eight_simultaneous_confirms_of_one_payment_charge_once(toss, order):
    key = toss.authenticate(order_id=order.number, amount=order.total)

    def confirm():
        return services.payment_confirm(
            user=order.user, order_number=order.number, payment_key=key, amount=order.total
        ).state

    outcomes = run_together([confirm] * 8)

    assert all(error is None for _, error in outcomes), outcomes
    assert {state for state, _ in outcomes} <= {"paid", "processing"}
    assert toss.executed["confirm", key] == 1
    assert Payment.objects.count() == 1
    assert PaymentEvent.objects.filter(kind=PaymentEvent.Kind.CONFIRM_ATTEMPT).count() == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_two_tabs_with_two_payment_keys_for_one_order_charge_once(toss, order):
    keys = [toss.authenticate(order_id=order.number, amount=order.total) for _ in range(2)]

    def confirm(key):
        return lambda: (
            services.payment_confirm(
                user=order.user, order_number=order.number, payment_key=key, amount=order.total
            ).state
        )

    outcomes = run_together([confirm(key) for key in keys])

    charged = sum(toss.executed["confirm", key] for key in keys)
    assert charged == 1
    assert sum(1 for state, _ in outcomes if state == "paid") == 1
    assert all(isinstance(error, PaymentError) for state, error in outcomes if state != "paid")


def test_a_cancel_racing_a_confirm_never_leaves_money_taken_for_a_canceled_order(toss, order):
    key = toss.authenticate(order_id=order.number, amount=order.total)

    outcomes = run_together(
        [
            lambda: services.payment_confirm(
                user=order.user, order_number=order.number, payment_key=key, amount=order.total
            ),
            lambda: services.order_cancel_and_refund(order=order, actor=order.user),
        ]
    )

    assert all(error is None or isinstance(error, OrderError) for _, error in outcomes), outcomes
    order.refresh_from_db()
    payment = Payment.objects.filter(payment_key=key).first()
    if order.status == Order.Status.CANCELED and payment is not None and payment.status == "DONE":
        for refund in order.refunds.all():
            services.refund_execute(refund=refund)
    taken = toss.payments[key].balance if toss.payments[key].status != "IN_PROGRESS" else 0
    if order.status == Order.Status.CANCELED:
        assert taken == 0
    else:
        assert order.status == Order.Status.PAID and taken == order.total
