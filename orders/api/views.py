"""The cart and orders in the JSON API. Thin: validate, call a service or selector, shape the answer."""

import logging

import redis
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from accounts import selectors as address_selectors
from accounts.models import Address
from catalog.models import Product
from shop.api.cursors import AFTER_PARAMETER, INVALID_CURSOR, CursorErrorsMixin
from shop.api.serializers import ErrorSerializer

from .. import cart as carts
from .. import selectors, services
from ..models import CartItem, Order
from .errors import OrderErrorsMixin
from .serializers import (
    CartItemCreateSerializer,
    CartItemUpdateSerializer,
    CartSerializer,
    OrderCreateSerializer,
    OrderPageSerializer,
    OrderSerializer,
)

logger = logging.getLogger(__name__)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input (code invalid, invalid_quantity, ...)."),
    401: OpenApiResponse(ErrorSerializer, description="Not logged in."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not yours."),
}
OUT_OF_STOCK = OpenApiResponse(
    ErrorSerializer,
    description="code out_of_stock: details.lines lists each short line (product_id, name, requested, available).",
)
UNAVAILABLE = OpenApiResponse(
    ErrorSerializer, description="code stock_busy or service_unavailable: nothing was taken; retry (Retry-After)."
)


class OrderPlaceThrottle(UserRateThrottle):
    """Orders per customer (setting ``THROTTLE_ORDER_PLACE``). Opens rather than fails when the cache is down:
    the order itself then answers 503 if Redis is really gone."""

    scope = "order_place"

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except redis.RedisError as exc:
            logger.warning("order throttle skipped, cache unreachable: %s", exc)
            return True


def _cart_response(cart, status_code=status.HTTP_200_OK):
    return Response(CartSerializer(carts.cart_view(cart=cart)).data, status=status_code)


def _product_or_404(product_id):
    return get_object_or_404(Product.objects.visible(), id=product_id)


class CartView(OrderErrorsMixin, APIView):
    @extend_schema(
        responses={200: CartSerializer, **ERRORS}, summary="The customer's cart", operation_id="cart_retrieve"
    )
    def get(self, request):
        return _cart_response(carts.cart_for(request))


class CartItemsView(OrderErrorsMixin, APIView):
    @extend_schema(
        request=CartItemCreateSerializer,
        responses={201: CartSerializer, 409: OUT_OF_STOCK, **ERRORS},
        summary="Add a product (quantities add up)",
        operation_id="cart_items_create",
    )
    def post(self, request):
        data = _valid(CartItemCreateSerializer, request.data)
        cart = carts.cart_for(request)
        carts.cart_add(cart=cart, product=_product_or_404(data["product_id"]), quantity=data["quantity"])
        return _cart_response(cart, status.HTTP_201_CREATED)


class CartItemView(OrderErrorsMixin, APIView):
    @extend_schema(
        request=CartItemUpdateSerializer,
        responses={200: CartSerializer, 409: OUT_OF_STOCK, **ERRORS},
        summary="Change a line's quantity (0 removes it)",
        operation_id="cart_items_update",
    )
    def patch(self, request, item_id):
        data = _valid(CartItemUpdateSerializer, request.data)
        item = get_object_or_404(CartItem.objects.select_related("product"), id=item_id, user=request.user)
        cart = carts.cart_for(request)
        carts.cart_set_quantity(cart=cart, product=item.product, quantity=data["quantity"])
        return _cart_response(cart)

    @extend_schema(
        responses={200: CartSerializer, **ERRORS}, summary="Remove a line", operation_id="cart_items_destroy"
    )
    def delete(self, request, item_id):
        item = get_object_or_404(CartItem, id=item_id, user=request.user)
        cart = carts.cart_for(request)
        carts.cart_remove(cart=cart, product_id=item.product_id)
        return _cart_response(cart)


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class OrdersView(CursorErrorsMixin, OrderErrorsMixin, APIView):
    def get_throttles(self):
        return [OrderPlaceThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        parameters=[AFTER_PARAMETER],
        responses={200: OrderPageSerializer, **ERRORS, 400: INVALID_CURSOR},
        summary="The customer's orders, newest first",
        operation_id="orders_list",
    )
    def get(self, request):
        orders, next_cursor = selectors.order_list_for_user(
            user=request.user, after=request.query_params.get("after"), limit=settings.ORDERS_PAGE_SIZE
        )
        return Response(OrderPageSerializer({"results": orders, "next": next_cursor}).data)

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, 409: OUT_OF_STOCK, 429: ERRORS[400], 503: UNAVAILABLE, **ERRORS},
        summary="Place an order (awaiting payment)",
        operation_id="orders_create",
        description="Prices come from the store, never the request. All or nothing: a refused order takes no stock.",
    )
    def post(self, request):
        data = _valid(OrderCreateSerializer, request.data)
        if "address_id" in data:
            try:
                address = address_selectors.address_get(user=request.user, address_id=data["address_id"])
            except Address.DoesNotExist:
                raise Http404("No such address.") from None
            shipping = services.ShippingAddress.from_address(address)
        else:
            shipping = services.ShippingAddress(**data["address"])
        lines = [(line["product_id"], line["quantity"]) for line in data["lines"]]
        order = services.order_place(user=request.user, address=shipping, lines=lines)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetailView(OrderErrorsMixin, APIView):
    @extend_schema(
        responses={200: OrderSerializer, **ERRORS},
        summary="One of the customer's orders",
        operation_id="orders_retrieve",
    )
    def get(self, request, number):
        return Response(OrderSerializer(_own_order(request, number)).data)


def _own_order(request, number):
    try:
        return selectors.order_get_for_user(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None
