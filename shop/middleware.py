"""Middleware the whole site shares: request ids for the logs, and the store's language choice."""

import contextvars
import re
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

request_id_var = contextvars.ContextVar("request_id", default="-")
# The request being served, for the log context (shop.logs): its user and order number.
request_var = contextvars.ContextVar("request", default=None)

# An incoming X-Request-ID (from a load balancer) is kept only if it looks like an id, so nothing a client
# sends can forge log lines.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id, puts it on every log record and on the response (X-Request-ID)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset after the response: Django logs 5xx responses after the middleware chain returns, and
        # those lines need the id too. Each request runs in its own thread or context, so nothing leaks across.
        request_id_var.set(request_id)
        request_var.set(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class StoreLocaleMiddleware(LocaleMiddleware):
    """Korean unless the customer picked another language (the footer's switcher sets the cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which turns a Korean store English
    for every visitor whose browser is set up in English; a Korean store should not do that.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language


class RetryAfterMiddleware:
    """Every 429 says when to try again. Refusals that know the exact wait set it themselves (failed log-ins,
    accounts.login_limits); allauth's other limits (log-ins and sign-ups per minute per IP) get a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
        return response
