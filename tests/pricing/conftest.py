import pytest

from orders.services import ShippingAddress
from pricing.models import ShippingSurcharge

SEOUL = ShippingAddress(
    recipient="김하늘", phone="010-1234-5678", postal_code="06236", address="서울 강남구 테헤란로 123"
)
JEJU = ShippingAddress(
    recipient="김하늘", phone="010-1234-5678", postal_code="63100", address="제주특별자치도 제주시 1"
)
ULLEUNG = ShippingAddress(
    recipient="김하늘", phone="010-1234-5678", postal_code="40205", address="경북 울릉군 울릉읍 1"
)


@pytest.fixture
def surcharges(db):
    """제주 and 울릉도, as the table staff load."""
    ShippingSurcharge.objects.create(name="제주", postal_code_from="63000", postal_code_to="63644", fee=3000)
    ShippingSurcharge.objects.create(name="울릉도", postal_code_from="40200", postal_code_to="40240", fee=5000)
