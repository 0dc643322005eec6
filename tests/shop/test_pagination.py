import pytest

from catalog.models import Product
from shop.pagination import CappedPaginator
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_a_count_under_the_cap_is_exact():
    ProductFactory.create_batch(3)
    paginator = CappedPaginator(Product.objects.order_by("id"), 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (3, False, 2)


def test_a_count_over_the_cap_stops_at_it_and_says_so():
    ProductFactory.create_batch(7)
    paginator = CappedPaginator(Product.objects.order_by("id"), 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, True, 3)


def test_the_count_reads_no_more_than_the_cap(django_assert_num_queries):
    ProductFactory.create_batch(7)
    paginator = CappedPaginator(Product.objects.order_by("id"), 2, cap=5)
    with django_assert_num_queries(1) as queries:
        assert paginator.capped
    assert "LIMIT 6" in queries.captured_queries[0]["sql"]
