"""Many customers reviewing one product at the same moment, with real threads on MariaDB: an exact aggregate."""

import pytest

from reviews import services
from reviews.models import ProductRating, Review
from tests.factories import ProductFactory, UserFactory
from tests.orders.concurrency import run_together
from tests.reviews.conftest import deliver

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

RATINGS = [5, 4, 3, 5, 1, 2, 5, 4, 3, 5, 4, 5]


def _review_together(product):
    customers = [UserFactory() for _ in RATINGS]
    lines = [deliver(customer, product) for customer in customers]

    def review(customer, line, rating):
        return lambda: services.review_create(user=customer, order_line_id=line.pk, rating=rating, body="동시에").pk

    return run_together([review(c, line, r) for c, line, r in zip(customers, lines, RATINGS, strict=True)])


def _assert_exact(product):
    rating = ProductRating.objects.get(product=product)
    assert (rating.count, rating.total) == (len(RATINGS), sum(RATINGS))
    assert rating.average == round(sum(RATINGS) * 100 / len(RATINGS))
    assert [rating_row["count"] for rating_row in rating.distribution] == [RATINGS.count(s) for s in (5, 4, 3, 2, 1)]


def test_simultaneous_first_reviews_of_a_product_count_exactly():
    product = ProductFactory(stock=100)

    outcomes = _review_together(product)

    assert all(error is None for _, error in outcomes), outcomes
    assert Review.objects.filter(product=product).count() == len(RATINGS)
    _assert_exact(product)


def test_simultaneous_reviews_and_a_hide_keep_the_aggregate_exact(staff_user):
    product = ProductFactory(stock=100)
    customer = UserFactory()
    first = services.review_create(user=customer, order_line_id=deliver(customer, product).pk, rating=1, body="첫")

    outcomes = _review_together(product) + run_together(
        [lambda: services.review_hide(review=first, reason="스팸", actor=staff_user)] * 3
    )

    assert all(error is None for _, error in outcomes), outcomes
    _assert_exact(product)
