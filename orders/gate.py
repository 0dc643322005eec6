"""The order API's sold-out gate: a 선착순 drop's losers answered before authentication and the API's stack.

On the day a thousand buyers press 구매 for a hundred units, nine hundred of them must be told 409
``out_of_stock``, and each of those answers should cost the server less than a request that does nothing but
authenticate (the benchmark's floor: bench/drop.py). ``catalog.stock``'s sold-out flag already refuses them
before any query or lock, but only after the session lookup, the user's row, CSRF, the throttle and DRF.

This middleware answers ``POST /api/v1/orders/`` itself when, and only when, all of this holds:

- this process lately saw one of the named SKUs flagged sold out (``stock.stock_sold_out_seen``: no Redis, no
  query; otherwise the request goes on untouched, so an ordinary order pays one dictionary lookup);
- the request carries credentials (an ``X-Session-Token`` or the session cookie; not checked here: a sold-out
  SKU is public, the product page shows it), so a caller with none still gets the API's 401;
- it has no ``Idempotency-Key`` (a retry of an order placed before the sell-out must get its first answer
  again, which only the API's idempotency record knows);
- every line of its body passes the API's own line validation (``OrderLineInputSerializer``: bad lines get the
  API's 400) and names a SKU. The rest of the body (the address, the coupon) is not looked at: for an order that
  cannot be placed, "sold out" is the answer worth giving, whatever else the body holds;
- and ``stock.stock_sold_out_check``, the same Redis read the checkout makes first, refuses it.

The answer is the API's own 409 (``shop.errors.domain_error_response``: code, message in the customer's
language, the short lines), counted in ``shop_order_refusals_total`` like any refusal. Anything else, a flag
gone included, goes on to the API unchanged, and the flag itself never refuses a buyer while stock remains
(``catalog.stock``).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.urls import reverse
from rest_framework.exceptions import ValidationError

from catalog import stock
from catalog.exceptions import OutOfStock
from shop import metrics
from shop.api.serializers import validated
from shop.errors import domain_error_response
from shop.exceptions import DomainError
from shop.inputs import InvalidInput, parse_json

from . import services
from .api.serializers import ORDER_LINES_MAX, OrderLineInputSerializer


class SoldOutGateMiddleware:
    """Sits after the locale middleware (the refusal speaks the customer's language) and the common one (which
    gives every answer its Content-Length), before CSRF, authentication and everything after them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = None

    def __call__(self, request):
        refusal = self.refusal(request)
        return self.get_response(request) if refusal is None else refusal

    def refusal(self, request):
        if request.method != "POST":
            return None
        if self.path is None:
            self.path = reverse("api:orders")
        if request.path_info != self.path or "Idempotency-Key" in request.headers:
            return None
        if not (request.headers.get("X-Session-Token") or settings.SESSION_COOKIE_NAME in request.COOKIES):
            return None
        if request.content_type != "application/json":
            return None
        quantities = _sku_quantities(request)
        if not quantities:
            return None
        try:
            stock.stock_sold_out_check(quantities)
        except OutOfStock as exc:
            metrics.order_refused(exc)
            return domain_error_response(request, exc)
        return None


def _sku_quantities(request) -> dict[int, int] | None:
    """{sku_id: quantity} of an order body with valid lines naming SKUs this process saw flagged; else None."""
    if not stock.stock_sold_out_seen_any():  # the common case, decided before reading the body: no drop on
        return None
    try:
        document = parse_json(request.body)
    except (InvalidInput, RequestDataTooBig):
        return None
    lines = document.get("lines") if isinstance(document, dict) else None
    if not isinstance(lines, list):
        return None
    named = [line["sku_id"] for line in lines if isinstance(line, dict) and isinstance(line.get("sku_id"), int)]
    if not stock.stock_sold_out_seen(named):
        return None
    if not 1 <= len(lines) <= ORDER_LINES_MAX:
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
