"""Bodies, ids, cursors, quantities and postal codes a client can send: each answers 4xx or is ignored, never 500."""

import json

import pytest
from django.test import Client

from accounts.models import Address
from orders.models import CartItem
from tests.factories import PASSWORD, CategoryFactory, IndexedProductFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 3000 + "]" * 3000  # 6 KB, far deeper than Python's recursion limit
NON_ASCII_POSTAL_CODES = ("１２３４５", "١٢٣٤٥", "۱۲۳۴۵")
APP_LOGIN = "/_allauth/app/v1/auth/login"


@pytest.fixture
def customer_client(client):
    client.force_login(UserFactory())
    return client


def _app_token(client):
    user = UserFactory()
    login = client.post(APP_LOGIN, {"email": user.email, "password": PASSWORD}, content_type="application/json")
    return login.json()["meta"]["session_token"]


# --- JSON bodies -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/cart/items/", "/api/v1/orders/", "/api/v1/addresses/"])
def test_a_deeply_nested_body_to_the_api_is_a_json_400(customer_client, path):
    response = customer_client.post(path, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("body", [DEEP, '{"email": ' * 3000 + "1" + "}" * 3000])
def test_a_deeply_nested_body_to_allauths_app_api_is_a_json_400_without_a_log_in(client, body):
    response = client.post(APP_LOGIN, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"


def test_a_deeply_nested_body_to_allauths_app_api_is_a_json_400_when_logged_in(client):
    token = _app_token(client)
    response = client.post(
        "/_allauth/app/v1/account/email", DEEP, content_type="application/json", headers={"X-Session-Token": token}
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


@pytest.mark.parametrize("body", ['{"email": ', "not json", b"\xff\xfe", "[1, 2]", '"text"', '{"a": NaN}'])
def test_malformed_json_to_allauths_app_api_is_a_json_400_with_a_body(client, body):
    response = client.post(APP_LOGIN, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_a_good_body_still_reaches_allauth(client):
    user = UserFactory()
    body = json.dumps({"email": user.email, "password": PASSWORD})
    assert Client().post(APP_LOGIN, body, content_type="application/json").status_code == 200


# --- Ids and quantities ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("product_id", [2**63, 2**64, "99999999999999999999", "١٢", "１２", "²"])
def test_an_impossible_product_id_in_the_api_is_a_400(customer_client, product_id):
    body = {"product_id": product_id, "quantity": 1}
    response = customer_client.post("/api/v1/cart/items/", body, content_type="application/json")
    assert response.status_code == 400
    assert "product_id" in response.json()["details"]


@pytest.mark.parametrize("quantity", ["１", "٣", "²", True, 1.5, "1e1"])
def test_a_quantity_that_is_not_ascii_digits_is_refused_in_the_api(customer_client, quantity):
    body = {"product_id": ProductFactory().id, "quantity": quantity}
    response = customer_client.post("/api/v1/cart/items/", body, content_type="application/json")
    assert response.status_code == 400
    assert not CartItem.objects.exists()


@pytest.mark.parametrize("quantity", ["１", "٣", "²"])
def test_a_quantity_that_is_not_ascii_digits_is_refused_on_the_page(customer_client, quantity):
    product = ProductFactory()
    response = customer_client.post("/cart/add/", {"product_id": product.id, "quantity": quantity}, follow=True)
    assert response.status_code == 200
    assert not CartItem.objects.exists()


@pytest.mark.parametrize("product_id", [str(2**64), "9" * 40])
def test_a_huge_id_in_a_page_url_is_a_404(customer_client, product_id):
    assert customer_client.post(f"/cart/items/{product_id}/", {"quantity": 1}).status_code == 404
    assert customer_client.get(f"/accounts/addresses/{product_id}/edit/").status_code == 404


def test_a_huge_id_in_the_add_to_cart_form_is_a_form_error_not_a_500(customer_client):
    response = customer_client.post("/cart/add/", {"product_id": str(2**64), "quantity": 1})
    assert response.status_code == 302
    assert not CartItem.objects.exists()


def test_a_next_that_is_not_a_path_sends_the_customer_to_the_cart(customer_client):
    product = ProductFactory()
    response = customer_client.post("/cart/add/", {"product_id": product.id, "quantity": 1, "next": "가방"})
    assert response.status_code == 302
    assert response["Location"] == "/cart/"


# --- Cursors and pages -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("cursor", ["²", "².³", "0.²", "١.٢", "1." + "9" * 30, "9" * 5000])
def test_a_search_cursor_that_is_not_one_we_signed_is_a_400_not_a_500(client, cursor):
    IndexedProductFactory(name="여행가방")
    response = client.get("/search/", {"q": "가방", "after": cursor})
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["٢", "２", "²", "9" * 5000])
def test_a_page_number_that_is_not_ascii_digits_shows_the_first_page(client, page):
    category = CategoryFactory()
    ProductFactory(category=category, name="첫 상품")
    response = client.get(f"/categories/{category.slug}/", {"page": page})
    assert response.status_code == 200
    assert "첫 상품" in response.content.decode()


@pytest.mark.parametrize("price", ["１０００", "٥", "9" * 40])
def test_a_price_filter_that_is_not_ascii_digits_is_ignored(client, price):
    IndexedProductFactory(name="여행가방")
    response = client.get("/search/", {"q": "가방", "min_price": price})
    assert response.status_code == 200
    assert "여행가방" in response.content.decode()


# --- Postal codes and phone numbers ----------------------------------------------------------------------------
ADDRESS = {"recipient": "박민수", "phone": "010-9876-5432", "address": "부산광역시 해운대구 센텀로 1"}


@pytest.mark.parametrize("postal_code", NON_ASCII_POSTAL_CODES)
def test_a_postal_code_of_non_ascii_digits_is_refused_on_the_address_page(customer_client, postal_code):
    response = customer_client.post("/accounts/addresses/new/", {**ADDRESS, "postal_code": postal_code})
    assert response.status_code == 200
    assert response.context["form"].errors["postal_code"]
    assert not Address.objects.exists()


@pytest.mark.parametrize("postal_code", NON_ASCII_POSTAL_CODES)
def test_a_postal_code_of_non_ascii_digits_is_refused_by_the_api(customer_client, postal_code):
    response = customer_client.post(
        "/api/v1/addresses/", {**ADDRESS, "postal_code": postal_code}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "postal_code" in response.json()["details"]


def test_a_postal_code_of_non_ascii_digits_is_refused_at_checkout(customer_client):
    product = ProductFactory()
    order = {
        "lines": [{"product_id": product.id, "quantity": 1}],
        "address": {**ADDRESS, "postal_code": "１２３４５"},
    }
    response = customer_client.post("/api/v1/orders/", order, content_type="application/json")
    assert response.status_code == 400
    assert "address" in response.json()["details"]


def test_a_mobile_number_with_non_ascii_digits_is_refused(customer_client):
    response = customer_client.post("/accounts/profile/", {"name": "김", "phone": "010-１２３４-5678"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]


# --- What Django's own pages build from a request --------------------------------------------------------------
@pytest.mark.parametrize("parent", [str(2**64), "not-a-number"])
def test_the_admin_add_form_with_an_impossible_related_id_renders(client, parent):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/catalog/category/add/", {"parent": parent}).status_code == 200


def test_an_overlong_media_file_name_is_a_404(client):
    assert client.get("/media/" + "a" * 5000).status_code == 404


def test_an_address_with_ascii_digits_is_accepted(customer_client):
    response = customer_client.post(
        "/api/v1/addresses/", {**ADDRESS, "postal_code": "06236"}, content_type="application/json"
    )
    assert response.status_code == 201
