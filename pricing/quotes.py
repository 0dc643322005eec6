"""The money of a cart or an order, from the database: the one pricing step.

The cart page, the checkout page, order placement (``orders.services``), the API and so the Toss amount (the
order's total) all take their numbers from ``price_quote``; a client never sends a price or a total.
"""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils import timezone

from . import rules
from .exceptions import CouponError, CouponMinimumNotMet, CouponNotApplicable
from .selectors import coupon_applies_to, coupon_check, coupon_find, surcharge_for


@dataclass(frozen=True)
class QuoteLine:
    sku: object
    quantity: int
    unit_price: int
    regular_unit_price: int
    discount_share: int = 0

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def paid(self) -> int:
        return self.line_total - self.discount_share


@dataclass(frozen=True)
class Quote:
    lines: list[QuoteLine]
    subtotal: int
    discount: int
    shipping_surcharge: int
    shipping_fee: int
    total: int
    shipping_base_fee: int
    free_shipping_threshold: int
    postal_code: str = ""
    coupon: object = None
    # Why the coupon asked for does not apply (shown on the page); ``price_quote(strict=True)`` raises it instead.
    coupon_error: CouponError | None = field(default=None, compare=False)

    @property
    def goods(self) -> int:
        """The goods after the discount: what the free-shipping threshold is measured on."""
        return self.subtotal - self.discount

    @property
    def free_shipping_remaining(self) -> int:
        """How much more to add for free shipping ("N원 더 담으면 무료배송"); 0 when it is already free."""
        if not self.free_shipping_threshold or not self.lines:
            return 0
        return max(0, self.free_shipping_threshold - self.goods)

    @property
    def address_known(self) -> bool:
        return bool(self.postal_code)


def price_quote(*, lines, coupon=None, postal_code: str = "", now=None, strict: bool = False) -> Quote:
    """Price ``lines`` ((SKU with its product, quantity) pairs) now: unit prices (``Sku.price_at``), the coupon's
    discount shared over the lines it applies to (largest remainder), the shipping fee for ``postal_code``
    (base fee under the threshold; the surcharge once the address is known) and the total.

    A coupon that does not apply is left out, with ``coupon_error`` saying why; with ``strict`` it is raised.
    Whether the customer may use the coupon at all (period, limits, issued to them) is ``pricing.selectors``.
    """
    now = now or timezone.now()
    priced = [(sku, quantity, sku.price_at(now)) for sku, quantity in lines]
    subtotal = sum(price * quantity for _sku, quantity, price in priced)
    shares = [0] * len(priced)
    coupon_error = None
    if coupon is not None:
        try:
            shares = _coupon_shares(coupon, priced)
        except CouponError as exc:
            if strict:
                raise
            coupon, coupon_error = None, exc
    discount = sum(shares)
    surcharge = surcharge_for(postal_code)
    base_fee, threshold = settings.SHIPPING_BASE_FEE, settings.SHIPPING_FREE_THRESHOLD
    fee = rules.shipping_fee(
        goods=subtotal - discount, base_fee=base_fee, free_threshold=threshold, surcharge=surcharge, items=bool(lines)
    )
    quote_lines = [
        QuoteLine(sku, quantity, price, sku.regular_price, share)
        for (sku, quantity, price), share in zip(priced, shares, strict=True)
    ]
    return Quote(
        lines=quote_lines,
        subtotal=subtotal,
        discount=discount,
        shipping_surcharge=surcharge if lines else 0,
        shipping_fee=fee,
        total=subtotal - discount + fee,
        shipping_base_fee=base_fee,
        free_shipping_threshold=threshold,
        postal_code=postal_code or "",
        coupon=coupon,
        coupon_error=coupon_error,
    )


def _coupon_shares(coupon, priced) -> list[int]:
    weights = [price * quantity if coupon_applies_to(coupon, sku.product) else 0 for sku, quantity, price in priced]
    eligible = sum(weights)
    if not eligible:
        raise CouponNotApplicable()
    if eligible < coupon.min_order_amount:
        raise CouponMinimumNotMet(coupon.min_order_amount)
    discount = rules.coupon_discount(
        percent=coupon.is_percent, value=coupon.value, cap=coupon.max_discount, eligible_subtotal=eligible
    )
    return rules.allocate(discount, weights)


def checkout_quote(*, user, lines, coupon_code: str = "", coupon_id: int | None = None, postal_code: str = "") -> Quote:
    """The checkout page's preview: ``price_quote`` with the coupon the customer typed or chose, if they may use
    it (otherwise left out, with ``coupon_error`` saying why). Placing the order checks it all again."""
    coupon, error = None, None
    if coupon_code or coupon_id is not None:
        try:
            coupon = coupon_find(user=user, code=coupon_code, coupon_id=coupon_id)
            coupon_check(coupon=coupon, user=user)
        except CouponError as exc:
            coupon, error = None, exc
    quote = price_quote(lines=lines, coupon=coupon, postal_code=postal_code)
    if error is not None:
        quote = replace(quote, coupon_error=error)
    return quote
