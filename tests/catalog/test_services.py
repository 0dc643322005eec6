import pytest

from catalog import services
from catalog.models import Product, ProductImage
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def test_set_status_changes_only_the_given_products():
    chosen, other = ProductFactory(status=Product.Status.DRAFT), ProductFactory(status=Product.Status.DRAFT)
    assert services.product_set_status(product_ids=[chosen.id], status=Product.Status.ON_SALE) == 1
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, other.status) == (Product.Status.ON_SALE, Product.Status.DRAFT)


def test_set_status_refuses_an_unknown_status():
    with pytest.raises(ValueError):
        services.product_set_status(product_ids=[ProductFactory().id], status="gone")


def test_settle_primary_keeps_exactly_one_primary():
    product = ProductFactory()
    first = ProductImageFactory(product=product, position=0)
    second = ProductImageFactory(product=product, position=1)
    ProductImage.objects.filter(product=product).update(is_primary=True)
    services.product_images_settle_primary(product=product)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (True, False)


def test_saving_an_image_marked_primary_unmarks_the_previous_primary():
    product = ProductFactory()
    first = ProductImageFactory(product=product, is_primary=True, position=0)
    second = ProductImageFactory(product=product, is_primary=True, position=1)
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


def test_settle_primary_promotes_the_first_image_when_none_is_marked():
    product = ProductFactory()
    first = ProductImageFactory(product=product, is_primary=False, position=0)
    ProductImageFactory(product=product, is_primary=False, position=1)
    services.product_images_settle_primary(product=product)
    first.refresh_from_db()
    assert first.is_primary
