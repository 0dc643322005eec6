"""The outbox of order emails: one row per email, recorded in the transaction of the event it tells about.

``event_key`` is unique, so an event that is applied twice (a retried webhook, a replayed task) records one
email; the row is the email's state (sent or not, attempts, last SMTP error) and what the send task reads.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderEmail(models.Model):
    class Kind(models.TextChoices):
        PLACED = "placed", _("Order placed")
        AWAITING_DEPOSIT = "awaiting_deposit", _("Awaiting deposit")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        CANCELED = "canceled", _("Canceled")
        REFUNDED = "refunded", _("Refunded")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # String reference: orders calls this app, so this app does not import orders.
    order = models.ForeignKey("orders.Order", related_name="emails", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event_key = models.CharField(_("event"), max_length=120, unique=True)
    to = models.EmailField(_("to"))
    # What the email needs beyond the order as it is when sent (a refund's amount, the virtual account).
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("order email")
        verbose_name_plural = _("order emails")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="orderemail_status_created")]

    def __str__(self):
        return f"{self.event_key} → {self.to}"
