import pytest
from django.db.models import ProtectedError

from catalog.models import Product
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def test_only_on_sale_and_sold_out_products_are_visible():
    shown = {ProductFactory(status=Product.Status.ON_SALE), ProductFactory(status=Product.Status.SOLD_OUT)}
    ProductFactory(status=Product.Status.DRAFT)
    ProductFactory(status=Product.Status.HIDDEN)
    assert set(Product.objects.visible()) == shown


def test_a_category_with_products_cannot_be_deleted():
    product = ProductFactory()
    with pytest.raises(ProtectedError):
        product.category.delete()


def test_a_category_with_children_cannot_be_deleted():
    parent = CategoryFactory()
    CategoryFactory(parent=parent)
    with pytest.raises(ProtectedError):
        parent.delete()


def test_primary_image_prefers_the_marked_one():
    product = ProductFactory()
    ProductImageFactory(product=product, is_primary=False, position=0)
    marked = ProductImageFactory(product=product, is_primary=True, position=5)
    assert product.primary_image == marked


def test_purchasable_needs_on_sale_status_and_stock():
    assert ProductFactory(stock=1).is_purchasable
    assert not ProductFactory(stock=0).is_purchasable
    assert not ProductFactory(stock=5, status=Product.Status.SOLD_OUT).is_purchasable


def test_low_stock_is_five_or_fewer():
    assert ProductFactory(stock=5).is_low_stock
    assert not ProductFactory(stock=6).is_low_stock
