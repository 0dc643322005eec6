"""Staff refunds in the admin: by line and quantity, or the whole order; a resubmitted form refunds once."""

import re

import pytest
from django.urls import reverse

from orders.models import Order
from payments import services
from payments.models import Refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(toss, order):
    key = toss.authenticate(order_id=order.number, amount=order.total)
    services.payment_confirm(user=order.user, order_number=order.number, payment_key=key, amount=order.total)
    return key


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def _form(staff, order):
    page = staff.get(reverse("admin:payments_order_refund", args=[order.pk])).content.decode()
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    return page, nonce


def test_the_order_admin_links_to_its_payment_page(staff, order):
    page = staff.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert reverse("admin:payments_order_refund", args=[order.pk]) in page


def test_staff_refund_one_unit_of_a_line_and_a_resubmission_changes_nothing(staff, toss, order, paid):
    dear = order.lines.order_by("unit_price").last()
    page, nonce = _form(staff, order)
    data = {"action": "lines", "reason": "파손", "nonce": nonce, f"line_{dear.id}": "1"}
    url = reverse("admin:payments_order_refund", args=[order.pk])

    first = staff.post(url, data, follow=True)
    staff.post(url, data, follow=True)

    assert "30,000원" in first.content.decode()
    assert Refund.objects.get().amount == 30000
    assert toss.executed["cancel", paid] == 1
    dear.refresh_from_db()
    assert dear.refunded_quantity == 1


def test_staff_cancel_a_paid_order_with_its_refund(staff, toss, order, paid):
    _, nonce = _form(staff, order)

    staff.post(
        reverse("admin:payments_order_refund", args=[order.pk]),
        {"action": "cancel", "reason": "재고 부족", "nonce": nonce},
    )

    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED
    assert toss.payments[paid].status == "CANCELED"


def test_a_paid_order_cannot_be_canceled_from_the_order_form_without_a_refund(staff, order, paid):
    page = staff.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert 'value="canceled"' not in page


def test_customers_cannot_open_the_refund_page(client, user, order):
    client.force_login(user)
    response = client.get(reverse("admin:payments_order_refund", args=[order.pk]))
    assert response.status_code == 302  # to the admin log-in
