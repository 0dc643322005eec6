"""Draft and hidden products behave as if they did not exist, on every surface of the cart and the checkout."""

import pytest
from django.urls import reverse

from catalog.models import Product
from orders.cart import SESSION_KEY
from orders.forms import new_checkout_token
from orders.models import CartItem, Order
from tests.factories import AddressFactory, ProductFactory, stock_of

pytestmark = pytest.mark.django_db

SECRET = "미공개 신제품 X"
NEVER_USED_ID = 987_654


@pytest.fixture(params=[Product.Status.DRAFT, Product.Status.HIDDEN])
def unseen(request):
    """A product no customer may see, with a name worth hiding."""
    return ProductFactory(name=SECRET, status=request.param, stock=10)


def _plant(client, product_id, quantity=1):
    session = client.session
    session[SESSION_KEY] = {str(product_id): quantity}
    session.save()


def test_a_visitor_cannot_add_it_any_more_than_an_unknown_id(client, unseen):
    for product_id in (unseen.id, NEVER_USED_ID):
        response = client.post(reverse("orders:cart-add"), {"product_id": product_id, "quantity": 1})
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    assert client.session.get(SESSION_KEY, {}) == {}


def test_changing_its_quantity_is_a_404_that_names_nothing(client, unseen):
    for quantity in (0, 1):
        response = client.post(
            reverse("orders:cart-update", args=[unseen.skus.get().id]), {"quantity": quantity}, follow=True
        )
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_removing_it_answers_as_removing_an_unknown_id(client, unseen):
    answers = [
        client.post(reverse("orders:cart-remove", args=[sku_id])) for sku_id in (unseen.skus.get().id, NEVER_USED_ID)
    ]
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("orders:cart"))}


def test_a_line_of_it_in_a_session_cart_is_not_shown_or_counted(client, unseen):
    _plant(client, unseen.id, 3)
    page = client.get(reverse("orders:cart"))
    assert SECRET not in page.content.decode()
    assert page.context["cart"].lines == []
    assert page.context["cart_count"] == 0


def test_a_product_hidden_after_it_was_added_leaves_the_cart(client, customer):
    product = ProductFactory(name=SECRET)
    CartItem.objects.create(user=customer, sku=product.skus.get(), quantity=1)
    Product.objects.filter(pk=product.pk).update(status=Product.Status.HIDDEN)
    assert SECRET not in client.get(reverse("orders:cart")).content.decode()


def test_the_checkout_page_and_the_order_leave_it_out(client, customer, unseen):
    visible = ProductFactory(price=10_000)
    CartItem.objects.create(user=customer, sku=unseen.skus.get(), quantity=1)
    CartItem.objects.create(user=customer, sku=visible.skus.get(), quantity=2)
    page = client.get(reverse("orders:checkout"))
    assert SECRET not in page.content.decode()
    assert page.context["quote"].total == 20_000
    form = {"choice": str(AddressFactory(user=customer).id), "token": new_checkout_token()}
    client.post(reverse("orders:checkout"), form)
    order = Order.objects.get()
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [(visible.id, 2)]
    assert order.total == 20_000
    assert stock_of(unseen) == 10


def test_a_cart_of_only_unseen_products_is_empty_at_checkout(client, customer, unseen):
    CartItem.objects.create(user=customer, sku=unseen.skus.get(), quantity=1)
    assert client.get(reverse("orders:checkout")).url == reverse("orders:cart")
    form = {"choice": str(AddressFactory(user=customer).id), "token": new_checkout_token()}
    response = client.post(reverse("orders:checkout"), form, follow=True)
    assert SECRET not in response.content.decode()
    assert not Order.objects.exists()


def test_the_cart_api_leaves_it_out(api, user, unseen):
    CartItem.objects.create(user=user, sku=unseen.skus.get(), quantity=1)
    cart = api.get("/api/v1/cart/").json()
    assert (cart["lines"], cart["count"], cart["total"]) == ([], 0, 0)


def test_the_cart_api_refuses_it_as_an_unknown_id(api, unseen):
    answers = [
        api.post("/api/v1/cart/items/", {"product_id": pid, "quantity": 1}, format="json")
        for pid in (unseen.id, NEVER_USED_ID)
    ]
    assert answers[0].status_code == answers[1].status_code == 404
    assert answers[0].json() == answers[1].json()
    assert not CartItem.objects.exists()


def test_its_cart_api_line_is_a_404_to_change_or_remove(api, user, unseen):
    item = CartItem.objects.create(user=user, sku=unseen.skus.get(), quantity=1)
    changed = api.patch(f"/api/v1/cart/items/{item.id}/", {"quantity": 2}, format="json")
    removed = api.delete(f"/api/v1/cart/items/{item.id}/")
    assert changed.status_code == removed.status_code == 404
    assert SECRET not in changed.content.decode() + removed.content.decode()
    assert CartItem.objects.get(pk=item.pk).quantity == 1


def test_ordering_it_through_the_api_is_refused_as_an_unknown_id(api, unseen, new_address_data):
    answers = [
        api.post(
            "/api/v1/orders/",
            {"lines": [{"product_id": pid, "quantity": 1}], "address": new_address_data},
            format="json",
        )
        for pid in (unseen.id, NEVER_USED_ID)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["code"] == answers[1].json()["code"] == "unknown_product"
    assert SECRET not in answers[0].content.decode()
    assert stock_of(unseen) == 10
