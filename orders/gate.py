"""The order API's sold-out gate: a 선착순 drop's losers answered before the API authenticates them.

On the day a thousand buyers press 구매 for a hundred units, nine hundred of them must be told 409
``out_of_stock``, and each of those answers should cost the server less than a request that does nothing but
authenticate (the benchmark's floor: bench/drop.py). ``catalog.stock``'s sold-out flag already refuses them
before any query or lock, but only after DRF, the customer's row and the view's own work.

This middleware answers ``POST /api/v1/orders/`` itself when, and only when, all of this holds:

- this process lately saw one of the named SKUs flagged sold out (``stock.stock_sold_out_seen``: no Redis, no
  query; otherwise the request goes on untouched, so an ordinary order pays one dictionary lookup);
- it comes from the app: an ``X-Session-Token`` whose session exists and names a customer (allauth's own
  lookup, one cache read; the customer's row is not read). A browser's cookie session goes on to the API,
  which checks CSRF; so does a request with no credentials or a dead token, which the API answers 401;
- it has no ``Idempotency-Key`` (a retry of an order placed before the sell-out must get its first answer
  again, which only the API's idempotency record knows);
- every line of its body passes the API's own line validation (``OrderLineInputSerializer``: bad lines get the
  API's 400) and names a SKU. The rest of the body (the address, the coupon) is not looked at: for an order that
  cannot be placed, "sold out" is the answer worth giving, whatever else the body holds;
- and ``stock.stock_sold_out_check``, the same Redis read the checkout makes first, refuses it.

The answer is the API's own 409 (status, JSON body byte for byte, the customer's language), counted in
``shop_order_refusals_total`` like any refusal. The middleware is the innermost one, so every other middleware
still sees the request and its answer (request id, security headers, Prometheus' response counters); the
session, CSRF and authentication middleware do nothing until a view asks, and no view runs.

What the API would have said differently, in the rare cases where it differs:

- a customer deactivated, or whose password changed, since the token was issued gets 409 rather than 401 (the
  session still exists; the row that would tell is not read);
- a refusal here does not count against the customer's order throttle (``OrderPlaceThrottle``), so a buyer
  pressing 구매 again and again during a sell-out keeps hearing "sold out" rather than, after 30 a minute,
  "too many requests". The throttle stops a customer placing orders too fast; a refusal places nothing and costs
  less than the throttle's own Redis round trip would add to it (bench/order_cost.py).

Anything else, a flag gone included, goes on to the API unchanged, and the flag itself never refuses a buyer
while stock remains (``catalog.stock``).
"""

from allauth.headless import app_settings as headless_settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.urls import reverse
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer

from catalog import stock
from catalog.exceptions import OutOfStock
from shop import metrics
from shop.api.exceptions import domain_error_body
from shop.api.serializers import validated
from shop.exceptions import DomainError
from shop.inputs import InvalidInput, parse_json

from . import services
from .api.serializers import ORDER_LINES_MAX, OrderLineInputSerializer


class SoldOutGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.path = None

    def __call__(self, request):
        refusal = self.refusal(request)
        return self.get_response(request) if refusal is None else refusal

    def refusal(self, request):
        if request.method != "POST" or not stock.stock_sold_out_seen_any():
            return None
        if self.path is None:
            self.path = reverse("api:orders")  # with the script prefix, as request.path has it
        token = request.headers.get("X-Session-Token")
        if request.path != self.path or not token or "Idempotency-Key" in request.headers:
            return None
        if request.content_type != "application/json":
            return None
        quantities = _sku_quantities(request)
        if not quantities:
            return None
        session = headless_settings.TOKEN_STRATEGY.lookup_session(token)
        user_id = session.get(SESSION_KEY) if session else None
        if not user_id:
            return None
        try:
            stock.stock_sold_out_check(quantities)
        except OutOfStock as exc:
            metrics.order_refused(exc)
            return _api_error(exc)
        return None


def _api_error(exc: OutOfStock) -> HttpResponse:
    """The API's answer to ``exc`` (``shop.api.exceptions``), rendered as DRF renders it."""
    body = JSONRenderer().render(domain_error_body(exc))
    return HttpResponse(body, status=exc.http_status, content_type="application/json")


def _sku_quantities(request) -> dict[int, int] | None:
    """{sku_id: quantity} of an order body with valid lines naming SKUs this process saw flagged; else None."""
    try:
        document = parse_json(request.body)
    except (InvalidInput, RequestDataTooBig):
        return None
    lines = document.get("lines") if isinstance(document, dict) else None
    if not isinstance(lines, list) or not 1 <= len(lines) <= ORDER_LINES_MAX:
        return None
    named = [line["sku_id"] for line in lines if isinstance(line, dict) and isinstance(line.get("sku_id"), int)]
    if not stock.stock_sold_out_seen(named):
        return None
    try:
        lines = [validated(OrderLineInputSerializer, line) for line in lines]
    except ValidationError:
        return None
    if any("sku_id" not in line for line in lines):
        return None
    try:
        return services.requested_quantities([(line["sku_id"], line["quantity"]) for line in lines])
    except DomainError:
        return None
