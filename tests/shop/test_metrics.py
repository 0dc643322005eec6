"""The store's own metrics: business events counted once they commit, refusals by code, the gauges read from the
database, Celery task outcomes, and one /metrics that merges every process."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from prometheus_client import REGISTRY, generate_latest

from catalog.exceptions import OutOfStock
from orders import services as order_services
from orders import tasks as order_tasks
from payments import services as payment_services
from payments.exceptions import PaymentRejected
from payments.models import Payment
from shop import metrics
from tests.factories import ProductFactory, UserFactory
from tests.payments.conftest import HOME

pytestmark = pytest.mark.django_db


def value(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0


def _place(user, *, price=10000, quantity=1, stock=10):
    sku = ProductFactory(price=price, stock=stock).skus.get()
    return order_services.order_place(user=user, address=HOME, lines=[(sku.id, quantity)])


def test_a_placed_order_is_counted_with_its_total_when_it_commits(django_capture_on_commit_callbacks):
    placed, won = value("shop_orders_placed_total"), value("shop_orders_placed_won_total")

    with django_capture_on_commit_callbacks(execute=True):
        _place(UserFactory(), price=12900, quantity=2)

    assert value("shop_orders_placed_total") == placed + 1
    assert value("shop_orders_placed_won_total") == won + 25800


def test_an_order_rolled_back_with_its_transaction_is_not_counted(django_capture_on_commit_callbacks):
    placed = value("shop_orders_placed_total")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _place(UserFactory())
        raise RuntimeError("the caller's transaction fails after the order was placed")

    assert value("shop_orders_placed_total") == placed


def test_an_out_of_stock_order_counts_a_refusal_by_its_code():
    refused = value("shop_order_refusals_total", code="out_of_stock")

    with pytest.raises(OutOfStock):
        _place(UserFactory(), quantity=3, stock=2)

    assert value("shop_order_refusals_total", code="out_of_stock") == refused + 1


def test_a_checkout_refused_inside_its_placing_counts_one_refusal_not_two():
    sku = ProductFactory(stock=1).skus.get()
    refused = value("shop_order_refusals_total", code="out_of_stock")

    with pytest.raises(OutOfStock):
        order_services.checkout(user=UserFactory(), address_id=None, new_address=_address(), lines=[(sku.id, 2)])

    assert value("shop_order_refusals_total", code="out_of_stock") == refused + 1


def _address():
    return {"recipient": HOME.recipient, "phone": HOME.phone, "postal_code": HOME.postal_code, "address": HOME.address}


def test_a_paid_confirm_counts_its_result_and_the_revenue(toss, django_capture_on_commit_callbacks):
    order = _place(UserFactory(), price=30000)
    paid, revenue = value("shop_payment_confirms_total", result="paid"), value("shop_orders_paid_won_total")
    key = toss.authenticate(order_id=order.number, amount=order.total)

    with django_capture_on_commit_callbacks(execute=True):
        payment_services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=30000)

    assert value("shop_payment_confirms_total", result="paid") == paid + 1
    assert value("shop_orders_paid_won_total") == revenue + 30000


def test_a_confirm_toss_declines_counts_as_payment_rejected(toss):
    order = _place(UserFactory())
    rejected = value("shop_payment_confirms_total", result="payment_rejected")
    key = toss.authenticate(order_id=order.number, amount=order.total, decline="REJECT_CARD_COMPANY")

    with pytest.raises(PaymentRejected):
        payment_services.payment_confirm(
            user=order.user, order_number=order.number, payment_key=key, amount=order.total
        )

    assert value("shop_payment_confirms_total", result="payment_rejected") == rejected + 1


def test_orders_awaiting_payment_and_payments_in_doubt_are_read_from_the_database():
    order = _place(UserFactory())
    _place(UserFactory())
    payment = Payment.objects.create(order=order, payment_key="k1", total_amount=order.total, balance_amount=0)
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - timedelta(minutes=20))

    assert value("shop_orders_awaiting_payment") == 2
    assert value("shop_payments_in_doubt") == 1
    assert 20 * 60 <= value("shop_payments_in_doubt_oldest_seconds") < 21 * 60


def test_a_celery_task_counts_its_outcome_and_duration():
    name = "orders.expire_unpaid_orders"
    done, timed = (
        value("shop_celery_tasks_total", task=name, outcome="success"),
        value("shop_celery_task_duration_seconds_count", task=name),
    )

    order_tasks.expire_unpaid_orders.delay()

    assert value("shop_celery_tasks_total", task=name, outcome="success") == done + 1
    assert value("shop_celery_task_duration_seconds_count", task=name) == timed + 1


COUNT_IN_A_CHILD_PROCESS = "from shop import metrics; metrics.ORDERS_PLACED.inc()"


def test_metrics_of_every_process_are_merged_under_a_multiprocess_directory(tmp_path, monkeypatch):
    """gunicorn's workers each count their own; /metrics adds them up (PROMETHEUS_MULTIPROC_DIR)."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    for _ in range(2):
        subprocess.run([sys.executable, "-c", COUNT_IN_A_CHILD_PROCESS], env=os.environ, check=True)

    exposition = generate_latest(metrics.registry()).decode()

    assert "shop_orders_placed_total 2.0" in exposition
    assert "shop_orders_awaiting_payment" in exposition, "the database gauges are added once, by this process"


@pytest.mark.redis
def test_the_wait_for_a_stock_lock_is_observed_and_a_busy_lock_counts_a_refusal(settings):
    import redis

    from catalog.exceptions import StockBusy

    settings.STOCK_LOCK_WAIT_SECONDS = 1
    acquired = value("shop_stock_lock_wait_seconds_count", outcome="acquired")
    busy, refused = (
        value("shop_stock_lock_wait_seconds_count", outcome="busy"),
        value("shop_order_refusals_total", code="stock_busy"),
    )
    _place(UserFactory())
    sku = ProductFactory(stock=5).skus.get()
    client = redis.Redis.from_url(settings.STOCK_LOCK_REDIS_URL)
    client.set(f"lock:stock:sku:{sku.id}", "another-order", ex=30)  # another order holds the stock lock
    try:
        with pytest.raises(StockBusy):
            order_services.order_place(user=UserFactory(), address=HOME, lines=[(sku.id, 1)])
    finally:
        client.delete(f"lock:stock:sku:{sku.id}")

    assert value("shop_stock_lock_wait_seconds_count", outcome="acquired") == acquired + 1
    assert value("shop_stock_lock_wait_seconds_count", outcome="busy") == busy + 1
    assert value("shop_stock_lock_wait_seconds_sum", outcome="busy") >= 1
    assert value("shop_order_refusals_total", code="stock_busy") == refused + 1
