"""Orders to pay, for the payments tests (the ``toss`` fake server fixture is in tests/conftest.py)."""

import pytest

from orders import services as order_services
from orders.services import ShippingAddress
from tests.factories import ProductFactory

HOME = ShippingAddress(
    recipient="김하늘", phone="010-1234-5678", postal_code="06236", address="서울특별시 강남구 테헤란로 123"
)


@pytest.fixture
def place_order(db):
    """place_order(user, [(price, quantity, stock), ...]) -> an order awaiting payment, through orders.services."""

    def place(user, lines=((12900, 1, 10),)):
        products = [ProductFactory(price=price, stock=stock) for price, _, stock in lines]
        wanted = [(product.skus.get().id, quantity) for product, (_, quantity, _) in zip(products, lines, strict=True)]
        return order_services.order_place(user=user, address=HOME, lines=wanted)

    return place


@pytest.fixture
def order(user, place_order):
    """A customer's order of two products: 12,900원 × 1 and 30,000원 × 2 (72,900원)."""
    return place_order(user, [(12900, 1, 10), (30000, 2, 10)])
