"""Sale prices where customers see prices: the product page and lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_the_product_page_shows_the_sale_price_and_the_regular_price_struck(client):
    product = ProductFactory(price=30000, sale_price=24000, sale_ends_at=timezone.now() + timedelta(days=1))
    page = client.get(product.get_absolute_url()).content.decode()
    assert '<del class="regular-price">30,000원</del> <span class="sale-price">24,000원</span>' in page


def test_a_sale_that_ended_shows_the_regular_price_alone(client):
    product = ProductFactory(price=30000, sale_price=24000, sale_ends_at=timezone.now() - timedelta(days=1))
    page = client.get(product.get_absolute_url()).content.decode()
    assert "24,000원" not in page and "30,000원" in page


def test_the_coupon_box_page_lists_the_customers_coupons(client, user):
    from pricing.models import CouponGrant
    from tests.factories import CouponFactory

    CouponGrant.objects.create(coupon=CouponFactory(code="", name="생일 쿠폰", value=3000), user=user)
    client.force_login(user)
    page = client.get("/accounts/coupons/").content.decode()
    assert "생일 쿠폰" in page and "3,000원" in page


def test_the_coupon_box_page_needs_a_log_in(client):
    assert client.get("/accounts/coupons/").status_code == 302
