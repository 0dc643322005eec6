import pytest
from django.urls import reverse

from catalog.models import Product, Sku
from orders.cart import SESSION_KEY
from orders.models import CartItem
from tests.factories import PASSWORD, ProductFactory

pytestmark = pytest.mark.django_db


def _add(client, product, quantity=1, **extra):
    return client.post(reverse("orders:cart-add"), {"product_id": product.id, "quantity": quantity, **extra})


def test_a_visitor_adds_from_the_product_page_and_sees_the_total(client):
    product = ProductFactory(name="한울 마우스", price=25_000)
    page = client.get(product.get_absolute_url()).content.decode()
    assert reverse("orders:cart-add") in page
    _add(client, product, 2)
    _add(client, product, 1)
    cart = client.get(reverse("orders:cart")).content.decode()
    assert "한울 마우스" in cart
    assert "75,000원" in cart


def test_the_header_counts_the_items_in_the_cart(client, product):
    _add(client, product, 3)
    assert '<span class="cart-count">3</span>' in client.get("/").content.decode()


def test_a_sold_out_product_page_offers_no_add_to_cart(client):
    product = ProductFactory(stock=0, status=Product.Status.SOLD_OUT)
    assert reverse("orders:cart-add") not in client.get(product.get_absolute_url()).content.decode()


def test_adding_more_than_is_left_changes_nothing_and_says_how_many_are_left(client):
    product = ProductFactory(stock=2, name="마지막 상품")
    response = _add(client, product, 3, next=product.get_absolute_url())
    assert response.url == product.get_absolute_url()
    page = client.get(reverse("orders:cart")).content.decode()
    assert "3개를 주문하셨지만 2개 남았습니다" in page
    assert client.session.get(SESSION_KEY, {}) == {}


def test_changing_a_quantity_and_removing_a_line(client, product):
    _add(client, product, 1)
    client.post(reverse("orders:cart-update", args=[product.skus.get().id]), {"quantity": 4})
    assert client.session[SESSION_KEY] == {str(product.skus.get().id): 4}
    client.post(reverse("orders:cart-remove", args=[product.skus.get().id]))
    assert client.session[SESSION_KEY] == {}


def test_a_bad_quantity_is_a_message_not_an_error(client, product):
    response = client.post(
        reverse("orders:cart-update", args=[product.skus.get().id]), {"quantity": "lots"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["messages"]


def test_the_cart_warns_of_lines_gone_off_sale_or_short(client):
    gone, scarce = ProductFactory(name="단종 상품"), ProductFactory(name="품귀 상품", stock=5)
    _add(client, gone, 1)
    _add(client, scarce, 4)
    Product.objects.filter(pk=gone.pk).update(status=Product.Status.SOLD_OUT)
    Sku.objects.filter(product=scarce).update(stock=2)
    response = client.get(reverse("orders:cart"))
    page = response.content.decode()
    assert response.context["cart"].has_problems
    assert reverse("orders:checkout") not in page.split('class="money-summary"')[1]
    assert page.count('class="warning"') == 3  # each line, and the check-out button's place


def test_a_visitor_cart_merges_into_the_customers_at_log_in_capped_by_stock(client, user):
    both, only_visitor = ProductFactory(stock=5), ProductFactory(stock=8)
    CartItem.objects.create(user=user, sku=both.skus.get(), quantity=3)
    _add(client, both, 4)
    _add(client, only_visitor, 2)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.get(reverse("orders:cart"))
    assert dict(CartItem.objects.filter(user=user).values_list("sku__product_id", "quantity")) == {
        both.id: 5,
        only_visitor.id: 2,
    }
    assert SESSION_KEY not in client.session


def test_a_customers_cart_lives_in_the_database(client, user, product):
    client.force_login(user)
    _add(client, product, 2)
    assert CartItem.objects.get(user=user).quantity == 2


def test_the_product_page_shows_what_the_cart_holds_and_changes_or_removes_it(client, product):
    _add(client, product, 2)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "장바구니에 2개" in page
    client.post(
        reverse("orders:cart-update", args=[product.skus.get().id]), {"quantity": 5, "next": product.get_absolute_url()}
    )
    assert client.session[SESSION_KEY] == {str(product.skus.get().id): 5}
    response = client.post(
        reverse("orders:cart-remove", args=[product.skus.get().id]), {"next": product.get_absolute_url()}
    )
    assert response.url == product.get_absolute_url()
    assert client.session[SESSION_KEY] == {}
