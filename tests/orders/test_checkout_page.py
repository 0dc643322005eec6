"""The checkout page: 바로 구매, coupons and shipping before placing, the orderer, and the way in when logged out."""

import pytest
from django.urls import reverse

from orders.forms import new_checkout_token
from orders.models import CartItem, Order
from pricing.models import CouponGrant, ShippingSurcharge
from tests.factories import AddressFactory, CouponFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _buy_now(client, product, quantity):
    return client.post(reverse("orders:cart-add"), {"product_id": product.id, "quantity": quantity, "buy_now": "1"})


def test_buy_now_goes_to_a_checkout_of_that_product_and_leaves_the_cart(client, in_cart):
    other = ProductFactory(name="무선 마우스", price=30000)
    response = _buy_now(client, other, 2)
    assert response.url == f"{reverse('orders:checkout')}?sku={other.skus.get().id}&quantity=2"
    page = client.get(response.url)
    assert [(line.sku.product.name, line.quantity) for line in page.context["quote"].lines] == [("무선 마우스", 2)]
    assert list(CartItem.objects.values_list("quantity", flat=True)) == [2]


def test_buy_now_places_an_order_of_that_product_alone_and_the_cart_stays(client, customer, in_cart):
    address = AddressFactory(user=customer)
    other = ProductFactory(price=30000)
    sku = other.skus.get()
    response = client.post(
        f"{reverse('orders:checkout')}?sku={sku.id}&quantity=1",
        {"token": new_checkout_token(), "choice": str(address.id), "sku": sku.id, "quantity": 1},
    )
    order = Order.objects.get()
    assert response.url == order.get_absolute_url()
    assert list(order.lines.values_list("sku_id", "quantity")) == [(sku.id, 1)]
    assert list(CartItem.objects.values_list("quantity", flat=True)) == [2]


def test_buy_now_of_more_than_is_left_is_refused_before_checkout(client, customer):
    product = ProductFactory(stock=1)
    response = _buy_now(client, product, 3)
    assert reverse("orders:checkout") not in response.url
    assert not Order.objects.exists()


def test_adding_to_the_cart_says_so_with_a_link_to_the_cart(client, customer):
    product = ProductFactory(name="무선 마우스")
    response = client.post(reverse("orders:cart-add"), {"product_id": product.id, "quantity": 1}, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "무선 마우스" in message and f'href="{reverse("orders:cart")}"' in message


def test_checkout_logged_out_goes_to_log_in_with_a_reason_and_comes_back(client):
    response = client.get(reverse("orders:checkout"), follow=True)
    assert reverse("account_login") in response.redirect_chain[0][0]
    assert "next=/checkout/" in response.redirect_chain[0][0]
    assert any("Log in" in str(m) or "로그인" in str(m) for m in response.context["messages"])


def test_checkout_lists_saved_addresses_with_phone_and_postal_code(client, customer, in_cart):
    AddressFactory(user=customer, phone="010-2222-3333", postal_code="04524")
    page = client.get(reverse("orders:checkout")).content.decode()
    assert "010-2222-3333" in page and "(04524)" in page


def test_checkout_labels_have_no_colons(client, customer, in_cart):
    page = client.get(reverse("orders:checkout")).content.decode()
    assert ":</label>" not in page


def test_checkout_shows_the_orderer(client, customer, in_cart):
    page = client.get(reverse("orders:checkout")).content.decode()
    assert customer.email in page


def test_checkout_shows_the_fee_for_the_chosen_address(client, customer, in_cart, shipping_fees):
    ShippingSurcharge.objects.create(name="제주", postal_code_from="63000", postal_code_to="63644", fee=3000)
    AddressFactory(user=customer, postal_code="63100")
    quote = client.get(reverse("orders:checkout")).context["quote"]
    assert (quote.shipping_surcharge, quote.shipping_fee) == (3000, 3000)


def test_applying_a_coupon_previews_it_without_placing_anything(client, customer, in_cart):
    CouponFactory(code="HELLO", value=10000)
    response = client.post(
        reverse("orders:checkout"),
        {"token": new_checkout_token(), "coupon_code": "hello", "apply": "1", "choice": "new"},
    )
    assert response.status_code == 200
    assert response.context["quote"].discount == 10000
    assert not Order.objects.exists()


def test_applying_an_unknown_coupon_says_why(client, customer, in_cart):
    response = client.post(
        reverse("orders:checkout"), {"token": new_checkout_token(), "coupon_code": "NOPE", "apply": "1"}
    )
    assert response.context["quote"].coupon_error.code == "coupon_not_found"
    assert "coupon-error" in response.content.decode()


def test_placing_with_a_coupon_from_the_coupon_box_discounts_the_order(client, customer, in_cart):
    coupon = CouponFactory(code="", value=20000)
    CouponGrant.objects.create(coupon=coupon, user=customer)
    address = AddressFactory(user=customer)
    client.post(
        reverse("orders:checkout"), {"token": new_checkout_token(), "choice": str(address.id), "coupon_id": coupon.id}
    )
    order = Order.objects.get()
    assert (order.discount, order.total) == (20000, 2_560_000)


def test_canceling_asks_to_confirm_first(client, customer, in_cart):
    address = AddressFactory(user=customer)
    client.post(reverse("orders:checkout"), {"token": new_checkout_token(), "choice": str(address.id)})
    order = Order.objects.get()
    url = reverse("payments:order-cancel", args=[order.number])
    assert url in client.get(order.get_absolute_url()).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'class="stacked cancel-form"' in confirm.content.decode()
    assert Order.objects.get().status == Order.Status.PENDING_PAYMENT
    client.post(url)
    assert Order.objects.get().status == Order.Status.CANCELED


def test_the_order_page_shows_the_breakdown(client, customer, in_cart, shipping_fees):
    CouponFactory(code="TENK", value=10000)
    address = AddressFactory(user=customer)
    client.post(
        reverse("orders:checkout"), {"token": new_checkout_token(), "choice": str(address.id), "coupon_code": "TENK"}
    )
    page = client.get(Order.objects.get().get_absolute_url()).content.decode()
    assert "2,580,000원" in page and "−10,000원" in page and "2,570,000원" in page


def test_the_empty_cart_says_so_once_with_a_way_back_to_shopping(client, customer):
    response = client.get(reverse("orders:checkout"), follow=True)
    page = response.content.decode()
    assert page.count("장바구니가 비어") + page.count("Your cart is empty") == 1
    assert f'href="{reverse("home")}"' in page


def test_the_new_address_form_offers_the_postcode_search_and_its_policy_allows_daum(client, in_cart):
    page = client.get(reverse("orders:checkout"))
    assert b"data-postcode-search" in page.content
    assert "https://t1.daumcdn.net" in page["Content-Security-Policy"]
