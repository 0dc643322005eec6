import pytest
from rest_framework.test import APIClient

from orders.models import CartItem
from orders.services import ShippingAddress
from tests.factories import ProductFactory

HOME = ShippingAddress(
    recipient="김하늘", phone="010-1234-5678", postal_code="06236", address="서울특별시 강남구 테헤란로 123"
)


@pytest.fixture
def shipping():
    return HOME


@pytest.fixture
def new_address_data():
    return {
        "recipient": "이바다",
        "phone": "010-9876-5432",
        "postal_code": "48058",
        "address": "부산광역시 해운대구 센텀중앙로 55",
        "detail": "101동 1203호",
        "memo": "문 앞에 놓아 주세요",
    }


@pytest.fixture
def api(user):
    """The API as ``user``."""
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def customer(client, user):
    """``user``, logged in on ``client``."""
    client.force_login(user)
    return user


@pytest.fixture
def in_cart(customer):
    """Two of a product in the customer's cart, three more left."""
    product = ProductFactory(name="한울 노트북", price=1_290_000, stock=5)
    CartItem.objects.create(user=customer, sku=product.skus.get(), quantity=2)
    return product
