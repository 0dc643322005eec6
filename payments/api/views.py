"""Payments in the JSON API: confirm a Toss payment, read an order's payment, cancel (and refund) an order."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from orders import selectors as order_selectors
from orders.api.serializers import OrderSerializer
from orders.models import Order
from shop.api.serializers import ErrorSerializer, represent

from .. import selectors, services
from .serializers import ConfirmResultSerializer, OrderCancelSerializer, PaymentStateSerializer, TossConfirmSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, or code amount_mismatch (nothing charged)."),
    401: OpenApiResponse(ErrorSerializer, description="Not logged in."),
    404: OpenApiResponse(ErrorSerializer, description="No such order, or not yours."),
}


def _own_order(request, number):
    try:
        return order_selectors.order_get_for_user(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None


def _state(order):
    return PaymentStateSerializer(selectors.payment_state(order=order)).data


class TossConfirmView(APIView):
    @extend_schema(
        request=TossConfirmSerializer,
        responses={
            200: ConfirmResultSerializer,
            202: OpenApiResponse(ConfirmResultSerializer, description="state processing: poll the order's payment."),
            402: OpenApiResponse(ErrorSerializer, description="code payment_rejected: Toss refused; nothing charged."),
            409: OpenApiResponse(ErrorSerializer, description="code order_not_payable: paid, expired or canceled."),
            **ERRORS,
        },
        summary="Confirm a payment the app's Toss SDK authenticated",
        description=(
            "Send what Toss returned to the app (paymentKey, orderId = the order number, amount). The amount must be "
            "the order's total. Safe to repeat: the same paymentKey is confirmed at Toss once."
        ),
        operation_id="payments_toss_confirm",
        tags=["payments"],
    )
    def post(self, request):
        serializer = TossConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.payment_confirm(
            user=request.user, order_number=data["orderId"], payment_key=data["paymentKey"], amount=data["amount"]
        )
        body = {"state": result.state, "payment": _state(result.payment.order)}
        code = status.HTTP_202_ACCEPTED if result.state == "processing" else status.HTTP_200_OK
        return Response(body, status=code)


class OrderPaymentView(APIView):
    @extend_schema(
        responses={200: PaymentStateSerializer, **ERRORS},
        summary="An order's payment and refunds",
        operation_id="orders_payment_retrieve",
        tags=["payments"],
    )
    def get(self, request, number):
        return Response(_state(_own_order(request, number)))


class OrderCancelView(APIView):
    @extend_schema(
        request=OrderCancelSerializer,
        responses={
            200: OrderSerializer,
            409: OpenApiResponse(ErrorSerializer, "code illegal_transition: too late to cancel"),
            **ERRORS,
        },
        summary="Cancel an order (a paid one is refunded in full)",
        description="Unpaid orders and paid ones not yet being prepared. A paid virtual account needs refund_account.",
        operation_id="orders_cancel",
    )
    def post(self, request, number):
        serializer = OrderCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = services.order_cancel_and_refund(
            order=_own_order(request, number),
            actor=request.user,
            reason=data["reason"],
            refund_account=data.get("refund_account"),
        )
        return Response(
            represent(OrderSerializer, order_selectors.order_get_for_user(user=request.user, number=order.number))
        )
