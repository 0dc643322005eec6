"""A page of cards reads its products' images, SKUs and category in one query each, set as the products' own
relations: what a card reads afterwards is what Django's prefetch would have given, with no further query."""

import pytest

from catalog.models import Product
from catalog.selectors import _with_listing_relations, products_with_card_relations
from tests.factories import ProductFactory, ProductImageFactory, product_with_options

pytestmark = pytest.mark.django_db


def seen(product):
    """What the product's card and page read of its relations."""
    return (
        [(image.id, image.product is product) for image in product.images.all()],
        product.primary_image.id if product.primary_image else None,
        sorted((sku.id, sku.stock, sku.product is product) for sku in product.skus.all()),
        product.stock_state,
        product.category.name,
    )


def test_card_relations_are_what_the_prefetch_gives_without_another_query(django_assert_num_queries):
    shoes = product_with_options(options={"색상": ["블랙", "화이트"], "사이즈": ["250", "260"]}, stock=3)
    pictured = ProductFactory(name="사진 있는 가방")
    second = ProductImageFactory(product=pictured, is_primary=False, with_renditions=False)
    first = ProductImageFactory(product=pictured, is_primary=True, with_renditions=False)
    bare = ProductFactory(name="사진 없는 컵")
    ids = [shoes.id, pictured.id, bare.id]
    prefetched = {p.id: seen(p) for p in _with_listing_relations(Product.objects.filter(id__in=ids))}
    with django_assert_num_queries(4):  # the products with their ratings, images, SKUs, categories
        products = products_with_card_relations(ids, category=True)
        assert {p.id: seen(p) for p in products} == prefetched
    assert prefetched[pictured.id][0] == [(first.id, True), (second.id, True)]
    assert len(prefetched[shoes.id][2]) == 5  # four combinations and the option-less SKU, deactivated


def test_no_products_no_queries(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert products_with_card_relations([0], category=True) == []
