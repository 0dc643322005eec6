import pytest

from orders import services as order_services
from tests.factories import ProductFactory, UserFactory
from tests.payments.conftest import HOME


def deliver(user, product, quantity=1):
    """A delivered order of ``product`` for ``user``; returns its line."""
    order = order_services.order_place(user=user, address=HOME, lines=[(product.skus.get().id, quantity)])
    order_services.order_mark_paid(order=order)
    order_services.order_mark_preparing(order=order)
    order_services.order_mark_shipped(order=order, courier="cj", tracking_number="1")
    order_services.order_mark_delivered(order=order)
    return order.lines.get()


@pytest.fixture
def reviewed_product(db):
    return ProductFactory(name="한울 텀블러", stock=100)


@pytest.fixture
def delivered_line(user, reviewed_product):
    return deliver(user, reviewed_product)


@pytest.fixture
def make_review(reviewed_product):
    """make_review(rating, photos=()) -> a review of ``reviewed_product`` by a new customer."""
    from reviews import services

    def make(rating, body="좋아요", photos=()):
        customer = UserFactory()
        line = deliver(customer, reviewed_product)
        return services.review_create(user=customer, order_line_id=line.pk, rating=rating, body=body, photos=photos)

    return make
