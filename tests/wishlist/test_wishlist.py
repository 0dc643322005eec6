"""찜: a heart on cards and the product page, a list on the account side and in the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Product
from tests.factories import ProductFactory
from wishlist import services
from wishlist.exceptions import ProductUnavailable
from wishlist.models import WishItem

pytestmark = pytest.mark.django_db


def test_adding_twice_keeps_one_item(user, product):
    services.wish_add(user=user, product_id=product.pk)
    services.wish_add(user=user, product_id=product.pk)
    assert WishItem.objects.filter(user=user).count() == 1


def test_a_hidden_product_cannot_be_wished(user):
    hidden = ProductFactory(status=Product.Status.HIDDEN)
    with pytest.raises(ProductUnavailable):
        services.wish_add(user=user, product_id=hidden.pk)


def test_the_heart_toggles_on_the_product_page_and_returns_there(client, user, product):
    client.force_login(user)
    url = reverse("wishlist:toggle", args=[product.pk])

    response = client.post(url, {"next": product.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    assert WishItem.objects.filter(user=user, product=product).exists()
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page

    client.post(url, {"next": product.get_absolute_url()})
    assert not WishItem.objects.filter(user=user).exists()


def test_the_heart_refuses_a_redirect_to_another_site(client, user, product):
    client.force_login(user)
    response = client.post(reverse("wishlist:toggle", args=[product.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("wishlist:list")


def test_a_visitor_is_asked_to_log_in_and_comes_back_to_the_product(client, product, user):
    page = client.get(product.get_absolute_url()).content.decode()
    login = reverse("account_login") + "?next=" + product.get_absolute_url()
    assert login in page

    response = client.post(
        reverse("account_login") + "?next=" + product.get_absolute_url(),
        {"login": user.email, "password": "correct-horse-9", "next": product.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()


def test_cards_show_the_heart_filled_for_wished_products(client, user, category_tree):
    _, _, leaf = category_tree
    wished, other = ProductFactory(category=leaf), ProductFactory(category=leaf)
    services.wish_add(user=user, product_id=wished.pk)
    client.force_login(user)

    page = client.get(reverse("catalog:category", args=[leaf.slug])).content.decode()

    assert page.count('aria-pressed="true"') == 1 and page.count('aria-pressed="false"') == 1
    assert other.name in page


def test_the_wish_list_page_lists_what_the_customer_keeps(client, user):
    first, second = ProductFactory(name="찜한 첫째"), ProductFactory(name="찜한 둘째")
    services.wish_add(user=user, product_id=first.pk)
    services.wish_add(user=user, product_id=second.pk)
    client.force_login(user)

    page = client.get(reverse("wishlist:list")).content.decode()

    assert page.index("찜한 둘째") < page.index("찜한 첫째")


def test_the_api_adds_lists_and_removes(user, product):
    api = APIClient()
    api.force_authenticate(user)
    item = reverse("api:wishlist-item", args=[product.pk])

    assert api.put(item).status_code == 204
    assert [p["id"] for p in api.get(reverse("api:wishlist")).json()] == [product.pk]
    assert api.delete(item).status_code == 204
    assert api.get(reverse("api:wishlist")).json() == []


def test_the_api_answers_404_for_a_product_not_on_sale(user):
    api = APIClient()
    api.force_authenticate(user)
    response = api.put(reverse("api:wishlist-item", args=[99999999]))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_wish_list_needs_a_login():
    assert APIClient().get(reverse("api:wishlist")).status_code == 401
