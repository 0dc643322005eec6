"""The payment pages through Django's test client: the widget on the order page, Toss's returns, cancel."""

import pytest
from django.urls import reverse

from orders.models import Order
from payments.models import Payment
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SUCCESS = reverse("payments:toss-success")


@pytest.fixture
def customer(client, order):
    client.login(email=order.user.email, password=PASSWORD)
    return client


def _success(client, toss, order, amount=None):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    query = {"paymentType": "NORMAL", "orderId": order.number, "paymentKey": key, "amount": amount or order.total}
    return key, client.get(SUCCESS, query, follow=True)


def test_the_order_page_embeds_toss_s_widget_with_the_order_s_own_figures(customer, order):
    page = customer.get(order.get_absolute_url()).content.decode()

    assert '<script src="https://js.tosspayments.com/v2/standard"></script>' in page
    assert f'data-amount="{order.total}"' in page and f'data-order-id="{order.number}"' in page
    assert f'data-customer-key="{order.user.payment_customer_key}"' in page
    assert order.user.email not in page.split('data-customer-key="')[1].split('"')[0]
    assert 'data-success-url="http://testserver/payments/toss/success/"' in page
    assert "외 1건" in page  # 주문명: the first product and how many more


def test_a_payment_returns_to_a_paid_order_page_and_a_replay_changes_nothing(customer, toss, order):
    key, response = _success(customer, toss, order)

    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    page = response.content.decode()
    assert "결제가 완료되었습니다" in page and "결제 완료" in page
    assert "js.tosspayments.com" not in page

    again = customer.get(SUCCESS, {"orderId": order.number, "paymentKey": key, "amount": order.total}, follow=True)
    assert "결제 완료" in again.content.decode()
    assert toss.executed["confirm", key] == 1 and Payment.objects.count() == 1


def test_a_tampered_amount_shows_a_clear_page_and_charges_nothing(customer, toss, order):
    key, response = _success(customer, toss, order, amount=100)

    assert response.status_code == 400
    assert "결제 금액이 주문 금액과 다릅니다" in response.content.decode()
    assert toss.executed["confirm", key] == 0
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_another_customers_order_cannot_be_paid_from_the_success_url(client, toss, order):
    client.force_login(UserFactory())
    key, response = _success(client, toss, order)

    assert response.status_code == 404
    assert toss.executed["confirm", key] == 0


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"orderId": "x", "paymentKey": "k", "amount": "١٠٠"},
        {"orderId": "abcdef", "paymentKey": "k", "amount": "9" * 30},
    ],
    ids=["nothing", "non-ascii-digits", "huge"],
)
def test_a_broken_success_url_is_a_clear_400(customer, toss, query):
    response = customer.get(SUCCESS, query)
    assert response.status_code == 400
    assert toss.requests == []


def test_the_fail_url_shows_toss_s_message_and_keeps_the_order_payable(customer, order):
    response = customer.get(
        reverse("payments:toss-fail"),
        {"code": "PAY_PROCESS_CANCELED", "message": "사용자에 의해 결제가 취소되었습니다.", "orderId": order.number},
    )

    page = response.content.decode()
    assert "결제창을 닫으셨습니다" in page and "사용자에 의해 결제가 취소되었습니다." in page
    assert order.get_absolute_url() in page
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_a_confirm_toss_does_not_answer_shows_that_the_payment_is_being_checked(customer, toss, order):
    toss.fault("confirm", "stall", seconds=1.5, after_work=True)

    _, response = _success(customer, toss, order)

    assert "결제를 확인하고 있습니다" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_a_customer_cancels_a_paid_order_from_its_page_and_sees_the_refund(customer, toss, order):
    _success(customer, toss, order)

    response = customer.post(reverse("payments:order-cancel", args=[order.number]), follow=True)

    page = response.content.decode()
    assert "주문을 취소했습니다" in page or "주문이 취소되었습니다" in page
    assert "환불 완료" in page and "72,900원" in page
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED


def test_only_the_order_page_allows_toss_s_widget_origins(customer, order):
    order_page = customer.get(order.get_absolute_url())["Content-Security-Policy"]
    cart_page = customer.get(reverse("orders:cart"))["Content-Security-Policy"]

    assert "https://js.tosspayments.com" in order_page and "frame-src https://*.tosspayments.com" in order_page
    assert "tosspayments" not in cart_page
    assert "'unsafe-inline'" not in order_page
