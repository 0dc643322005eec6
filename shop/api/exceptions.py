"""The JSON API's one exception handler: every error as ``{"code": ..., "message": ..., "details": ...}``.

Domain errors (``shop.exceptions.DomainError``, which every app's exceptions extend) carry their own code,
message, details, HTTP status and Retry-After; DRF's own errors (validation, authentication, throttling, parse
errors) and Django's (``Http404``, ``PermissionDenied``, a model's ``ValidationError``) are put in the same shape.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from shop.exceptions import DomainError


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return _domain_error(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _first_message(exc.detail), "details": exc.detail}
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "code": codes if isinstance(codes, str) else "error",
            "message": _first_message(response.data),
            "details": None,
        }
    return Response(body, status=response.status_code, headers=_passthrough_headers(response))


def domain_error_body(exc: DomainError) -> dict:
    """The API's body for a domain error (also what ``orders.gate`` answers before DRF runs)."""
    return {"code": exc.code, "message": str(exc.message), "details": exc.details()}


def _domain_error(exc: DomainError) -> Response:
    body = domain_error_body(exc)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return Response(body, status=exc.http_status, headers=headers)


def _first_message(detail):
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_message(next(iter(detail.values())))
    return str(detail)


def _passthrough_headers(response):
    return {name: value for name, value in response.items() if name in ("WWW-Authenticate", "Retry-After")}
