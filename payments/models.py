"""Payments through Toss, their event log, refunds and the webhooks Toss sends.

``Payment`` mirrors one Toss payment (one ``paymentKey``): every column is copied from Toss's last answer by
``payments.services``, the only writer. ``PaymentEvent`` is append-only: each confirm attempt, answer, cancel,
webhook and reconciliation, with the idempotency key that makes it happen once. Amounts shown to anyone come from
Toss's answers (``total_amount``, ``balance_amount``) and the refund records, never from a flag.
"""

from django.conf import settings
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderLine


class Payment(models.Model):
    class Status(models.TextChoices):
        # Toss's own names (Payment.status). IN_PROGRESS: authenticated in the widget, confirm not yet answered.
        READY = "READY", _("Ready")
        IN_PROGRESS = "IN_PROGRESS", _("Being confirmed")
        WAITING_FOR_DEPOSIT = "WAITING_FOR_DEPOSIT", _("Waiting for deposit")
        DONE = "DONE", _("Paid")
        CANCELED = "CANCELED", _("Canceled")
        PARTIAL_CANCELED = "PARTIAL_CANCELED", _("Partly canceled")
        ABORTED = "ABORTED", _("Failed")
        EXPIRED = "EXPIRED", _("Expired")

    order = models.ForeignKey(Order, related_name="payments", on_delete=models.PROTECT)
    payment_key = models.CharField(_("payment key"), max_length=200, unique=True)
    method = models.CharField(_("method"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.IN_PROGRESS)
    total_amount = models.PositiveBigIntegerField(_("amount (won)"))
    balance_amount = models.PositiveBigIntegerField(_("balance (won)"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    receipt_url = models.URLField(_("receipt"), max_length=500, blank=True)
    # Toss's per-payment secret: a DEPOSIT_CALLBACK carrying the same one is genuine.
    secret = models.CharField(max_length=100, blank=True)
    failure_code = models.CharField(_("failure code"), max_length=60, blank=True)
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    raw = models.JSONField(_("Toss's last answer"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="payment_status_updated")]

    def __str__(self):
        return f"{self.payment_key} ({self.status})"

    @property
    def virtual_account(self) -> dict | None:
        """Bank, account number, holder and due date of a virtual-account payment, as Toss gave them."""
        account = self.raw.get("virtualAccount") if isinstance(self.raw, dict) else None
        if not isinstance(account, dict):
            return None
        return {
            "bank": account.get("bankCode", ""),
            "account_number": account.get("accountNumber", ""),
            "holder": account.get("customerName", ""),
            "due_date": parse_datetime(account.get("dueDate") or "") if account.get("dueDate") else None,
            "refund_status": account.get("refundStatus", ""),
        }

    @property
    def is_virtual_account(self) -> bool:
        return self.method == "가상계좌"


class PaymentEvent(models.Model):
    """One thing that happened to a payment; ``idempotency_key`` makes each happen (and be recorded) once."""

    class Kind(models.TextChoices):
        CONFIRM_ATTEMPT = "confirm_attempt", _("Confirm sent")
        CONFIRM_ANSWER = "confirm_answer", _("Confirm answered")
        CONFIRM_REFUSED = "confirm_refused", _("Confirm refused")
        CONFIRM_UNKNOWN = "confirm_unknown", _("Confirm outcome unknown")
        SYNC = "sync", _("Read from Toss")
        CANCEL = "cancel", _("Cancel")
        WEBHOOK = "webhook", _("Webhook")

    payment = models.ForeignKey(Payment, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    idempotency_key = models.CharField(_("idempotency key"), max_length=300, unique=True)
    status = models.CharField(_("status after"), max_length=30, blank=True)
    amount = models.BigIntegerField(_("amount (won)"), null=True, blank=True)
    code = models.CharField(_("code"), max_length=60, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind} {self.status}"


class Refund(models.Model):
    """Money given back: all of the balance (an order canceled) or chosen lines (a partial cancel at Toss)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Being refunded")
        DONE = "done", _("Refunded")
        FAILED = "failed", _("Refund failed")

    payment = models.ForeignKey(Payment, related_name="refunds", on_delete=models.PROTECT)
    order = models.ForeignKey(Order, related_name="refunds", on_delete=models.PROTECT)
    amount = models.PositiveBigIntegerField(_("amount (won)"))
    # True: the whole remaining balance (the order is canceled); False: the lines below, by cancelAmount.
    is_full = models.BooleanField(_("whole order"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    idempotency_key = models.CharField(_("idempotency key"), max_length=300, unique=True)
    transaction_key = models.CharField(_("Toss transaction key"), max_length=64, null=True, blank=True, unique=True)
    # A deposited virtual account is refunded to this account (Toss's refundReceiveAccount).
    refund_account = models.JSONField(null=True, blank=True)
    failure_code = models.CharField(_("failure code"), max_length=60, blank=True)
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "created_at"], name="refund_status_created")]

    def __str__(self):
        return f"{self.order_id}: {self.amount}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, related_name="lines", on_delete=models.CASCADE)
    order_line = models.ForeignKey(OrderLine, related_name="refund_lines", on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("refunded line")
        verbose_name_plural = _("refunded lines")
        constraints = [models.UniqueConstraint(fields=["refund", "order_line"], name="refundline_refund_line")]

    def __str__(self):
        return f"{self.order_line_id} × {self.quantity}"


class WebhookEvent(models.Model):
    """A webhook as Toss sent it, kept before anything is done with it (deduplicated by its body's hash)."""

    digest = models.CharField(max_length=64, unique=True)
    transmission_id = models.CharField(max_length=100, blank=True)
    event_type = models.CharField(max_length=40, blank=True)
    body = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.event_type or 'event'} {self.received_at:%Y-%m-%d %H:%M}"
