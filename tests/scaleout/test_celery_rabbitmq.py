"""The money tasks on a real Celery worker consuming from RabbitMQ, killed (SIGKILL) in the middle of a task.

The worker talks to the Toss fake, which stalls the task's request to Toss until the test has killed the
worker: the message, acknowledged only after the task ends (``acks_late``), is delivered again and the task
runs again, and the payment it applies is applied once.
"""

import os
import signal
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from kombu import Connection

from config.celery import app as celery_app
from orders import services as order_services
from orders.models import Order, OrderEvent
from payments import services
from payments.models import Payment, PaymentEvent, WebhookEvent
from tests.factories import ProductFactory, UserFactory

from .servers import Process, store_environment, wait_for

pytestmark = [pytest.mark.mariadb, pytest.mark.redis, pytest.mark.rabbitmq, pytest.mark.django_db(transaction=True)]

CELERY = str(Path(sys.executable).parent / "celery")
HOME = order_services.ShippingAddress(
    recipient="김하늘", phone="010-1234-5678", postal_code="06236", address="서울특별시 강남구 테헤란로 123"
)


@pytest.fixture
def money_queue():
    """A queue of this test's own on the shared RabbitMQ, deleted afterwards."""
    name = f"test-money-{uuid.uuid4().hex[:12]}"
    yield name
    with Connection(os.environ["RABBITMQ_URL"]) as broker:
        broker.default_channel.queue_delete(name)


@pytest.fixture
def start_worker(toss, money_queue, tmp_path):
    """start_worker(pool) -> a `celery worker` process consuming the test's queue, on the test's database."""
    with connection.cursor():
        database = connection.settings_dict["NAME"]
    env = store_environment(
        database_url=f"mysql://root@127.0.0.1:3306/{database}",
        redis_url=django_settings.REDIS_URL,
        secret_key=django_settings.SECRET_KEY,
        CELERY_BROKER_URL=os.environ["RABBITMQ_URL"],
        TOSS_API_BASE=toss.url,
        TOSS_SECRET_KEY=toss.secret_key,
        TOSS_READ_TIMEOUT="40",
        LOG_LEVEL="INFO",
    )
    workers = []

    def start(pool):
        log = tmp_path / f"worker{len(workers) + 1}.log"
        command = [CELERY, "-A", "config", "worker", f"--pool={pool}", "--concurrency=1", "-Q", money_queue,
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]  # fmt: skip
        worker = Process(command, log=log, env=env)
        workers.append(worker)
        wait_for(lambda: "ready." in log.read_text(), seconds=90, what="celery worker", process=worker.popen, log=log)
        return worker

    yield start
    # Killed, not stopped: the test is over, and an idle worker notices SIGTERM only when its event loop's poll
    # ends (up to 10 s, kombu's hub): 10 s of every run. A message left unacknowledged goes back to the test's
    # queue, which money_queue deletes next.
    for worker in workers:
        worker.kill()


def _send(task, *args, queue):
    with Connection(os.environ["RABBITMQ_URL"]) as broker:
        celery_app.send_task(task, args=args, queue=queue, connection=broker)


def _order(user):
    product = ProductFactory(price=30_000, stock=10)
    return order_services.order_place(user=user, address=HOME, lines=[(product.skus.get().id, 2)])


def _toss_asked(toss, path, times):
    return sum(1 for method, asked, _ in list(toss.requests) if method == "GET" and asked == path) >= times


def _paid_events(order):
    return OrderEvent.objects.filter(order=order, to_status=Order.Status.PAID).count()


def test_a_resolution_whose_worker_is_killed_mid_task_runs_again_on_another_worker_and_pays_once(
    toss, start_worker, money_queue
):
    order = _order(UserFactory())
    key = toss.authenticate(order_id=order.number, amount=order.total)
    toss.fault("confirm", "stall", seconds=1.5, after_work=True)  # Toss approves; the store never hears it
    result = services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)
    assert result.state == "processing"
    payment = Payment.objects.get(order=order)

    first = start_worker("solo")
    toss.fault("get_by_order", "stall", seconds=60)
    _send("payments.resolve", payment.pk, queue=money_queue)
    lookup = f"/v1/payments/orders/{order.number}"
    wait_for(lambda: _toss_asked(toss, lookup, 1), seconds=60, what="the task asking Toss")
    os.killpg(first.popen.pid, signal.SIGKILL)
    first.popen.wait(timeout=10)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT

    start_worker("solo")
    wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID, seconds=60, what="the order paid")

    assert _toss_asked(toss, lookup, 2)
    assert toss.executed["confirm", key] == 1
    assert _paid_events(order) == 1
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.DONE


def test_a_webhook_whose_pool_process_is_killed_mid_task_is_rejected_back_and_applied_once(
    toss, start_worker, money_queue
):
    order = _order(UserFactory())
    key = toss.authenticate(order_id=order.number, amount=order.total, method="가상계좌")
    services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)
    callback = toss.deposit(key)  # the customer paid into the virtual account; Toss posts its callback
    event = services.webhook_receive(body=b"{}", digest=uuid.uuid4().hex, transmission_id="t1", data=callback)

    worker = start_worker("prefork")
    toss.fault("get", "stall", seconds=60)
    _send("payments.webhook", event.pk, queue=money_queue)
    wait_for(lambda: _toss_asked(toss, f"/v1/payments/{key}", 1), seconds=60, what="the task asking Toss")
    children = Path(f"/proc/{worker.popen.pid}/task/{worker.popen.pid}/children").read_text().split()
    os.kill(int(children[0]), signal.SIGKILL)  # the pool process running the task; the worker lives on

    wait_for(lambda: Order.objects.get(pk=order.pk).status == Order.Status.PAID, seconds=60, what="the order paid")
    wait_for(lambda: WebhookEvent.objects.get(pk=event.pk).processed_at is not None, seconds=30, what="processed")

    assert _toss_asked(toss, f"/v1/payments/{key}", 2)
    assert _paid_events(order) == 1
    assert PaymentEvent.objects.filter(payment__order=order, kind=PaymentEvent.Kind.WEBHOOK).count() == 1
    assert "WorkerLostError" in worker.log.read_text()
