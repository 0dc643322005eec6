"""The API's shared serializer instances (``shop.api.serializers.represent`` and ``validated``) answer exactly what a
serializer made for each request would: the same data, and for bad input the same errors."""

import pytest
from rest_framework.exceptions import ValidationError

from orders.api.serializers import OrderCreateSerializer, OrderSerializer
from orders.selectors import order_get_for_user
from shop.api.serializers import represent, validated
from tests.factories import ORDER_ADDRESS, OrderFactory

BAD_INPUTS = [
    None,
    [],
    "lines",
    {},
    {"lines": "x", "address": ORDER_ADDRESS},
    {"lines": [], "address": ORDER_ADDRESS},
    {"lines": [{"sku_id": "a", "quantity": 1}], "address": ORDER_ADDRESS},
    {"lines": [{"sku_id": 1, "product_id": 2, "quantity": 1}], "address": ORDER_ADDRESS},
    {"lines": [{"sku_id": 1, "quantity": 0}], "address": {**ORDER_ADDRESS, "phone": "12"}},
    {"lines": [{"sku_id": 1, "quantity": 1}], "address": ORDER_ADDRESS, "address_id": 3},
    {"lines": [{"sku_id": 1, "quantity": 1}], "address": ORDER_ADDRESS, "coupon_code": "A", "coupon_id": 1},
]


def _per_request_errors(data):
    serializer = OrderCreateSerializer(data=data)
    assert not serializer.is_valid()
    return serializer.errors


@pytest.mark.parametrize("data", BAD_INPUTS)
def test_bad_input_gets_the_errors_a_new_serializer_gives(data):
    with pytest.raises(ValidationError) as refused:
        validated(OrderCreateSerializer, data)
    assert refused.value.detail == _per_request_errors(data)


def test_good_input_gives_the_same_validated_data():
    data = {"lines": [{"sku_id": 7, "quantity": 2}, {"product_id": 3, "quantity": 1}], "address": ORDER_ADDRESS}
    serializer = OrderCreateSerializer(data=data)
    assert serializer.is_valid()
    assert validated(OrderCreateSerializer, data) == serializer.validated_data


@pytest.mark.django_db
def test_an_order_is_represented_as_a_new_serializer_represents_it():
    created = OrderFactory()
    order = order_get_for_user(user=created.user, number=created.number)  # with its lines and history
    assert represent(OrderSerializer, order) == OrderSerializer(order).data
