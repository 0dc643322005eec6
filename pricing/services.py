"""Spending a coupon's use with an order, giving it back, and loading the surcharge table.

A coupon's ``used_count`` is written only here and only by deltas, under the coupon's row lock. Lock order (with
``orders.services``): an order's row, then a coupon's row, then SKU rows. Placing an order locks the coupon
before it takes stock; expiring or canceling one gives the coupon back before the stock.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .exceptions import CouponAlreadyUsed, CouponUsedUp
from .models import Coupon, CouponUse, ShippingSurcharge
from .selectors import coupon_check, surcharge_table_forget


def coupon_lock(*, coupon: Coupon, user, now=None) -> Coupon:
    """Lock the coupon's row for an order being placed (inside its transaction) and check, under the lock, that
    this customer may still use it: valid now, theirs, a use left in total and for them. Concurrent checkouts
    queue on the row, so the last use goes to exactly one of them."""
    locked = Coupon.objects.select_for_update().get(pk=coupon.pk)
    coupon_check(coupon=locked, user=user, now=now)
    if locked.total_limit is not None and locked.used_count >= locked.total_limit:
        raise CouponUsedUp()
    held = CouponUse.objects.filter(coupon=locked, user=user, released_at__isnull=True).count()
    if held >= locked.per_customer_limit:
        raise CouponAlreadyUsed()
    return locked


def coupon_spend(*, coupon: Coupon, user, order, discount: int) -> CouponUse:
    """Record the order's use of a coupon locked by ``coupon_lock`` in this transaction."""
    Coupon.objects.filter(pk=coupon.pk).update(used_count=F("used_count") + 1)
    return CouponUse.objects.create(coupon=coupon, user=user, order=order, discount=discount)


def coupon_release(*, order) -> bool:
    """Give back the coupon use of an order that expired or was canceled in full (the caller holds the order's
    row lock, so this happens once). True if there was one."""
    with transaction.atomic():
        use = CouponUse.objects.select_for_update().filter(order=order, released_at__isnull=True).first()
        if use is None:
            return False
        Coupon.objects.filter(pk=use.coupon_id, used_count__gt=0).update(used_count=F("used_count") - 1)
        CouponUse.objects.filter(pk=use.pk).update(released_at=timezone.now())
    return True


def surcharges_replace(*, rows) -> int:
    """Replace the whole surcharge table with ``rows`` (validated ``pricing.surcharge_import`` rows) at once."""
    with transaction.atomic():
        ShippingSurcharge.objects.all().delete()
        ShippingSurcharge.objects.bulk_create(
            ShippingSurcharge(name=row.name, postal_code_from=row.start, postal_code_to=row.end, fee=row.fee)
            for row in rows
        )
        surcharge_table_forget()
    return len(rows)
