"""Staff's payment tools: payments with their event log, refunds, and an order's cancel / refund-lines page.

Every change goes through ``payments.services``; the refund form carries a one-time key so a double click or a
resubmitted page refunds once.
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from orders.exceptions import OrderError
from orders.models import Order
from shop.admin_display import won_column

from . import selectors, services
from .forms import BANK_ACCOUNT, BANKS
from .models import Payment, PaymentEvent, Refund, RefundLine, WebhookEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ["created_at", "kind", "status", "amount_won", "code", "message", "idempotency_key"]
    readonly_fields = fields
    amount_won = won_column("amount", _("amount"))


class RefundLineInline(ReadOnlyInline):
    model = RefundLine
    fields = ["order_line", "quantity"]
    readonly_fields = fields


class ReadOnlyAdmin(admin.ModelAdmin):
    # Amount fields shown on the (read-only) change page through their formatted columns (219,700원).
    money_fields: dict[str, str] = {}

    def get_fields(self, request, obj=None):
        return [self.money_fields.get(name, name) for name in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.money_fields.values()]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["payment_key", "order", "method", "status", "total_won", "balance_won", "approved_at"]
    total_won = won_column("total_amount", _("amount"))
    balance_won = won_column("balance_amount", _("balance"))
    money_fields = {"total_amount": "total_won", "balance_amount": "balance_won"}
    list_filter = ["status", "method"]
    search_fields = ["payment_key", "order__number", "order__user__email"]
    list_select_related = ["order"]
    exclude = ["secret", "raw"]
    inlines = [PaymentEventInline]

    def get_urls(self):
        refund = self.admin_site.admin_view(self.refund_view)
        return [path("order/<int:order_id>/refund/", refund, name="payments_order_refund"), *super().get_urls()]

    def refund_view(self, request, order_id):
        """An order's payment and refunds, with forms to cancel it (full refund) or refund chosen lines."""
        if not request.user.has_perm("orders.change_order"):
            raise PermissionDenied
        order = get_object_or_404(Order, pk=order_id)
        form = RefundForm(request.POST or None, order=order)
        state = selectors.payment_state(order=order)
        preview = None
        if request.method == "POST" and form.is_valid() and form.cleaned_data["action"] == "preview":
            if state.payment is not None:
                preview = selectors.refund_lines_quote(order=order, payment=state.payment, quantities=form.quantities())
        elif request.method == "POST" and form.is_valid():
            try:
                self._refund(request, order, form)
            except OrderError as exc:
                messages.error(request, exc.message)
            return redirect(reverse("admin:payments_order_refund", args=[order.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Payment and refunds of order %(number)s") % {"number": order.number},
            "order": order,
            "state": state,
            "preview": preview,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/payments/order_refund.html", context)

    def _refund(self, request, order, form):
        data = form.cleaned_data
        if data["action"] == "cancel":
            services.order_cancel_and_refund(
                order=order,
                actor=request.user,
                reason=data["reason"],
                refund_account=form.refund_account(),
                by_staff=True,
            )
            messages.success(request, _("The order was canceled and its payment refunded."))
            return
        refund = services.refund_lines(
            order=order,
            quantities=form.quantities(),
            reason=data["reason"],
            actor=request.user,
            key=data["nonce"],
            refund_account=form.refund_account(),
        )
        level = messages.SUCCESS if refund.status != Refund.Status.FAILED else messages.ERROR

        messages.add_message(request, level, f"{refund.amount:,}원: {refund.get_status_display()}")


class RefundForm(forms.Form):
    """Cancel the whole order, or refund chosen quantities of its lines."""

    action = forms.ChoiceField(
        choices=[
            ("preview", _("Show what the chosen quantities refund")),
            ("lines", _("Refund the chosen quantities")),
            ("cancel", _("Cancel the order")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)
    bank = forms.ChoiceField(label=_("Refund bank (virtual account)"), choices=BANKS, required=False)
    account_number = forms.CharField(max_length=20, required=False, validators=[BANK_ACCOUNT])
    holder_name = forms.CharField(max_length=60, required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.initial["nonce"] = f"staff-{secrets.token_urlsafe(24)}"
        self.line_fields = []
        for line in order.lines.order_by("id"):
            name = f"line_{line.id}"
            self.fields[name] = forms.IntegerField(
                label=f"{line.product_name} ({line.unit_price:,}원 × {line.kept_quantity}"
                + (f", −{line.discount_share:,}원" if line.discount_share else "")
                + ")",
                min_value=0,
                max_value=line.kept_quantity,
                initial=0,
                required=False,
            )
            self.line_fields.append((line, self[name]))

    def quantities(self) -> dict[int, int]:
        return {line.id: self.cleaned_data.get(f"line_{line.id}") or 0 for line, _ in self.line_fields}

    def refund_account(self):
        data = self.cleaned_data
        if data.get("bank") and data.get("account_number") and data.get("holder_name"):
            return {"bank": data["bank"], "accountNumber": data["account_number"], "holderName": data["holder_name"]}
        return None


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["order", "amount_won", "is_full", "status", "reason", "actor", "transaction_key", "created_at"]
    amount_won = won_column("amount", _("amount"))
    money_fields = {"amount": "amount_won"}
    list_filter = ["status", "is_full"]
    search_fields = ["order__number", "transaction_key"]
    list_select_related = ["order", "actor"]
    exclude = ["refund_account"]
    inlines = [RefundLineInline]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "event_type", "transmission_id", "processed_at", "outcome"]
    list_filter = ["event_type"]
