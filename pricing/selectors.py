"""Reading coupons and surcharges: which coupon a code names, whether a customer may use it, their 쿠폰함."""

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
    row = (
        ShippingSurcharge.objects.filter(postal_code_from__lte=postal_code, postal_code_to__gte=postal_code)
        .order_by("-fee")
        .values_list("fee", flat=True)
        .first()
    )
    return row or 0
