"""Pricing a cart or an order from the database (pricing.quotes), and orders that keep that breakdown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Sku
from orders import services
from pricing.exceptions import CouponMinimumNotMet, CouponNotApplicable
from pricing.quotes import price_quote
from tests.factories import CategoryFactory, CouponFactory, ProductFactory, UserFactory, product_with_options, sku_of

from .conftest import JEJU, SEOUL, ULLEUNG

pytestmark = pytest.mark.django_db


def _sku(product) -> Sku:
    return Sku.objects.select_related("product").get(product=product)


def test_a_sale_price_in_its_period_is_the_price():
    now = timezone.now()
    product = ProductFactory(price=20000, sale_price=15000, sale_starts_at=now - timedelta(hours=1))
    assert price_quote(lines=[(_sku(product), 2)]).subtotal == 30000


def test_a_sale_price_outside_its_period_is_ignored():
    now = timezone.now()
    ended = ProductFactory(price=20000, sale_price=15000, sale_ends_at=now - timedelta(seconds=1))
    later = ProductFactory(price=20000, sale_price=15000, sale_starts_at=now + timedelta(days=1))
    assert price_quote(lines=[(_sku(ended), 1), (_sku(later), 1)]).subtotal == 40000


def test_a_skus_price_difference_is_added_to_the_sale_price():
    product = product_with_options(options={"사이즈": ["S", "XL"]}, price=20000, sale_price=16000)
    xl = sku_of(product, "XL")
    xl.price_delta = 2000
    xl.save()
    line = price_quote(lines=[(Sku.objects.select_related("product").get(pk=xl.pk), 1)]).lines[0]
    assert (line.unit_price, line.regular_unit_price) == (18000, 22000)


def test_shipping_is_charged_under_the_threshold_and_says_how_much_more_is_free(shipping_fees):
    quote = price_quote(lines=[(_sku(ProductFactory(price=12900)), 3)])
    assert (quote.subtotal, quote.shipping_fee, quote.total) == (38700, 3000, 41700)
    assert quote.free_shipping_remaining == 11300


def test_shipping_is_free_over_the_threshold(shipping_fees):
    quote = price_quote(lines=[(_sku(ProductFactory(price=25000)), 2)])
    assert (quote.shipping_fee, quote.total, quote.free_shipping_remaining) == (0, 50000, 0)


def test_the_threshold_is_measured_after_the_discount(shipping_fees):
    coupon = CouponFactory(value=5000)
    quote = price_quote(lines=[(_sku(ProductFactory(price=25000)), 2)], coupon=coupon)
    assert (quote.discount, quote.shipping_fee, quote.total) == (5000, 3000, 48000)


def test_jeju_postal_codes_pay_the_surcharge(shipping_fees, surcharges):
    quote = price_quote(lines=[(_sku(ProductFactory(price=60000)), 1)], postal_code=JEJU.postal_code)
    assert (quote.shipping_surcharge, quote.shipping_fee) == (3000, 3000)


def test_remote_island_postal_codes_pay_their_surcharge_on_top_of_the_base_fee(shipping_fees, surcharges):
    quote = price_quote(lines=[(_sku(ProductFactory(price=10000)), 1)], postal_code=ULLEUNG.postal_code)
    assert quote.shipping_fee == 8000


def test_other_postal_codes_pay_no_surcharge(shipping_fees, surcharges):
    quote = price_quote(lines=[(_sku(ProductFactory(price=10000)), 1)], postal_code=SEOUL.postal_code)
    assert quote.shipping_fee == 3000


def test_a_percentage_coupon_shares_its_discount_over_the_lines_exactly():
    coupon = CouponFactory(kind="percent", value=10)
    skus = [_sku(ProductFactory(price=price)) for price in (3333, 4444, 1)]
    quote = price_quote(lines=[(sku, 1) for sku in skus], coupon=coupon)
    assert quote.discount == 777
    assert sum(line.discount_share for line in quote.lines) == 777


def test_a_category_coupon_discounts_only_that_categorys_products():
    shoes, bags = CategoryFactory(), CategoryFactory()
    coupon = CouponFactory(kind="percent", value=50)
    coupon.categories.add(shoes)
    shoe, bag = ProductFactory(category=shoes, price=10000), ProductFactory(category=bags, price=10000)
    quote = price_quote(lines=[(_sku(shoe), 1), (_sku(bag), 1)], coupon=coupon)
    assert [line.discount_share for line in quote.lines] == [5000, 0]


def test_a_category_coupon_covers_the_categorys_children():
    parent = CategoryFactory()
    coupon = CouponFactory(value=1000)
    coupon.categories.add(parent)
    product = ProductFactory(category=CategoryFactory(parent=parent), price=10000)
    assert price_quote(lines=[(_sku(product), 1)], coupon=coupon).discount == 1000


def test_a_product_coupon_without_its_product_does_not_apply():
    coupon = CouponFactory()
    coupon.products.add(ProductFactory())
    with pytest.raises(CouponNotApplicable):
        price_quote(lines=[(_sku(ProductFactory()), 1)], coupon=coupon, strict=True)


def test_a_coupon_under_its_minimum_order_is_refused_with_the_minimum():
    coupon = CouponFactory(min_order_amount=30000)
    with pytest.raises(CouponMinimumNotMet) as refused:
        price_quote(lines=[(_sku(ProductFactory(price=12900)), 2)], coupon=coupon, strict=True)
    assert refused.value.details() == {"minimum": 30000}


def test_a_coupon_that_does_not_apply_is_left_out_of_a_quote_with_the_reason():
    coupon = CouponFactory(min_order_amount=30000)
    quote = price_quote(lines=[(_sku(ProductFactory(price=12900)), 1)], coupon=coupon)
    assert (quote.discount, quote.coupon, quote.coupon_error.code) == (0, None, "coupon_minimum_not_met")


def test_an_order_stores_its_breakdown_and_each_lines_share(shipping_fees, surcharges):
    user = UserFactory()
    a, b = ProductFactory(price=12000), ProductFactory(price=7000)
    coupon = CouponFactory(kind="percent", value=10)
    order = services.order_place(user=user, address=JEJU, lines=[(_sku(a).id, 2), (_sku(b).id, 1)], coupon=coupon)
    order.refresh_from_db()
    assert (order.subtotal, order.discount, order.shipping_fee, order.total) == (31000, 3100, 6000, 33900)
    assert (order.shipping_surcharge, order.shipping_base_fee, order.free_shipping_threshold) == (3000, 3000, 50000)
    assert sorted(order.lines.values_list("discount_share", flat=True)) == [700, 2400]


def test_an_orders_total_is_its_goods_plus_the_shipping_fee(shipping_fees):
    user = UserFactory()
    product = ProductFactory(price=12900)
    order = services.order_place(user=user, address=SEOUL, lines=[(_sku(product).id, 1)])
    assert order.total == 15900
