"""Coupons and the shipping surcharge table. The rules that use them are ``pricing.rules``; the money of a cart or
an order is ``pricing.quotes``; spending and giving back a coupon's use is ``pricing.services``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import MAX_PRICE_WON, Category, Product

postal_code_validator = RegexValidator(r"^\d{5}$", _("A postal code is 5 digits."))


class Coupon(models.Model):
    """A discount staff create: typed as a code, or issued to chosen customers (their 쿠폰함), or both."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed amount")
        PERCENT = "percent", _("Percentage")

    name = models.CharField(_("name"), max_length=100)
    # Empty: no code to type; only the customers it was issued to have it.
    code = models.CharField(
        _("code"),
        max_length=32,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Letters, digits, - and _ only."))],
        help_text=_("What customers type at checkout; empty for a coupon only issued to chosen customers."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIXED)
    value = models.PositiveIntegerField(
        _("value"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PRICE_WON)],
        help_text=_("Won for a fixed amount; 1 to 100 for a percentage."),
    )
    max_discount = models.PositiveIntegerField(
        _("maximum discount (won)"), null=True, blank=True, help_text=_("The cap of a percentage discount.")
    )
    min_order_amount = models.PositiveIntegerField(
        _("minimum order (won)"), default=0, help_text=_("Of the products the coupon applies to.")
    )
    starts_at = models.DateTimeField(_("valid from"), default=timezone.now)
    ends_at = models.DateTimeField(_("valid until"))
    total_limit = models.PositiveIntegerField(
        _("uses in total"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    per_customer_limit = models.PositiveIntegerField(_("uses per customer"), default=1)
    # Orders holding a use now (placed, not expired or canceled); written only by pricing.services, by deltas.
    used_count = models.PositiveIntegerField(_("used"), default=0, editable=False)
    categories = models.ManyToManyField(
        Category, verbose_name=_("only in categories"), blank=True, related_name="+",
        help_text=_("Empty with no products either: every product."),
    )  # fmt: skip
    products = models.ManyToManyField(Product, verbose_name=_("only products"), blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="coupon_code_unique"),
            models.CheckConstraint(condition=Q(kind="fixed") | Q(value__lte=100), name="coupon_percent_at_most_100"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.PERCENT and self.value and self.value > 100:
            raise ValidationError({"value": _("A percentage is at most 100.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
        if self.code:
            self.code = self.code.upper()

    @property
    def is_percent(self):
        return self.kind == self.Kind.PERCENT


class CouponGrant(models.Model):
    """A coupon issued to one customer: it shows in their 쿠폰함, and a code-less coupon is theirs to use."""

    coupon = models.ForeignKey(Coupon, verbose_name=_("coupon"), related_name="grants", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), related_name="coupon_grants", on_delete=models.CASCADE
    )
    granted_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued coupon")
        verbose_name_plural = _("issued coupons")
        constraints = [models.UniqueConstraint(fields=["coupon", "user"], name="coupongrant_coupon_user")]

    def __str__(self):
        return f"{self.coupon} → {self.user}"


class CouponUse(models.Model):
    """One order's use of a coupon. Released (the use given back) when the order expires or is canceled."""

    coupon = models.ForeignKey(Coupon, verbose_name=_("coupon"), related_name="uses", on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    order = models.OneToOneField("orders.Order", related_name="coupon_use", on_delete=models.CASCADE)
    discount = models.PositiveIntegerField(_("discount (won)"))
    created_at = models.DateTimeField(_("used"), auto_now_add=True)
    released_at = models.DateTimeField(_("given back"), null=True, blank=True)

    class Meta:
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")
        indexes = [models.Index(fields=["coupon", "user"], name="couponuse_coupon_user")]

    def __str__(self):
        return f"{self.coupon} · {self.order_id}"


class ShippingSurcharge(models.Model):
    """An extra shipping fee for a range of postal codes (제주, 도서산간), inclusive at both ends."""

    name = models.CharField(_("area"), max_length=100)
    postal_code_from = models.CharField(_("postal code from"), max_length=5, validators=[postal_code_validator])
    postal_code_to = models.CharField(_("postal code to"), max_length=5, validators=[postal_code_validator])
    fee = models.PositiveIntegerField(_("surcharge (won)"), validators=[MaxValueValidator(1_000_000)])

    class Meta:
        verbose_name = _("shipping surcharge")
        verbose_name_plural = _("shipping surcharges")
        ordering = ["postal_code_from"]
        indexes = [models.Index(fields=["postal_code_from", "postal_code_to"], name="surcharge_range")]
        constraints = [
            models.CheckConstraint(
                condition=Q(postal_code_from__lte=models.F("postal_code_to")), name="surcharge_range_ordered"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.postal_code_from}-{self.postal_code_to}"
