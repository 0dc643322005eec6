"""The cart and orders in the JSON API. Thin: validate, call a service or selector, shape the answer."""

import logging

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api.cursors import AFTER_PARAMETER, INVALID_CURSOR
from shop.api.serializers import ErrorSerializer, represent, validated
from shop.api.throttling import UserThrottle

from .. import cart as carts
from .. import idempotency, selectors, services
from ..models import Order
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
    description="code out_of_stock: details.lines lists each short line "
    "(sku_id, product_id, name, requested, available).",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Up to 255 visible ASCII characters, chosen by the client per order it means to place (a UUID). "
    "Kept 24 hours per customer: a repeat within that time is answered as the first was.",
)
UNAVAILABLE = OpenApiResponse(
    ErrorSerializer, description="code stock_busy or service_unavailable: nothing was taken; retry (Retry-After)."
)


class OrderPlaceThrottle(UserThrottle):
    """Orders per customer (setting ``THROTTLE_ORDER_PLACE``). Opens rather than fails when the cache is down:
    the order itself then answers 503 if Redis is really gone."""

    scope = "order_place"


def _cart_response(cart, status_code=status.HTTP_200_OK):
    return Response(CartSerializer(carts.cart_view(cart=cart)).data, status=status_code)


class CartView(APIView):
    @extend_schema(
        responses={200: CartSerializer, **ERRORS}, summary="The customer's cart", operation_id="cart_retrieve"
    )
    def get(self, request):
        return _cart_response(carts.cart_for(request))


class CartItemsView(APIView):
    @extend_schema(
        request=CartItemCreateSerializer,
        responses={201: CartSerializer, 409: OUT_OF_STOCK, **ERRORS},
        summary="Add a SKU, or a product with one SKU (quantities add up)",
        operation_id="cart_items_create",
    )
    def post(self, request):
        data = validated(CartItemCreateSerializer, request.data)
        cart = carts.cart_for(request)
        sku = carts.cart_sku_resolve(sku_id=data.get("sku_id"), product_id=data.get("product_id"))
        carts.cart_add(cart=cart, sku=sku, quantity=data["quantity"])
        return _cart_response(cart, status.HTTP_201_CREATED)


class CartItemView(APIView):
    @extend_schema(
        request=CartItemUpdateSerializer,
        responses={200: CartSerializer, 409: OUT_OF_STOCK, **ERRORS},
        summary="Change a line's quantity (0 removes it)",
        operation_id="cart_items_update",
    )
    def patch(self, request, item_id):
        data = validated(CartItemUpdateSerializer, request.data)
        cart = carts.cart_for(request)
        sku_id = carts.cart_line_sku_id(cart=cart, line_id=item_id)
        carts.cart_set_quantity(cart=cart, sku_id=sku_id, quantity=data["quantity"])
        return _cart_response(cart)

    @extend_schema(
        responses={200: CartSerializer, **ERRORS}, summary="Remove a line", operation_id="cart_items_destroy"
    )
    def delete(self, request, item_id):
        cart = carts.cart_for(request)
        carts.cart_remove(cart=cart, sku_id=carts.cart_line_sku_id(cart=cart, line_id=item_id))
        return _cart_response(cart)


class OrdersView(APIView):
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
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: OrderSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description="code out_of_stock (details.lines lists each short line), or "
                "idempotent_request_processing: the request with this Idempotency-Key is still running (Retry-After).",
            ),
            422: OpenApiResponse(
                ErrorSerializer, description="code idempotency_key_reused: the key was used for a different body."
            ),
            429: ERRORS[400],
            503: UNAVAILABLE,
            **ERRORS,
        },
        summary="Place an order (awaiting payment)",
        operation_id="orders_create",
        description="Prices come from the store, never the request. All or nothing: a refused order takes no stock. "
        "A line naming a SKU that has just sold out may be answered 409 out_of_stock before the rest of the body (the "
        "address, the coupon) is checked; otherwise an unknown coupon (400 coupon_not_found) and an address that is "
        "not the customer's (404) are answered before the lines' own errors (400, 409 out_of_stock). A request with "
        "an Idempotency-Key always gets its key's answer. "
        "With an Idempotency-Key, a repeat of the request (even a concurrent one) places no second order and gets "
        "the first answer again, status and body, with the header Idempotent-Replayed: true.",
    )
    def post(self, request):
        data = validated(OrderCreateSerializer, request.data)
        key = idempotency.idempotency_key_parse(request.headers.get("Idempotency-Key"))

        def place():
            lines = _sku_lines(data["lines"])
            order = services.checkout(
                user=request.user,
                address_id=data.get("address_id"),
                new_address=data.get("address"),
                lines=lines,
                coupon_code=data.get("coupon_code", ""),
                coupon_id=data.get("coupon_id"),
            )
            return idempotency.Outcome(
                order=order, status=status.HTTP_201_CREATED, body=represent(OrderSerializer, order)
            )

        if key is None:
            outcome = place()
            return Response(outcome.body, status=outcome.status)
        record, repeated = idempotency.idempotent_run(
            user=request.user,
            key=key,
            fingerprint=idempotency.request_fingerprint(scope="orders.create", data=data),
            action=place,
        )
        headers = {"Idempotent-Replayed": "true"} if repeated else None
        return Response(record.response_body, status=record.response_status, headers=headers)


def _sku_lines(lines) -> list[tuple[int, int]]:
    """(sku_id, quantity) for each line; a line may name a product that has only one SKU instead."""
    by_product = carts.sku_ids_for_products(line["product_id"] for line in lines if "sku_id" not in line)
    return [(line.get("sku_id") or by_product[line["product_id"]], line["quantity"]) for line in lines]


class OrderDetailView(APIView):
    @extend_schema(
        responses={200: OrderSerializer, **ERRORS},
        summary="One of the customer's orders",
        operation_id="orders_retrieve",
    )
    def get(self, request, number):
        return Response(represent(OrderSerializer, _own_order(request, number)))


def _own_order(request, number):
    try:
        return selectors.order_get_for_user(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None
