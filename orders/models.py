"""Carts, orders and their history.

An order copies what it needs (prices, product names, the shipping address) so later edits of the catalog or
the address book never change it. Its status changes only through ``orders.services`` (see ``TRANSITIONS``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Product, Sku

from .couriers import COURIER_CHOICES, tracking_url


class CartItem(models.Model):
    """A line of a logged-in customer's cart. Visitors' carts live in the session (``orders.cart``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), related_name="cart_items", on_delete=models.CASCADE
    )
    sku = models.ForeignKey(Sku, verbose_name=_("SKU"), related_name="+", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField(_("quantity"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        constraints = [models.UniqueConstraint(fields=["user", "sku"], name="cartitem_user_sku")]

    def __str__(self):
        return f"{self.sku_id} × {self.quantity}"


def new_order_number() -> str:
    """A number a customer can read out on the phone: the day it was placed (Korean time) and 8 random digits,
    e.g. 20261201-48213907. Within Toss's orderId rules (6-64 of ``A-Za-z0-9_-``); not guessable in bulk, but
    what protects an order is the ownership check, not its number. Unique: placing retries on a collision."""
    return f"{timezone.localdate():%Y%m%d}-{secrets.randbelow(10**8):08d}"


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        PREPARING = "preparing", _("Preparing")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        EXPIRED = "expired", _("Expired")
        CANCELED = "canceled", _("Canceled")

    number = models.CharField(_("order number"), max_length=64, unique=True, default=new_order_number)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), related_name="orders", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    # The money, as pricing.quotes computed it when the order was placed: total = subtotal - discount + shipping.
    # The shipping base fee and free-shipping threshold of that day are kept so refunds apply that day's rules.
    subtotal = models.PositiveBigIntegerField(_("subtotal (won)"), default=0)
    discount = models.PositiveBigIntegerField(_("discount (won)"), default=0)
    shipping_fee = models.PositiveIntegerField(_("shipping fee (won)"), default=0)
    shipping_surcharge = models.PositiveIntegerField(_("shipping surcharge (won)"), default=0)
    shipping_base_fee = models.PositiveIntegerField(_("shipping base fee (won)"), default=0)
    free_shipping_threshold = models.PositiveIntegerField(_("free shipping from (won)"), default=0)
    total = models.PositiveBigIntegerField(_("total (won)"))
    recipient = models.CharField(_("recipient"), max_length=50)
    phone = models.CharField(_("phone"), max_length=13)
    postal_code = models.CharField(_("postal code"), max_length=5)
    address = models.CharField(_("address"), max_length=200)
    address_detail = models.CharField(_("detail"), max_length=200, blank=True)
    memo = models.CharField(_("delivery memo"), max_length=200, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=50, blank=True)
    courier = models.CharField(_("courier"), max_length=20, choices=COURIER_CHOICES, blank=True)
    # The sweep expires an unpaid order after this. Placing sets it ORDER_PAYMENT_MINUTES ahead; a payment in
    # flight or a virtual account awaiting deposit pushes it later (``orders.services.order_hold_for_payment``).
    payment_due_at = models.DateTimeField(_("pay by"), null=True, blank=True)
    created_at = models.DateTimeField(_("placed"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-id"]
        indexes = [
            # The expiry sweep: unpaid orders whose time is up.
            models.Index(fields=["status", "payment_due_at"], name="order_status_due"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"number": self.number})

    @property
    def tracking_url(self):
        """The courier's page following this parcel ("" before shipping or for an unknown courier)."""
        return tracking_url(self.courier, self.tracking_number)

    @property
    def status_display(self) -> str:
        """The status in the active language, as a plain attribute: the API reads it for every order it shows
        (``get_status_display`` is a method DRF would inspect on every call)."""
        return self.get_status_display()

    @property
    def can_cancel(self):
        """The customer may cancel: unpaid, or paid and not yet being prepared (then it is refunded)."""
        return self.status in CUSTOMER_CANCELABLE


S = Order.Status
# The whole status machine. Every change goes through orders.services.order_transition, which refuses the rest.
TRANSITIONS = {
    S.PENDING_PAYMENT: (S.PAID, S.EXPIRED, S.CANCELED),
    S.PAID: (S.PREPARING, S.CANCELED),
    S.PREPARING: (S.SHIPPED, S.CANCELED),
    S.SHIPPED: (S.DELIVERED,),
}
# Entering these gives the order's stock back; only reachable before shipping, so it happens at most once.
STOCK_RETURNING = (S.EXPIRED, S.CANCELED)
# Paid orders, whose lines can be refunded (after shipping too: goods sent back).
REFUNDABLE = (S.PAID, S.PREPARING, S.SHIPPED, S.DELIVERED)
# A customer cancels by themselves until staff start preparing; after that only staff cancel (and refund).
CUSTOMER_CANCELABLE = (S.PENDING_PAYMENT, S.PAID)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("order"), related_name="lines", on_delete=models.CASCADE)
    # PROTECT: a product that was sold cannot be deleted (hide it instead); the order keeps its name and price.
    # No database constraint: InnoDB's foreign-key check takes a shared lock on the product row for each line,
    # which kept a hot product's row locked through the line inserts of every order and halved checkout
    # throughput (docs/PERFORMANCE.md). Django still refuses the delete (admin, ORM); the column is indexed.
    product = models.ForeignKey(
        Product, verbose_name=_("product"), related_name="order_lines", on_delete=models.PROTECT, db_constraint=False
    )
    # The SKU sold, whose stock the line took (and gives back); no database constraint, for the same reason.
    sku = models.ForeignKey(
        Sku, verbose_name=_("SKU"), related_name="order_lines", on_delete=models.PROTECT, db_constraint=False
    )
    product_name = models.CharField(_("product name"), max_length=200)
    # The option values as they read when ordered ("블랙 / 260"); empty for a product without options.
    option_label = models.CharField(_("options"), max_length=200, blank=True)
    unit_price = models.PositiveIntegerField(_("unit price (won)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    # The line's part of the order's coupon discount (largest remainder: the parts add up to the discount).
    discount_share = models.PositiveIntegerField(_("discount share (won)"), default=0)
    # Units refunded line by line (a partial refund); their stock went back then. Owned by
    # ``orders.services.order_lines_refund``.
    refunded_quantity = models.PositiveIntegerField(_("refunded"), default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]

    def __str__(self):
        name = f"{self.product_name} ({self.option_label})" if self.option_label else self.product_name
        return f"{name} × {self.quantity}"

    @property
    def line_total(self):
        return self.unit_price * self.quantity

    @property
    def paid(self):
        """The line's total less its share of the discount."""
        return self.line_total - self.discount_share

    @property
    def kept_quantity(self):
        """Units the customer still has (ordered less refunded)."""
        return self.quantity - self.refunded_quantity


class OrderEvent(models.Model):
    """One status change: from what, to what, when and by whom (no actor: the system, e.g. expiry)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), related_name="events", on_delete=models.CASCADE)
    from_status = models.CharField(_("from"), max_length=20, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Order.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order history")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_from_status_display() or '-'} → {self.get_to_status_display()}"


class IdempotencyKey(models.Model):
    """A request that takes effect once: an API client's ``Idempotency-Key`` or a checkout page's one-time token.

    Written in the transaction of what the request did (the order), so a crash leaves neither; the unique
    (user, key) makes a concurrent duplicate wait for the first and then answer as it did (``orders.idempotency``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    key = models.CharField(_("key"), max_length=255)
    # sha256 of what was asked (the endpoint and its body): the same key with another body is refused.
    fingerprint = models.CharField(max_length=64)
    order = models.ForeignKey(Order, related_name="+", null=True, blank=True, on_delete=models.CASCADE)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_user_key")]

    def __str__(self):
        return self.key
