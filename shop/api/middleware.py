"""Middleware that keeps the APIs answering JSON: bodies allauth's app API would choke on, and error responses
that a view returned rather than raised (raised errors go through ``shop.errors``' handlers)."""

from allauth.headless.internal.restkit.views import RESTView

from shop.errors import json_error
from shop.inputs import InvalidInput, parse_json


class ApiErrorsAsJsonMiddleware:
    """An error response under ``/api/`` or ``/_allauth/`` that is not JSON (such as the 405 of
    ``require_POST``) is replaced by the API's JSON error with the same status and headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement = json_error(request, response.status_code)
        if replacement is None:
            return response
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                replacement[header] = value
        replacement.cookies = response.cookies
        return replacement


class HeadlessJsonBodyMiddleware:
    """Checks a JSON body before allauth's headless views parse it.

    They parse with plain ``json.loads``: a few kilobytes of ``[[[`` raised ``RecursionError`` (a 500), and
    malformed JSON or a body that is not an object got a 400 with an empty body. Here such a body gets a 400
    in allauth's error shape; a good one goes on to allauth unchanged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if not (view_class and issubclass(view_class, RESTView) and view_class.handle_json_input):
            return None
        if request.method == "GET" or not request.body:
            return None
        try:
            document = parse_json(request.body)
        except InvalidInput as exc:
            return json_error(request, 400, code="invalid", message=f"The body is not valid JSON: {exc}")
        if not isinstance(document, dict):
            return json_error(request, 400, code="invalid", message="The body must be a JSON object.")
        return None
