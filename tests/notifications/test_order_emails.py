"""Order emails: recorded with their event, sent over real SMTP after the commit, once, retried on failure."""

import pytest
from django.db import transaction

from notifications import services, tasks
from notifications.models import OrderEmail
from orders import services as order_services
from orders.models import Order
from payments import services as payment_services
from tests.factories import ProductFactory, UserFactory
from tests.payments.conftest import HOME

pytestmark = pytest.mark.django_db


def _place(user, commit):
    product = ProductFactory(name="한울 무선 키보드", price=39000, stock=5)
    with commit(execute=True):
        return order_services.order_place(user=user, address=HOME, lines=[(product.skus.get().id, 2)])


def _pay(toss, order, commit, method="카드"):
    key = toss.authenticate(order_id=order.number, amount=order.total, method=method)
    with commit(execute=True):
        payment_services.payment_confirm(
            user=order.user, order_number=order.number, payment_key=key, amount=order.total
        )
    return key


def _parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_placing_an_order_emails_the_payment_deadline_in_korean(smtp, django_capture_on_commit_callbacks):
    user = UserFactory(email="buyer@example.com")
    order = _place(user, django_capture_on_commit_callbacks)

    [message] = smtp.messages
    text, html = _parts(message)
    assert message["To"] == "buyer@example.com"
    assert "주문이 접수되었습니다" in message["Subject"]
    assert order.number in text and order.number in html
    assert "한울 무선 키보드" in text and "78,000원" in html
    assert "결제를 완료해 주세요" in text


def test_an_email_has_a_plain_text_and_an_html_part(smtp, django_capture_on_commit_callbacks):
    _place(UserFactory(), django_capture_on_commit_callbacks)

    text, html = _parts(smtp.messages[0])
    assert "<table" in html and "<table" not in text


def test_nothing_is_sent_before_the_commit(smtp, user, django_capture_on_commit_callbacks):
    product = ProductFactory(stock=5)
    with django_capture_on_commit_callbacks() as callbacks:
        order_services.order_place(user=user, address=HOME, lines=[(product.skus.get().id, 1)])
        assert smtp.messages == []
    assert OrderEmail.objects.get().status == OrderEmail.Status.PENDING
    for callback in callbacks:
        callback()
    assert len(smtp.messages) == 1


def test_a_rolled_back_transition_records_no_email(user, django_capture_on_commit_callbacks):
    order = _place(user, django_capture_on_commit_callbacks)
    with pytest.raises(RuntimeError), transaction.atomic():
        order_services.order_cancel(order=order)
        raise RuntimeError
    assert list(OrderEmail.objects.values_list("kind", flat=True)) == ["placed"]


def test_the_same_event_records_one_email(user, django_capture_on_commit_callbacks):
    order = _place(user, django_capture_on_commit_callbacks)

    again = services.order_email_record(order=order, kind=OrderEmail.Kind.PLACED)

    assert again is None
    assert OrderEmail.objects.filter(kind="placed").count() == 1


def test_a_sent_email_is_not_sent_again_by_a_second_run(smtp, user, django_capture_on_commit_callbacks):
    order = _place(user, django_capture_on_commit_callbacks)
    email = OrderEmail.objects.get(order=order)

    assert tasks.send_order_email(email.pk) == "sent already"
    assert len(smtp.messages) == 1


def test_an_smtp_failure_is_retried_until_the_server_takes_it(smtp, user, django_capture_on_commit_callbacks):
    smtp.refuse(2)
    _place(user, django_capture_on_commit_callbacks)

    email = OrderEmail.objects.get()
    assert (email.status, email.attempts) == (OrderEmail.Status.SENT, 3)
    assert len(smtp.messages) == 1


def test_an_email_the_server_keeps_refusing_stays_failed_for_the_sweep(smtp, user, django_capture_on_commit_callbacks):
    smtp.refuse(100)
    _place(user, django_capture_on_commit_callbacks)

    email = OrderEmail.objects.get()
    assert email.status == OrderEmail.Status.FAILED and "451" in email.last_error
    smtp.refuse(0)
    OrderEmail.objects.filter(pk=email.pk).update(created_at=email.created_at.replace(year=2020))
    assert services.order_emails_send_pending() == 1
    assert OrderEmail.objects.get().status == OrderEmail.Status.SENT
    assert len(smtp.messages) == 1


def test_a_payment_emails_paid(smtp, toss, user, django_capture_on_commit_callbacks):
    order = _place(user, django_capture_on_commit_callbacks)
    _pay(toss, order, django_capture_on_commit_callbacks)

    assert [m["Subject"] for m in smtp.messages][1].endswith("결제가 완료되었습니다")


def test_a_virtual_account_emails_where_to_deposit(smtp, toss, user, django_capture_on_commit_callbacks):
    order = _place(user, django_capture_on_commit_callbacks)
    _pay(toss, order, django_capture_on_commit_callbacks, method="가상계좌")

    email = OrderEmail.objects.get(kind=OrderEmail.Kind.AWAITING_DEPOSIT)
    text, _html = _parts(smtp.messages[1])
    assert email.context["account_number"] and email.context["account_number"] in text
    assert "입금" in smtp.messages[1]["Subject"]


def test_shipping_emails_the_couriers_tracking_link(smtp, toss, user, django_capture_on_commit_callbacks):
    order = _place(user, django_capture_on_commit_callbacks)
    _pay(toss, order, django_capture_on_commit_callbacks)
    order_services.order_mark_preparing(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_mark_shipped(order=order, courier="cj", tracking_number="6012 3456 7890")

    text, html = _parts(smtp.messages[-1])
    assert "https://trace.cjlogistics.com/next/tracking.html?wblNo=6012%203456%207890" in text
    assert "CJ대한통운" in text
    assert "wblNo=6012%203456%207890" in html


def test_canceling_a_paid_order_emails_the_cancel_and_the_refund(smtp, toss, user, django_capture_on_commit_callbacks):
    order = _place(user, django_capture_on_commit_callbacks)
    _pay(toss, order, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        payment_services.order_cancel_and_refund(order=order, actor=user)

    kinds = list(OrderEmail.objects.order_by("id").values_list("kind", "status"))
    assert kinds == [("placed", "sent"), ("paid", "sent"), ("canceled", "sent"), ("refunded", "sent")]
    text, _html = _parts(smtp.messages[-1])
    assert "78,000원" in text
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED
