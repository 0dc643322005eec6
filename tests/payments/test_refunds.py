"""Cancel and refund: the whole order by the customer or staff, chosen lines by staff; never twice."""

import pytest

from orders import services as order_services
from orders.exceptions import IllegalTransition
from orders.models import Order
from payments import services, tasks
from payments.exceptions import RefundAccountRequired, RefundRefused
from payments.models import Refund
from tests.factories import stock_of

pytestmark = pytest.mark.django_db


def _paid(toss, order, method="카드"):
    key = toss.authenticate(order_id=order.number, amount=order.total, method=method)
    services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)
    return key


def _stocks(order):
    return {line.product_id: stock_of(line.product) for line in order.lines.all()}


def test_a_customer_cancels_a_paid_order_and_gets_everything_back(toss, order):
    key = _paid(toss, order)

    services.order_cancel_and_refund(order=order, actor=order.user)

    refund = Refund.objects.get()
    assert (refund.status, refund.amount, refund.is_full) == ("done", 72900, True)
    assert refund.transaction_key == toss.payments[key].cancels[0]["transactionKey"]
    assert toss.payments[key].status == "CANCELED"
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED
    assert set(_stocks(order).values()) == {10}
    assert sorted(refund.lines.values_list("quantity", flat=True)) == [1, 2]


def test_canceling_twice_refunds_once(toss, order):
    key = _paid(toss, order)
    services.order_cancel_and_refund(order=order, actor=order.user)

    with pytest.raises(IllegalTransition):
        services.order_cancel_and_refund(order=order, actor=order.user)

    assert toss.executed["cancel", key] == 1
    assert Refund.objects.count() == 1


def test_a_customer_cannot_cancel_once_staff_started_preparing(toss, order):
    _paid(toss, order)
    order_services.order_mark_preparing(order=order)

    with pytest.raises(IllegalTransition):
        services.order_cancel_and_refund(order=order, actor=order.user)
    services.order_cancel_and_refund(order=order, actor=None, by_staff=True, reason="품절")

    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED


def test_staff_refund_chosen_lines_and_their_stock_returns(toss, order):
    key = _paid(toss, order)
    cheap, dear = order.lines.order_by("unit_price")
    before = _stocks(order)

    refund = services.refund_lines(order=order, quantities={dear.id: 1}, reason="파손", actor=None, key="form-1")

    assert (refund.status, refund.amount, refund.is_full) == ("done", 30000, False)
    assert toss.payments[key].balance == 42900 and toss.payments[key].status == "PARTIAL_CANCELED"
    assert _stocks(order)[dear.product_id] == before[dear.product_id] + 1
    assert _stocks(order)[cheap.product_id] == before[cheap.product_id]
    dear.refresh_from_db()
    assert dear.refunded_quantity == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_refunding_every_remaining_unit_cancels_the_order(toss, order):
    _paid(toss, order)
    cheap, dear = order.lines.order_by("unit_price")
    services.refund_lines(order=order, quantities={dear.id: 1}, reason="파손", actor=None, key="form-1")

    services.refund_lines(order=order, quantities={cheap.id: 1, dear.id: 1}, reason="반품", actor=None, key="form-2")

    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED
    assert set(_stocks(order).values()) == {10}
    assert sum(Refund.objects.values_list("amount", flat=True)) == order.total


def test_the_same_staff_submission_twice_refunds_once(toss, order):
    key = _paid(toss, order)
    dear = order.lines.order_by("unit_price").last()

    first = services.refund_lines(order=order, quantities={dear.id: 1}, reason="파손", actor=None, key="form-1")
    second = services.refund_lines(order=order, quantities={dear.id: 1}, reason="파손", actor=None, key="form-1")

    assert first.pk == second.pk
    assert toss.executed["cancel", key] == 1


def test_more_units_than_a_line_has_left_are_refused(toss, order):
    _paid(toss, order)
    dear = order.lines.order_by("unit_price").last()

    with pytest.raises(RefundRefused):
        services.refund_lines(order=order, quantities={dear.id: 3}, reason="", actor=None, key="form-1")
    assert not Refund.objects.exists()


def test_an_unpaid_order_cannot_be_refunded(toss, order):
    dear = order.lines.order_by("unit_price").last()
    with pytest.raises(RefundRefused):
        services.refund_lines(order=order, quantities={dear.id: 1}, reason="", actor=None, key="form-1")


def test_a_refund_whose_answer_was_lost_is_completed_by_the_task_without_refunding_twice(toss, order):
    key = _paid(toss, order)
    toss.fault("cancel", "error", status=500, after_work=True)

    services.order_cancel_and_refund(order=order, actor=order.user)
    refund = Refund.objects.get()
    assert refund.status == "requested"
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED

    assert tasks.execute_refund(refund.pk) == "done"
    assert tasks.execute_refund(refund.pk) == "done"
    assert toss.executed["cancel", key] == 1


def test_a_refund_toss_refuses_is_recorded_as_failed_for_staff(toss, order):
    _paid(toss, order)
    toss.fault("cancel", "error", status=403, code="NOT_CANCELABLE_PAYMENT", message="취소 할 수 없는 결제 입니다.")

    services.order_cancel_and_refund(order=order, actor=order.user)

    refund = Refund.objects.get()
    assert (refund.status, refund.failure_code) == ("failed", "NOT_CANCELABLE_PAYMENT")


def test_a_deposited_virtual_account_is_refunded_to_the_account_the_customer_gives(toss, order):
    key = _paid(toss, order, method="가상계좌")
    toss.deposit(key)
    services.payment_sync(payment=order.payments.get())

    with pytest.raises(RefundAccountRequired):
        services.order_cancel_and_refund(order=order, actor=order.user)
    account = {"bank": "KOOKMIN", "accountNumber": "12345678901234", "holderName": "김하늘"}
    services.order_cancel_and_refund(order=order, actor=order.user, refund_account=account)

    assert Refund.objects.get().status == "done"
    assert toss.payments[key].status == "CANCELED"


def test_a_returned_item_of_a_delivered_order_is_refunded_and_goes_back_to_stock(toss, order):
    _paid(toss, order)
    for step in (order_services.order_mark_preparing, order_services.order_mark_delivered):
        if step is order_services.order_mark_delivered:
            order_services.order_mark_shipped(order=order, tracking_number="123456789012")
        step(order=order)
    cheap, dear = order.lines.order_by("unit_price")
    before = _stocks(order)

    services.refund_lines(order=order, quantities={cheap.id: 1, dear.id: 2}, reason="반품", actor=None, key="form-1")

    assert Refund.objects.get().status == "done"
    assert Order.objects.get(pk=order.pk).status == Order.Status.DELIVERED
    assert _stocks(order) == {pid: n + (1 if pid == cheap.product_id else 2) for pid, n in before.items()}
