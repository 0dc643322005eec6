"""The order emails' relay (notifications.services): one task sends every email recorded meanwhile, each once,
however many relays run at the same time, and a failed send goes on to its own retrying task."""

import pytest
from django.db import connections

from accounts.models import User
from notifications import services
from notifications.models import OrderEmail
from orders import services as order_services
from tests.factories import OrderFactory, ProductFactory, UserFactory
from tests.orders.concurrency import run_together
from tests.payments.conftest import HOME


def _recorded(count, commit):
    """``count`` orders committed with their emails recorded, no relay run yet (the hooks are held back)."""
    product = ProductFactory(stock=100)
    with commit():  # the hooks are captured and never run: nobody has relayed yet
        orders = [
            order_services.order_place(user=UserFactory(), address=HOME, lines=[(product.skus.get().id, 1)])
            for _ in range(count)
        ]
    assert OrderEmail.objects.filter(status=OrderEmail.Status.PENDING).count() == count
    return orders


def _each_once(smtp, orders):
    """Each order's number in exactly one message, and no other message."""
    texts = [message.get_body(("plain",)).get_content() for message in smtp.messages]
    return len(texts) == len(orders) and all(sum(o.number in text for text in texts) == 1 for o in orders)


@pytest.mark.django_db
def test_one_relay_sends_every_email_recorded_meanwhile(smtp, django_capture_on_commit_callbacks):
    orders = _recorded(3, django_capture_on_commit_callbacks)

    assert services.order_emails_relay() == 3

    assert _each_once(smtp, orders)
    assert not OrderEmail.objects.exclude(status=OrderEmail.Status.SENT).exists()


@pytest.mark.django_db
def test_a_relay_leaves_sent_and_already_tried_emails_alone(smtp, django_capture_on_commit_callbacks):
    sent, failed, fresh = _recorded(3, django_capture_on_commit_callbacks)
    OrderEmail.objects.filter(order=sent).update(status=OrderEmail.Status.SENT)
    OrderEmail.objects.filter(order=failed).update(status=OrderEmail.Status.FAILED, attempts=1)

    assert services.order_emails_relay(batch=1) == 1  # batches of one: it pages on past the rows it skips

    assert _each_once(smtp, [fresh])
    assert OrderEmail.objects.get(order=failed).status == OrderEmail.Status.FAILED  # the sweep's, not the relay's


@pytest.mark.django_db
def test_a_failed_send_in_a_relay_is_retried_by_its_own_task(smtp, django_capture_on_commit_callbacks):
    _recorded(1, django_capture_on_commit_callbacks)
    smtp.refuse(1)

    services.order_emails_relay()

    email = OrderEmail.objects.get()
    assert (email.status, email.attempts) == (OrderEmail.Status.SENT, 2)
    assert len(smtp.messages) == 1


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_relays_running_at_once_send_each_email_once(smtp):
    orders = OrderFactory.create_batch(8)
    for order in orders:  # recorded with no relay queued (outside a transaction the hook would run at once)
        OrderEmail.objects.create(order=order, kind=OrderEmail.Kind.PLACED, event_key=f"{order.pk}:placed:",
                                  to=order.user.email)  # fmt: skip

    outcomes = run_together([services.order_emails_relay] * 4)

    assert [exc for _, exc in outcomes if exc is not None] == []
    assert sum(sent for sent, _ in outcomes) == 8
    assert _each_once(smtp, orders)
    assert OrderEmail.objects.filter(status=OrderEmail.Status.SENT).count() == 8


@pytest.mark.django_db
def test_placing_orders_sends_their_emails_through_the_relay(smtp, django_capture_on_commit_callbacks):
    product = ProductFactory(stock=10)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            order_services.order_place(user=UserFactory(), address=HOME, lines=[(product.skus.get().id, 1)])
    assert len(smtp.messages) == 2
    assert set(OrderEmail.objects.values_list("status", "attempts")) == {(OrderEmail.Status.SENT, 1)}


def test_a_commit_in_the_first_half_of_the_delay_is_left_to_the_queued_relay(settings, monkeypatch):
    """The relay a process queued at t (running at t + delay) covers commits before t + delay / 2 only: the other
    half is the margin for a worker whose clock runs ahead."""
    settings.ORDER_EMAIL_RELAY_SECONDS = 2.0
    monkeypatch.setattr(services._Relay, "due", 100.0 + 2.0)  # queued at t = 100
    assert services._relay_queued_covers(100.0)
    assert services._relay_queued_covers(100.9)
    assert not services._relay_queued_covers(101.0)
    assert not services._relay_queued_covers(103.0)


@pytest.mark.django_db
def test_an_email_that_cannot_be_built_is_counted_and_does_not_stop_the_relay(smtp, django_capture_on_commit_callbacks):
    broken, fine = _recorded(2, django_capture_on_commit_callbacks)
    OrderEmail.objects.filter(order=broken).update(to="not an address\nBcc: x@example.com")

    services.order_emails_relay()

    assert _each_once(smtp, [fine])
    failed = OrderEmail.objects.get(order=broken)
    assert failed.status == OrderEmail.Status.FAILED and failed.attempts >= 1 and failed.last_error
    assert services.order_emails_relay() == 0  # a later relay does not trip over it again


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_a_customer_row_locked_by_a_checkout_does_not_hide_their_email_from_the_relay(smtp):
    order = OrderFactory()
    OrderEmail.objects.create(order=order, kind=OrderEmail.Kind.PLACED, event_key=f"{order.pk}:placed:",
                              to=order.user.email)  # fmt: skip
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:  # another transaction holds the customer's row (a checkout saving an address)
            cursor.execute(f"SELECT id FROM {User._meta.db_table} WHERE id = %s FOR UPDATE", [order.user_id])
        assert services.order_emails_relay() == 1
    finally:
        other.rollback()
        other.close()
    assert _each_once(smtp, [order])
