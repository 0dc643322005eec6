"""Carts and orders by SKU: options, the API's sku_id and product_id, the checkout service, movements."""

import pytest
from django.urls import reverse

from accounts.models import Address
from catalog import stock
from catalog.exceptions import OutOfStock
from catalog.models import Product, Sku, StockMovement
from orders import services
from orders.models import CartItem, Order
from tests.factories import AddressFactory, ProductFactory, product_with_options, sku_of

pytestmark = pytest.mark.django_db

SHIRT_OPTIONS = {"색상": ["블랙", "화이트"], "사이즈": ["M", "XL"]}


def test_each_option_combination_is_a_sku_with_its_own_stock_and_price(user, shipping):
    shirt = product_with_options(options=SHIRT_OPTIONS, stock=3, price=30_000)
    xl = sku_of(shirt, "블랙", "XL")
    Sku.objects.filter(pk=xl.pk).update(price_delta=3_000)
    order = services.order_place(user=user, address=shipping, lines=[(xl.id, 2)])
    line = order.lines.get()
    assert (line.option_label, line.unit_price, order.total) == ("블랙 / XL", 33_000, 66_000)
    assert Sku.objects.get(pk=xl.pk).stock == 1
    assert Sku.objects.get(pk=sku_of(shirt, "화이트", "XL").pk).stock == 3


def test_the_api_takes_a_sku_id_for_a_product_with_options(api, new_address_data):
    shirt = product_with_options(options=SHIRT_OPTIONS)
    sku = sku_of(shirt, "화이트", "M")
    cart = api.post("/api/v1/cart/items/", {"sku_id": sku.id, "quantity": 1}, format="json")
    assert cart.status_code == 201
    assert cart.json()["lines"][0]["sku"]["options"] == "화이트 / M"
    body = {"lines": [{"sku_id": sku.id, "quantity": 2}], "address": new_address_data}
    placed = api.post("/api/v1/orders/", body, format="json")
    assert placed.status_code == 201
    assert placed.json()["lines"][0]["sku_id"] == sku.id


def test_a_product_id_alone_is_refused_for_a_product_with_options(api, new_address_data):
    shirt = product_with_options(options=SHIRT_OPTIONS)
    cart = api.post("/api/v1/cart/items/", {"product_id": shirt.id, "quantity": 1}, format="json")
    body = {"lines": [{"product_id": shirt.id, "quantity": 1}], "address": new_address_data}
    order = api.post("/api/v1/orders/", body, format="json")
    assert [(r.status_code, r.json()["code"]) for r in (cart, order)] == [(400, "option_required")] * 2


def test_a_product_id_still_works_for_a_product_with_one_sku(api, new_address_data):
    product = ProductFactory(stock=5)
    body = {"lines": [{"product_id": product.id, "quantity": 2}], "address": new_address_data}
    assert api.post("/api/v1/orders/", body, format="json").status_code == 201
    assert product.skus.get().stock == 3


def test_both_sku_id_and_product_id_is_a_400(api):
    product = ProductFactory()
    body = {"sku_id": product.skus.get().id, "product_id": product.id, "quantity": 1}
    assert api.post("/api/v1/cart/items/", body, format="json").status_code == 400


def test_an_inactive_sku_cannot_be_bought(user, shipping):
    shirt = product_with_options(options=SHIRT_OPTIONS)
    sku = sku_of(shirt, "블랙", "M")
    Sku.objects.filter(pk=sku.pk).update(is_active=False)
    with pytest.raises(OutOfStock) as error:
        services.order_place(user=user, address=shipping, lines=[(sku.id, 1)])
    assert error.value.lines[0].available == 0


def test_sold_out_status_means_not_for_sale_whatever_the_stock():
    product = ProductFactory(stock=5, status=Product.Status.SOLD_OUT)
    assert not product.is_purchasable
    assert not Product.objects.in_stock().filter(pk=product.pk).exists()


