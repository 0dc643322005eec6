"""An invalid keyset cursor (``shop.cursors.InvalidCursor``) as the API's 400 ``{"code", "message", "details"}``."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework.response import Response

from shop.api.serializers import ErrorSerializer
from shop.cursors import InvalidCursor

AFTER_PARAMETER = OpenApiParameter(
    "after", str, description="The opaque cursor from the previous page's `next`; omit it for the first page."
)
INVALID_CURSOR = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Invalid input: code invalid (details per parameter) or invalid_cursor (`after` was forged, altered, or "
        "made for another list or sort: start again from the first page)."
    ),
    examples=[
        OpenApiExample(
            "invalid",
            {
                "code": "invalid",
                "message": '"zzz" is not a valid choice.',
                "details": {"sort": ['"zzz" is not a valid choice.']},
            },
        ),
        OpenApiExample(
            "invalid_cursor",
            {
                "code": "invalid_cursor",
                "message": "This page link is invalid or has expired. Start again from the first page.",
                "details": {"parameter": "after"},
            },
        ),
    ],
)


class CursorErrorsMixin:
    """For API views of keyset lists: a bad ``after`` is the client's error (400), never a 500."""

    def handle_exception(self, exc):
        if not isinstance(exc, InvalidCursor):
            return super().handle_exception(exc)
        body = {"code": exc.code, "message": str(exc.message), "details": exc.details()}
        return Response(body, status=exc.http_status)
