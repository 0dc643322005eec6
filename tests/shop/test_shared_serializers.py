"""The API's shared serializer instances (``shop.api.serializers.represent`` and ``validated``) answer exactly what a
serializer made for each request would: the same data, and for bad input the same errors."""

from datetime import UTC, datetime

import pytest
from django.utils import translation
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from orders import services
from orders.api.serializers import OrderCreateSerializer, OrderSerializer, OrderSummarySerializer
from orders.models import Order
from orders.selectors import order_get_for_user
from shop.api.serializers import represent, validated
from tests.factories import (
    ORDER_ADDRESS,
    CouponFactory,
    OrderFactory,
    ProductFactory,
    UserFactory,
    product_with_options,
    sku_of,
)

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


@pytest.fixture
def shipped_order_with_options_and_a_coupon():
    """An order a phone shows in full: two option SKUs and a plain one, a coupon's discount shared over the
    lines, paid, prepared and shipped (a courier, a tracking number, four history events)."""
    user = UserFactory()
    shoe = product_with_options(options={"색상": ["블랙", "화이트"], "사이즈": ["250", "260"]}, price=59000)
    plain = ProductFactory(stock=5, price=12900)
    CouponFactory(code="TENK", value=10000)
    order = services.checkout(
        user=user,
        new_address={**ORDER_ADDRESS, "detail": "101동 1001호", "memo": "문 앞"},
        lines=[(sku_of(shoe, "블랙", "260").id, 2), (sku_of(shoe, "화이트", "250").id, 1), (sku_of(plain).id, 1)],
        coupon_code="TENK",
    )
    for to_status in (Order.Status.PAID, Order.Status.PREPARING):
        order = services.order_transition(order=order, to_status=to_status)
    services.order_mark_shipped(order=order, tracking_number="1234-5678", courier="cj")
    return order_get_for_user(user=user, number=order.number)


@pytest.mark.django_db
def test_a_shipped_order_with_options_and_a_discount_is_represented_as_drf_represents_it(
    shipped_order_with_options_and_a_coupon,
):
    order = shipped_order_with_options_and_a_coupon
    body = represent(OrderSerializer, order)
    assert body == OrderSerializer(order).data
    assert JSONRenderer().render(body) == JSONRenderer().render(OrderSerializer(order).data)
    assert body["discount"] == 10000 and body["courier"] == "cj" and body["tracking_url"]
    assert [line["option_label"] for line in body["lines"]] == ["블랙 / 260", "화이트 / 250", ""]
    assert len(body["history"]) == 4
    assert represent(OrderSummarySerializer, order) == OrderSummarySerializer(order).data


@pytest.mark.django_db
def test_the_status_is_displayed_in_the_customers_language(shipped_order_with_options_and_a_coupon):
    order = shipped_order_with_options_and_a_coupon
    with translation.override("ko"):
        assert represent(OrderSerializer, order)["status_display"] == "배송 중" == order.get_status_display()
    with translation.override("en"):
        assert represent(OrderSerializer, order)["status_display"] == "Shipped"


@pytest.mark.django_db
def test_the_order_apis_answer_to_placing_is_what_reading_the_order_answers():
    """The 201 body is built from the rows the checkout inserted; the detail GET reads them back."""
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    body = {"lines": [{"sku_id": sku_of(ProductFactory(stock=3)).id, "quantity": 2}], "address": ORDER_ADDRESS}
    placed = api.post("/api/v1/orders/", body, format="json")
    assert placed.status_code == 201
    read = api.get(f"/api/v1/orders/{placed.json()['number']}/")
    assert placed.content == read.content


class Point:
    def __init__(self, **values):
        self.__dict__.update(values)


class ItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()


class EdgeSerializer(serializers.Serializer):
    """Lookups the plan hands to DRF: a mapping, a callable (last or on the way), a missing optional attribute,
    a default, a method field, a nested value that is None, a list, and a serializer of its own making."""

    title = serializers.CharField(source="info.title")
    owner = serializers.CharField(source="make_owner.name")
    shout = serializers.CharField()
    maybe = serializers.CharField(required=False)
    fallback = serializers.CharField(default="기본")
    computed = serializers.SerializerMethodField()
    item = ItemSerializer(allow_null=True)
    items = ItemSerializer(many=True)
    flag = serializers.BooleanField()
    nothing = serializers.CharField(allow_null=True)
    when = serializers.DateTimeField()
    secret = serializers.CharField(write_only=True)

    def get_computed(self, obj):
        return obj.size * 2


class Upper(serializers.Serializer):
    name = serializers.CharField()

    def to_representation(self, instance):
        return {"name": instance.name.upper()}


class WithOwnRepresentation(serializers.Serializer):
    inner = Upper()


def _make_owner():
    return Point(name="주인")


_make_owner.name = "the function's own attribute, which DRF never reads: it calls the function first"


def test_lookups_the_plan_does_not_cover_get_drfs_own_answer():
    instance = Point(
        info={"title": "제목"},
        make_owner=_make_owner,
        shout=lambda: "함수",
        size=3,
        item=None,
        items=[Point(name="가", size=1), Point(name="나", size=2)],
        flag="yes",
        nothing=None,
        when=datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
    )
    assert represent(EdgeSerializer, instance) == EdgeSerializer(instance).data
    assert "maybe" not in represent(EdgeSerializer, instance)
    assert represent(EdgeSerializer, instance)["owner"] == "주인"
    assert represent(WithOwnRepresentation, Point(inner=Point(name="ab"))) == {"inner": {"name": "AB"}}


def test_a_missing_required_attribute_raises_as_drf_does():
    with pytest.raises(AttributeError):
        represent(ItemSerializer, Point(name="가"))