def test_a_product_is_in_stock_when_any_active_sku_is():
    shirt = product_with_options(options=SHIRT_OPTIONS, stock=0)
    assert not Product.objects.in_stock().filter(pk=shirt.pk).exists()
    stock.stock_adjust(sku=sku_of(shirt, "블랙", "XL"), delta=1, reason=StockMovement.Reason.RECEIVED)
    assert Product.objects.in_stock().filter(pk=shirt.pk).exists()


def test_every_stock_change_of_an_order_is_a_movement(user, shipping):
    product = ProductFactory(stock=10)
    sku = product.skus.get()
    order = services.order_place(user=user, address=shipping, lines=[(sku.id, 3)])
    services.order_cancel(order=order, actor=user)
    moves = list(StockMovement.objects.filter(sku=sku).order_by("id").values_list("delta", "reason", "reference"))
    assert moves == [(10, "import", ""), (-3, "order", order.number), (3, "order_return", order.number)]


def test_a_refund_by_line_returns_stock_to_its_sku_with_a_movement(user, shipping):
    shirt = product_with_options(options=SHIRT_OPTIONS, stock=5)
    black_m, white_xl = sku_of(shirt, "블랙", "M"), sku_of(shirt, "화이트", "XL")
    order = services.order_place(user=user, address=shipping, lines=[(black_m.id, 2), (white_xl.id, 1)])
    services.order_mark_paid(order=order)
    line = order.lines.get(sku=black_m)
    services.order_lines_refund(order=order, quantities={line.id: 1})
    assert [Sku.objects.get(pk=s.pk).stock for s in (black_m, white_xl)] == [4, 4]
    assert StockMovement.objects.filter(sku=black_m, reason="refund").get().delta == 1


def test_a_refused_checkout_saves_no_new_address(user, new_address_data):
    product = ProductFactory(stock=1)
    with pytest.raises(OutOfStock):
        services.checkout(
            user=user, new_address=new_address_data, save_address=True, lines=[(product.skus.get().id, 2)]
        )
    assert not Address.objects.filter(user=user).exists()


def test_checkout_with_someone_elses_address_is_a_404(api):
    body = {"lines": [{"product_id": ProductFactory().id, "quantity": 1}], "address_id": AddressFactory().id}
    response = api.post("/api/v1/orders/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert not Order.objects.exists()


def test_the_checkout_page_saves_a_new_address_with_its_order(customer, client, new_address_data):
    CartItem.objects.create(user=customer, sku=ProductFactory().skus.get(), quantity=1)
    page = client.get(reverse("orders:checkout"))
    form = {"choice": "new", "save_address": "on", "token": page.context["form"].page_token, **new_address_data}
    response = client.post(reverse("orders:checkout"), form)
    assert response.status_code == 302
    assert Order.objects.get(user=customer).recipient == Address.objects.get(user=customer).recipient == "이바다"


def test_rendering_a_page_writes_no_cart(client, user):
    product = ProductFactory()
    client.post(reverse("orders:cart-add"), {"product_id": product.id, "quantity": 1})
    client.force_login(user)  # Django's login: the visitor cart moves into the customer's here
    moved = CartItem.objects.filter(user=user).count()
    session = client.session
    session["cart_skus"] = {str(product.skus.get().id): 1}  # a visitor cart left behind
    session.save()
    client.get(product.get_absolute_url())
    client.get(reverse("orders:cart"))
    assert (moved, CartItem.objects.filter(user=user).count()) == (1, 1)
    assert CartItem.objects.get(user=user).quantity == 1


def test_the_product_page_offers_each_option_and_marks_sold_out_ones(client):
    shirt = product_with_options(options=SHIRT_OPTIONS)
    Sku.objects.filter(pk=sku_of(shirt, "블랙", "XL").pk).update(stock=0)
    page = client.get(shirt.get_absolute_url()).content.decode()
    assert page.count('class="option-value"') == 4
    assert f'value="{sku_of(shirt, "블랙", "XL").id}" disabled' in page
    assert "sku-picker.js" in page and "<script>" not in page
