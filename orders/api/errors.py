"""The one place where order and cart errors become API responses ({"code", "message", "details"})."""

from rest_framework import status
from rest_framework.response import Response

from catalog.exceptions import DomainError, OutOfStock, StockBusy, StockUnavailable

from ..exceptions import (
    AddressNotFound,
    EmptyOrder,
    IdempotencyKeyBusy,
    IdempotencyKeyReused,
    IllegalTransition,
    InvalidIdempotencyKey,
    InvalidQuantity,
    OptionRequired,
    ProductNotFound,
    UnknownProducts,
)

STATUS_CODES = {
    OutOfStock: status.HTTP_409_CONFLICT,
    IllegalTransition: status.HTTP_409_CONFLICT,
    EmptyOrder: status.HTTP_400_BAD_REQUEST,
    InvalidQuantity: status.HTTP_400_BAD_REQUEST,
    UnknownProducts: status.HTTP_400_BAD_REQUEST,
    OptionRequired: status.HTTP_400_BAD_REQUEST,
    StockBusy: status.HTTP_503_SERVICE_UNAVAILABLE,
    StockUnavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
    ProductNotFound: status.HTTP_404_NOT_FOUND,
    AddressNotFound: status.HTTP_404_NOT_FOUND,
    InvalidIdempotencyKey: status.HTTP_400_BAD_REQUEST,
    IdempotencyKeyReused: status.HTTP_422_UNPROCESSABLE_ENTITY,
    IdempotencyKeyBusy: status.HTTP_409_CONFLICT,
}
RETRY_AFTER_SECONDS = {StockBusy: 1, StockUnavailable: 5, IdempotencyKeyBusy: 1}


class OrderErrorsMixin:
    """Answers a domain error (``catalog.exceptions.DomainError``) in the API's error shape; anything else goes on."""

    def handle_exception(self, exc):
        if not isinstance(exc, DomainError):
            return super().handle_exception(exc)
        kind = type(exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS[kind])} if kind in RETRY_AFTER_SECONDS else None
        body = {"code": exc.code, "message": str(exc.message), "details": exc.details()}
        http_status = getattr(exc, "http_status", None) or STATUS_CODES.get(kind, status.HTTP_400_BAD_REQUEST)
        return Response(body, status=http_status, headers=headers)
