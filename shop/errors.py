"""What a request gets when it fails outside a view's own handling: Django's error handlers (400, 403, 404,
500 and the CSRF failure), answered as JSON for the APIs and as the store's pages everywhere else; and the one
page helper for domain errors (``shop.exceptions.DomainError``): ``error_message`` for a view that stays on its
page, ``DomainErrorMiddleware`` for one that lets the error go.

``/api/`` answers in its error shape ``{"code", "message", "details"}``; allauth's ``/_allauth/`` in its own
``{"status", "errors": [{"code", "message"}]}``, which the mobile app already reads for every other error.
"""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure

from .exceptions import DomainError

API_PREFIX = "/api/"
HEADLESS_PREFIX = "/_allauth/"

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "unsupported_media_type",
    500: "server_error",
}


def json_error(request, status: int, *, code: str | None = None, message: str | None = None, details=None):
    """The JSON error for an API request (``None`` for a page request, which gets HTML)."""
    code = code or CODES.get(status, "error")
    message = message or _phrase(status)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"code": code, "message": message, "details": details}, status=status)
    if request.path.startswith(HEADLESS_PREFIX):
        return JsonResponse({"status": status, "errors": [{"code": code, "message": message}]}, status=status)
    return None


def bad_request(request, exception):
    # The body is over DATA_UPLOAD_MAX_MEMORY_SIZE (or holds too many fields): 413, not a plain 400.
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    response = json_error(request, status)
    if response is None:
        response = defaults.bad_request(request, exception)
        response.status_code = status
    return response


def permission_denied(request, exception):
    return json_error(request, 403) or defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return json_error(request, 404) or defaults.page_not_found(request, exception)


def server_error(request):
    return json_error(request, 500) or defaults.server_error(request)


def csrf_failure(request, reason=""):
    """The CSRF check failed: 403 with the API's error for API requests, Django's page otherwise."""
    return json_error(request, 403, code="csrf_failed", message=f"CSRF check failed: {reason}") or (
        django_csrf_failure(request, reason)
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_message(request, exc: DomainError) -> None:
    """A domain error as the messages of the page the customer is sent back to."""
    for text in exc.page_messages():
        messages.error(request, text)


def domain_error_response(request, exc: DomainError):
    """A domain error no view handled: the API's JSON error under the APIs, else a page with its status."""
    response = json_error(request, exc.http_status, code=exc.code, message=str(exc.message), details=exc.details())
    if response is None and exc.http_status == 404:
        response = page_not_found(request, Http404(str(exc.message)))
    if response is None:
        response = render(request, "error.html", {"messages_": exc.page_messages()}, status=exc.http_status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


class DomainErrorMiddleware:
    """Answers a domain error that escaped a view (DRF views answer theirs in ``shop.api.exceptions``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return domain_error_response(request, exception)
        return None
