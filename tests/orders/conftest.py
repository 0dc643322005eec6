import pytest

from orders.services import ShippingAddress

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
