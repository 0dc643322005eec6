"""Virtual accounts and Toss's webhooks: kept as sent, answered at once, believed only after Toss says so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Sku
from orders import services as order_services
from orders.models import Order
from payments import services, tasks
from payments.models import Payment, WebhookEvent

pytestmark = pytest.mark.django_db
WEBHOOK = reverse("payments:toss-webhook")


def _virtual_account(toss, order):
    key = toss.authenticate(order_id=order.number, amount=order.total, method="가상계좌")
    result = services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)
    return key, result


def _post(client, body):
    return client.post(WEBHOOK, body, content_type="application/json")


def _process_all():
    return [tasks.process_webhook(pk) for pk in WebhookEvent.objects.order_by("id").values_list("pk", flat=True)]


def test_a_virtual_account_waits_for_its_deposit_instead_of_expiring(toss, order):
    key, result = _virtual_account(toss, order)

    assert result.state == "waiting_for_deposit"
    payment = Payment.objects.get()
    assert payment.virtual_account["account_number"] == "X6505636518308"
    order.refresh_from_db()
    assert order.payment_due_at >= payment.virtual_account["due_date"]
    assert order_services.orders_expire_unpaid(now=timezone.now() + timedelta(hours=2)) == 0


def test_a_deposit_callback_with_the_right_secret_marks_the_order_paid(toss, order, client):
    key, _ = _virtual_account(toss, order)

    response = _post(client, toss.deposit(key))

    assert response.status_code == 200
    assert _process_all() == ["applied: DONE"]
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_a_deposit_callback_with_a_wrong_secret_changes_nothing(toss, order, client):
    key, _ = _virtual_account(toss, order)
    toss.deposit(key)

    _post(client, toss.deposit_callback(key, secret="forged"))

    assert _process_all() == ["deposit callback with a wrong secret"]
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_an_expired_virtual_account_releases_the_stock(toss, order, client):
    key, _ = _virtual_account(toss, order)

    _post(client, toss.expire_deposit(key))
    _process_all()

    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert set(Sku.objects.filter(order_lines__order=order).values_list("stock", flat=True)) == {10}


def test_a_forged_status_change_is_checked_with_toss_and_changes_nothing(toss, order, client):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    services._attempt_begin(order=order, payment_key=key, amount=order.total)
    forged = toss.status_changed(key)
    forged["data"]["status"] = "DONE"  # Toss itself still says IN_PROGRESS: the customer never paid

    _post(client, forged)
    _process_all()

    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_a_status_change_toss_confirms_is_applied_and_its_replay_is_stored_once(toss, order, client):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    services._attempt_begin(order=order, payment_key=key, amount=order.total)
    toss.confirm({"paymentKey": key, "orderId": order.number, "amount": order.total})
    body = toss.status_changed(key)

    assert _post(client, body).status_code == 200
    assert _post(client, body).status_code == 200

    assert WebhookEvent.objects.count() == 1
    _process_all()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[" * 5000 + b"]" * 5000,
        b'{"eventType": "SOMETHING_ELSE"}',
        b'{"eventType": 1, "data": []}',
        b"[]",
    ],
    ids=["not-json", "deep", "unknown-event", "wrong-types", "array"],
)
def test_malformed_or_unknown_webhooks_are_answered_200_and_change_nothing(toss, order, client, body):
    response = client.post(WEBHOOK, body, content_type="application/json")

    assert response.status_code == 200
    _process_all()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT
    assert not Payment.objects.exists()


def test_a_webhook_is_answered_without_calling_toss(toss, order, client):
    key, _ = _virtual_account(toss, order)
    before = len(toss.requests)

    _post(client, toss.deposit(key))

    assert len(toss.requests) == before  # the task reads Toss, never the request


def test_canceling_an_unpaid_order_cancels_its_virtual_account_at_toss(toss, order):
    key, _ = _virtual_account(toss, order)

    services.order_cancel_and_refund(order=order, actor=order.user)
    tasks.void_virtual_account(Payment.objects.get().pk)

    assert toss.payments[key].status == "CANCELED"
    assert Payment.objects.get().status == "CANCELED"
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED


@pytest.mark.django_db(transaction=True)
def test_toss_posting_a_deposit_to_the_running_store_is_answered_200_and_applied(toss, order, live_server):
    key, _ = _virtual_account(toss, order)

    response = toss.send_webhook(live_server.url + WEBHOOK, toss.deposit(key))

    assert response.status_code == 200 and response.json() == {"received": True}
    _process_all()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
