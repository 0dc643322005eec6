"""catalog.stock, the one writer of Sku.stock: deltas, conditional UPDATEs and a movement for each change."""

import pytest
from django.db import transaction

from catalog import stock
from catalog.exceptions import NegativeStock, OutOfStock
from catalog.models import Product, Sku, StockMovement
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ledger(sku):
    return sum(StockMovement.objects.filter(sku=sku).values_list("delta", flat=True))


def test_staff_adjustments_are_deltas_recorded_with_reason_and_actor():
    sku, staff = ProductFactory(stock=10).skus.get(), UserFactory(is_staff=True)
    stock.stock_adjust(sku=sku, delta=20, reason="received", note="입고", actor=staff)
    stock.stock_adjust(sku=sku, delta=-2, reason="damaged", note="파손", actor=staff)
    assert Sku.objects.get(pk=sku.pk).stock == 28 == _ledger(sku)
    assert StockMovement.objects.filter(sku=sku, actor=staff).count() == 2


def test_an_adjustment_below_zero_is_refused():
    sku = ProductFactory(stock=1).skus.get()
    with pytest.raises(NegativeStock):
        stock.stock_adjust(sku=sku, delta=-2, reason="damaged")
    assert Sku.objects.get(pk=sku.pk).stock == 1 == _ledger(sku)


def test_a_counted_target_is_applied_as_the_difference_at_that_moment():
    sku = ProductFactory(stock=10).skus.get()
    stock.stock_take(quantities={sku.id: 4}, reference="A")
    stock.stock_set(sku=sku, target=8, reason="correction")
    assert Sku.objects.get(pk=sku.pk).stock == 8 == _ledger(sku)
    assert StockMovement.objects.filter(sku=sku).first().delta == 2


def test_taking_more_than_is_left_takes_nothing_and_names_what_is_left():
    sku = ProductFactory(stock=2).skus.get()
    with pytest.raises(OutOfStock) as error, transaction.atomic():  # the caller's transaction, as order_place's
        stock.stock_take(quantities={sku.id: 3})
    assert error.value.lines[0].available == 2
    assert not StockMovement.objects.filter(sku=sku, reason="order").exists()


def test_a_product_off_sale_offers_nothing_even_with_stock():
    product = ProductFactory(stock=5, status=Product.Status.HIDDEN)
    assert product.skus.get().available == 0
