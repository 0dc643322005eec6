"""The admin in Korean: amounts as 219,700원, labels translated, no raw status codes, no two sections alike."""

import re

import pytest

from orders import services as order_services
from tests.factories import OrderFactory, ProductFactory
from tests.payments.conftest import HOME

pytestmark = pytest.mark.django_db


def test_the_product_list_shows_prices_in_won(admin_client):
    ProductFactory(price=219_700)
    html = admin_client.get("/admin/catalog/product/").content.decode()
    assert "219,700원" in html
    assert "admin-store/admin.css" in html


def test_the_order_page_shows_labels_and_status_names_not_codes(admin_client, user):
    product = ProductFactory(price=219_700, stock=3)
    order = order_services.order_place(user=user, address=HOME, lines=[(product.skus.get().id, 1)])
    html = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "219,700원" in text
    assert "pending_payment" not in text
    for raw in (" User ", " USER ", " PRODUCT ", " Product "):
        assert raw not in text, raw
    assert "고객" in text and "결제 대기" in text
    assert "219,700원" in admin_client.get("/admin/orders/order/").content.decode()


def test_no_two_admin_sections_share_a_title(admin_client):
    html = admin_client.get("/admin/").content.decode()
    titles = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", html)
    assert titles and len(titles) == len(set(titles)), titles


def test_a_payment_page_shows_its_amounts_in_won(admin_client, user):
    from payments.models import Payment

    order = OrderFactory(user=user, total=219_700)
    payment = Payment.objects.create(order=order, payment_key="pk-1", total_amount=219_700, balance_amount=219_700)
    html = admin_client.get(f"/admin/payments/payment/{payment.pk}/change/").content.decode()
    assert "219,700원" in html and "219700" not in html
