"""Order numbers a person can read out: the Korean date and 8 random digits, unique, valid as Toss's orderId."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from orders import services
from orders.models import Order
from tests.factories import OrderFactory, ProductFactory, UserFactory

from .conftest import HOME

pytestmark = pytest.mark.django_db

TOSS_ORDER_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")


def _place():
    return services.order_place(user=UserFactory(), address=HOME, lines=[(ProductFactory().skus.get().id, 1)])


def test_an_order_number_is_the_korean_date_and_eight_digits():
    number = _place().number
    assert re.fullmatch(rf"{timezone.localdate():%Y%m%d}-\d{{8}}", number)
    assert TOSS_ORDER_ID.match(number)


def test_a_taken_number_is_drawn_again(monkeypatch):
    taken = OrderFactory(number=f"{timezone.localdate():%Y%m%d}-00000007")
    draws = iter([7, 7, 12345678])
    monkeypatch.setattr("orders.models.secrets.randbelow", lambda n: next(draws))
    order = _place()
    assert order.number == f"{timezone.localdate():%Y%m%d}-12345678" != taken.number
    assert Order.objects.count() == 2


def test_orders_placed_before_keep_their_numbers(client, user):
    old = OrderFactory(user=user, number="CCsXZ6UPRP2B87gArH2nag")
    client.force_login(user)
    assert client.get(reverse("orders:detail", args=[old.number])).status_code == 200
