"""찜 (a customer's wish list) and 재입고 알림 (restock alerts for sold-out products or SKUs)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WishItem(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="wish_items", on_delete=models.CASCADE)
    product = models.ForeignKey("catalog.Product", related_name="+", on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("wish list item")
        verbose_name_plural = _("wish list")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="wishitem_user_product")]

    def __str__(self):
        return f"{self.user_id} ♥ {self.product_id}"


class RestockSubscription(models.Model):
    """Email me when this comes back: a whole product (any of its SKUs) or one SKU (an option)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="restock_subscriptions", on_delete=models.CASCADE)
    product = models.ForeignKey("catalog.Product", related_name="+", on_delete=models.CASCADE)
    sku = models.ForeignKey("catalog.Sku", null=True, blank=True, related_name="+", on_delete=models.CASCADE)
    # The SKU's id, or 0 for the whole product: a plain column, so one unique key covers both kinds
    # (MariaDB cannot enforce a unique constraint with a condition).
    sku_key = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    # Set when the alert is claimed for sending; a new subscription after that starts from None again.
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("restock alert")
        verbose_name_plural = _("restock alerts")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "product", "sku_key"], name="restock_user_product_sku"),
        ]
        indexes = [models.Index(fields=["product", "notified_at"], name="restock_product_pending")]

    def __str__(self):
        return f"{self.user_id} → {self.sku_id or self.product_id}"
