"""Reading coupons and surcharges: which coupon a code names, whether a customer may use it, their 쿠폰함."""

import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .exceptions import CouponNotFound, CouponNotValidNow
from .models import Coupon, CouponGrant, ShippingSurcharge


def coupon_find(*, user, code: str = "", coupon_id: int | None = None) -> Coupon:
    """The coupon a customer means: a code they typed (any case), or the id of one in their 쿠폰함.
    ``CouponNotFound`` otherwise, the same for every reason, so a guess learns nothing."""
    queryset = Coupon.objects.filter(is_active=True).prefetch_related("categories", "products")
    code = (code or "").strip().upper()
    if code:
        coupon = queryset.filter(code=code).first()
    elif coupon_id is not None and user is not None and user.is_authenticated:
        coupon = queryset.filter(pk=coupon_id, grants__user=user).first()
    else:
        coupon = None
    if coupon is None:
        raise CouponNotFound()
    return coupon


def coupon_check(*, coupon: Coupon, user, now=None) -> None:
    """Valid now and usable by this customer: a code-less coupon only by those it was issued to."""
    now = now or timezone.now()
    if not coupon.is_active or not coupon.starts_at <= now < coupon.ends_at:
        raise CouponNotValidNow()
    if not coupon.code and not CouponGrant.objects.filter(coupon=coupon, user=user).exists():
        raise CouponNotFound()


def coupon_applies_to(coupon: Coupon, product) -> bool:
    """A restricted coupon applies to its products and to products in its categories (and their children)."""
    product_ids = {p.pk for p in coupon.products.all()}
    category_ids = {c.pk for c in coupon.categories.all()}
    if not product_ids and not category_ids:
        return True
    if product.pk in product_ids:
        return True
    category = product.category
    while category is not None:
        if category.pk in category_ids:
            return True
        category = category.parent
    return False


def coupon_box(*, user, now=None) -> list[Coupon]:
    """A customer's 쿠폰함: coupons issued to them, valid now and with a use left for them, ending soonest first."""
    now = now or timezone.now()
    coupons = (
        Coupon.objects.filter(grants__user=user, is_active=True, starts_at__lte=now, ends_at__gt=now)
        .annotate(held=Count("uses", filter=Q(uses__user=user, uses__released_at__isnull=True)))
        .order_by("ends_at", "id")
    )
    return [
        coupon
        for coupon in coupons
        if coupon.held < coupon.per_customer_limit
        and (coupon.total_limit is None or coupon.used_count < coupon.total_limit)
    ]


def surcharge_for(postal_code: str) -> int:
    """The shipping surcharge for a postal code: the largest of the ranges it falls in, else 0."""
    if not postal_code or len(postal_code) != 5 or not postal_code.isdigit():
        return 0
    return max((fee for start, end, fee in _surcharge_ranges() if start <= postal_code <= end), default=0)


class _SurchargeTable:
    """The surcharge table as this process last read it: (start, end, fee) ranges and when (``time.monotonic``).

    Every order is priced with it (``pricing.quotes``), so reading the table every few seconds rather than once
    an order saves a statement on the checkout's path. A change through the admin or ``surcharges_replace`` is
    forgotten at once in the process that made it, and reaches every other process within
    ``PRICING_SURCHARGE_CACHE_SECONDS`` (5 s); an order records the surcharge it was charged, and the customer
    pays the order's total, so an order placed in those seconds is charged consistently, at the old fee.
    """

    ranges: tuple = ()
    read_at: float | None = None
    generation = 0  # moved by every forget, so a read that began before one is not kept
    lock = threading.Lock()


def _surcharge_ranges() -> tuple:
    with _SurchargeTable.lock:
        ranges, read_at, generation = _SurchargeTable.ranges, _SurchargeTable.read_at, _SurchargeTable.generation
    began = time.monotonic()
    if read_at is not None and began - read_at < settings.PRICING_SURCHARGE_CACHE_SECONDS:
        return ranges
    ranges = tuple(ShippingSurcharge.objects.values_list("postal_code_from", "postal_code_to", "fee"))
    with _SurchargeTable.lock:
        if _SurchargeTable.generation == generation:
            _SurchargeTable.ranges, _SurchargeTable.read_at = ranges, began
    return ranges


def surcharge_table_forget() -> None:
    """Forget the table this process read (a surcharge changed): now, and again once the change commits, so a
    read made between the two cannot keep the rows from before it."""
    surcharge_table_clear()
    transaction.on_commit(surcharge_table_clear)


def surcharge_table_clear() -> None:
    with _SurchargeTable.lock:
        _SurchargeTable.ranges, _SurchargeTable.read_at = (), None
        _SurchargeTable.generation += 1
