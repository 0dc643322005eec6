"""The schema of keyset lists: the ``after`` parameter and the 400 of a bad one (``shop.cursors.InvalidCursor``)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from shop.api.serializers import ErrorSerializer

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
