"""The payments API for the mobile app: confirm, an order's payment, cancel with refund."""

import pytest
from rest_framework.test import APIClient

from orders.models import Order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CONFIRM = "/api/v1/payments/toss/confirm/"


@pytest.fixture
def api(order):
    client = APIClient()
    client.force_authenticate(order.user)
    return client


def _confirm(api, toss, order, amount=None):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    body = {"paymentKey": key, "orderId": order.number, "amount": order.total if amount is None else amount}
    return key, api.post(CONFIRM, body, format="json")


def test_the_app_confirms_a_payment_and_gets_the_paid_state(api, toss, order):
    _, response = _confirm(api, toss, order)

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "paid"
    assert body["payment"]["order_status"] == "paid"
    assert body["payment"]["paid_amount"] == order.total
    assert body["payment"]["payment"]["method"] == "카드"


def test_the_same_confirm_twice_charges_once_and_answers_the_same(api, toss, order):
    key, first = _confirm(api, toss, order)
    again = api.post(CONFIRM, {"paymentKey": key, "orderId": order.number, "amount": order.total}, format="json")

    assert again.status_code == 200 and again.json()["state"] == first.json()["state"] == "paid"
    assert toss.executed["confirm", key] == 1


def test_a_tampered_amount_is_a_400_in_the_api_s_error_shape(api, toss, order):
    _, response = _confirm(api, toss, order, amount=1000)

    assert response.status_code == 400
    assert response.json()["code"] == "amount_mismatch"
    assert response.json()["details"] == {"expected": order.total, "amount": 1000}


def test_another_customers_order_is_a_404(toss, order):
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    key, response = _confirm(stranger, toss, order)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert toss.executed["confirm", key] == 0


def test_a_confirm_whose_outcome_is_unknown_is_a_202_to_poll(api, toss, order):
    toss.fault("confirm", "error", status=500, after_work=True)
    _, response = _confirm(api, toss, order)

    assert response.status_code == 202
    assert response.json()["state"] == "processing"
    polled = api.get(f"/api/v1/orders/{order.number}/payment/")
    assert polled.json()["phase"] == "processing"


def test_a_declined_card_is_a_402_with_toss_s_code(api, toss, order):
    key = toss.authenticate(order_id=order.number, amount=order.total, decline="REJECT_CARD_COMPANY")
    response = api.post(CONFIRM, {"paymentKey": key, "orderId": order.number, "amount": order.total}, format="json")

    assert response.status_code == 402
    assert response.json()["details"]["toss_code"] == "REJECT_CARD_COMPANY"


@pytest.mark.parametrize(
    "body",
    [{}, {"paymentKey": "a b", "orderId": "x", "amount": 1}, {"paymentKey": "k", "orderId": "abcdefg", "amount": -1}],
)
def test_invalid_confirm_bodies_are_400(api, body):
    response = api.post(CONFIRM, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_app_cancels_a_paid_order_and_sees_the_refund(api, toss, order):
    _confirm(api, toss, order)

    response = api.post(f"/api/v1/orders/{order.number}/cancel/", {"reason": "단순 변심"}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "canceled"
    payment = api.get(f"/api/v1/orders/{order.number}/payment/").json()
    assert payment["refunded_amount"] == order.total
    assert payment["refunds"][0]["status"] == "done"
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED


def test_another_customers_payment_cannot_be_read(toss, order):
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.get(f"/api/v1/orders/{order.number}/payment/").status_code == 404
    assert stranger.post(f"/api/v1/orders/{order.number}/cancel/", {}, format="json").status_code == 404
