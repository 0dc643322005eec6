"""Confirming a Toss payment: once per order, never for the wrong amount or customer, and nothing lost when Toss
fails. Every test talks to the local Toss fake over HTTP."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import services as order_services
from orders.models import Order
from payments import services, tasks
from payments.exceptions import OrderNotPayable, PaymentAmountMismatch, PaymentOrderNotFound, PaymentRejected
from payments.models import Payment, PaymentEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pay(toss, order, **options):
    key = toss.authenticate(order_id=order.number, amount=order.total, **options)
    return key, services.payment_confirm(
        user=order.user, order_number=order.number, payment_key=key, amount=order.total
    )


def test_a_confirmed_card_payment_marks_the_order_paid_with_toss_s_figures(toss, order):
    key, result = _pay(toss, order)

    assert result.state == "paid"
    payment = Payment.objects.get(payment_key=key)
    assert (payment.status, payment.method, payment.total_amount, payment.balance_amount) == (
        "DONE",
        "카드",
        72900,
        72900,
    )
    assert payment.approved_at is not None and payment.receipt_url.startswith("https://")
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    kinds = list(payment.events.values_list("kind", flat=True))
    assert kinds == [PaymentEvent.Kind.CONFIRM_ATTEMPT, PaymentEvent.Kind.CONFIRM_ANSWER]
    assert toss.requests[-1] == ("POST", "/v1/payments/confirm", f"confirm-{key}")


def test_a_replayed_success_sends_nothing_more_to_toss(toss, order):
    key, _ = _pay(toss, order)
    sent = len(toss.requests)

    again = services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)

    assert again.state == "paid"
    assert len(toss.requests) == sent
    assert toss.executed["confirm", key] == 1
    assert Payment.objects.count() == 1


def test_an_amount_other_than_the_order_total_is_refused_before_toss_is_asked(toss, order):
    key = toss.authenticate(order_id=order.number, amount=100)

    with pytest.raises(PaymentAmountMismatch):
        services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=100)

    assert toss.requests == [] and not Payment.objects.exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_another_customers_order_cannot_be_paid(toss, order):
    key = toss.authenticate(order_id=order.number, amount=order.total)

    with pytest.raises(PaymentOrderNotFound):
        services.payment_confirm(user=UserFactory(), order_number=order.number, payment_key=key, amount=order.total)

    assert toss.requests == []


def test_an_expired_order_is_refused_and_toss_never_confirms(toss, order):
    order_services.order_transition(order=order, to_status=Order.Status.EXPIRED)
    key = toss.authenticate(order_id=order.number, amount=order.total)

    with pytest.raises(OrderNotPayable):
        services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)

    assert toss.executed["confirm", key] == 0


def test_a_declined_card_leaves_the_order_payable_with_a_message_the_customer_understands(toss, order):
    with pytest.raises(PaymentRejected) as refused:
        _pay(toss, order, decline="REJECT_CARD_PAYMENT")

    assert "카드" in str(refused.value.message) or "card" in str(refused.value.message)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT
    assert Payment.objects.get().status == "ABORTED"
    key, result = _pay(toss, order)  # another card: a new paymentKey from the widget
    assert result.state == "paid"


def test_a_confirm_after_toss_s_ten_minute_window_is_refused_as_timed_out(toss, order):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    toss.clock_offset = timedelta(minutes=11)

    with pytest.raises(PaymentRejected) as refused:
        services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)

    assert refused.value.toss_code == "NOT_FOUND_PAYMENT_SESSION"
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "stall", "seconds": 1.5, "after_work": True},
        {"kind": "error", "status": 500, "after_work": True},
        {"kind": "drop", "after_work": True},
    ],
    ids=["timeout", "5xx-after-work", "connection-dropped"],
)
def test_toss_failing_after_approving_leaves_the_order_processing_until_the_task_reads_it(toss, order, fault):
    toss.fault("confirm", **fault)

    key, result = _pay(toss, order)

    assert result.state == "processing"
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT
    assert Payment.objects.get().events.filter(kind=PaymentEvent.Kind.CONFIRM_UNKNOWN).exists()
    assert tasks.resolve_payment(Payment.objects.get().pk) == "paid"
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert toss.executed["confirm", key] == 1


def test_a_confirm_toss_never_received_is_sent_again_by_the_task_under_the_same_key(toss, order, settings):
    toss.fault("confirm", "error", status=503, code="COMMON_ERROR")  # before the work: nothing happened

    key, result = _pay(toss, order)
    assert result.state == "processing"

    assert tasks.resolve_payment(Payment.objects.get().pk) == "paid"
    assert toss.executed["confirm", key] == 1
    assert [r for r in toss.requests if r[0] == "POST"] == [("POST", "/v1/payments/confirm", f"confirm-{key}")] * 2


def test_toss_unreachable_is_recorded_and_resolved_later(toss, order, settings):
    settings.TOSS_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    key, result = _pay(toss, order)
    assert result.state == "processing"

    settings.TOSS_API_BASE = toss.url
    tasks.resolve_payment(Payment.objects.get().pk)

    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


@pytest.mark.parametrize("code", ["ALREADY_PROCESSED_PAYMENT", "IDEMPOTENT_REQUEST_PROCESSING"])
def test_already_processed_or_still_processing_is_resolved_by_reading_the_payment(toss, order, code):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    if code == "ALREADY_PROCESSED_PAYMENT":
        toss.confirm({"paymentKey": key, "orderId": order.number, "amount": order.total})
    else:
        toss.fault("confirm", "error", status=409, code=code)

    result = services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)
    if result.state == "processing":  # Toss was still at it: the task looks again
        result = services.payment_resolve(payment=result.payment)

    assert result.state == "paid"
    assert toss.executed["confirm", key] == 1


def test_the_sweep_leaves_an_order_whose_payment_is_being_confirmed(toss, order, settings):
    settings.ORDER_PAYMENT_MINUTES = 5
    order.payment_due_at = timezone.now() + timedelta(minutes=5)
    order.save(update_fields=["payment_due_at"])
    toss.fault("confirm", "stall", seconds=1.5, after_work=True)
    _pay(toss, order)

    past_its_own_deadline = order.payment_due_at + timedelta(minutes=1)
    assert past_its_own_deadline < timezone.now() + timedelta(minutes=settings.PAYMENT_HOLD_MINUTES)
    assert order_services.orders_expire_unpaid(now=past_its_own_deadline) == 0
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_the_server_dying_between_toss_s_done_and_our_commit_is_healed_by_reconciliation(toss, order, settings):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    services._attempt_begin(order=order, payment_key=key, amount=order.total)
    toss.confirm({"paymentKey": key, "orderId": order.number, "amount": order.total})  # Toss did it; we never heard

    later = timezone.now() + timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER_SECONDS + 1)
    assert services.payments_reconcile(now=later) == 1

    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert toss.executed["confirm", key] == 1


def test_a_payment_approved_after_the_customer_canceled_is_refunded_at_once(toss, order):
    toss.fault("confirm", "stall", seconds=1.5, after_work=True)
    key, result = _pay(toss, order)
    assert result.state == "processing"
    services.order_cancel_and_refund(order=order, actor=order.user)

    tasks.resolve_payment(Payment.objects.get().pk)  # learns DONE for a canceled order
    refund = order.refunds.get()
    tasks.execute_refund(refund.pk)

    refund.refresh_from_db()
    assert refund.status == "done" and refund.amount == order.total
    assert toss.payments[key].status == "CANCELED"
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED


def test_a_payment_approved_after_the_sweep_expired_its_order_is_refunded_at_once(toss, order, settings):
    toss.fault("confirm", "stall", seconds=1.5, after_work=True)
    key, _ = _pay(toss, order)
    order.refresh_from_db()
    hold_over = order.payment_due_at + timedelta(minutes=1)
    assert order_services.orders_expire_unpaid(now=hold_over) == 1  # Toss could not be asked all that time

    tasks.resolve_payment(Payment.objects.get().pk)
    tasks.execute_refund(order.refunds.get().pk)

    assert toss.payments[key].status == "CANCELED" and toss.payments[key].balance == 0
    assert order.refunds.get().status == "done"
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
