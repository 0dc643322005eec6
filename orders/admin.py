"""Staff's order tools. Every status change goes through ``orders.services`` (the same state machine)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.admin_display import won_column
from shop.admin_upload import CsvUploadForm

from . import services, shipment_import
from .couriers import COURIER_CHOICES
from .exceptions import IllegalTransition
from .models import TRANSITIONS, Order, OrderEvent, OrderLine

# What staff may do from the change form. Canceling here is for unpaid orders; a paid order is canceled with its
# refund on the payments page (``payment_tools``). Payment and expiry belong to the payments app and the sweep.
STAFF_STEPS = {
    Order.Status.PREPARING: services.order_mark_preparing,
    Order.Status.SHIPPED: services.order_mark_shipped,
    Order.Status.DELIVERED: services.order_mark_delivered,
    Order.Status.CANCELED: services.order_cancel,
}


class OrderStatusForm(forms.ModelForm):
    next_status = forms.ChoiceField(label=_("Change status to"), required=False)
    new_courier = forms.ChoiceField(label=_("Courier"), choices=[("", "---------"), *COURIER_CHOICES], required=False)
    new_tracking_number = forms.CharField(label=_("Tracking number"), max_length=50, required=False)

    class Meta:
        model = Order
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [s for s in TRANSITIONS.get(self.instance.status, ()) if s in STAFF_STEPS]
        if self.instance.status != Order.Status.PENDING_PAYMENT:
            allowed = [s for s in allowed if s != Order.Status.CANCELED]  # with a refund, on the payment page
        self.fields["next_status"].choices = [("", "---------")] + [(s, Order.Status(s).label) for s in allowed]

    def clean(self):
        data = super().clean()
        if data.get("next_status") == Order.Status.SHIPPED and not data.get("new_tracking_number", "").strip():
            self.add_error("new_tracking_number", _("A shipped order needs a tracking number."))
        if data.get("next_status") == Order.Status.SHIPPED and not data.get("new_courier"):
            self.add_error("new_courier", _("Choose the courier."))
        return data


class ShipmentImportForm(CsvUploadForm):
    """The CSV upload of this import (``shop.admin_upload``)."""


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fields = ["product", "sku", "product_name", "option_label", "unit_price_won", "quantity", "refunded_quantity"]
    readonly_fields = fields
    unit_price_won = won_column("unit_price", _("unit price"), ordering=False)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    form = OrderStatusForm
    list_display = ["number", "user", "status", "total_won", "created_at"]
    total_won = won_column("total", _("total"))
    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["number", "user__email", "recipient", "phone"]
    list_select_related = ["user"]
    inlines = [OrderLineInline, OrderEventInline]
    readonly_fields = [
        "number", "user", "status", "total_won", "courier", "tracking_number", "payment_due_at", "payment_tools", "recipient",
        "phone", "postal_code", "address", "address_detail", "memo", "created_at", "updated_at",
    ]  # fmt: skip
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "user",
                    "status",
                    "total_won",
                    "courier",
                    "tracking_number",
                    "payment_due_at",
                    "created_at",
                ]
            },
        ),
        (_("Payment and refunds"), {"fields": ["payment_tools"]}),
        (_("Shipping"), {"fields": ["recipient", "phone", "postal_code", "address", "address_detail", "memo"]}),
        (_("Change status"), {"fields": ["next_status", "new_courier", "new_tracking_number"]}),
    ]
    actions = ["mark_preparing", "mark_delivered"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Payment"))
    def payment_tools(self, obj):
        # The payments app's page for this order: its payment, refunds, and the cancel / refund-lines form.
        url = reverse("admin:payments_order_refund", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Payment, cancel and refunds"))

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.ship_import_view)
        return [path("ship-import/", view, name="orders_order_ship_import"), *super().get_urls()]

    def ship_import_view(self, request):
        """Upload a CSV of order number, courier and tracking number; see every row checked, then ship them all."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ShipmentImportForm(request.POST or None, request.FILES or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form}
        if request.method == "POST" and "apply" in request.POST:
            try:
                shipped = shipment_import.shipment_import_apply(text=request.POST.get("text", ""), actor=request.user)
            except shipment_import.ShipmentImportRefused as exc:
                self.message_user(request, exc.message, messages.ERROR)
                context.update(plan=exc.plan)
            else:
                message = ngettext("%(count)d order shipped.", "%(count)d orders shipped.", shipped)
                self.message_user(request, message % {"count": shipped}, messages.SUCCESS)
                return redirect("admin:orders_order_changelist")
        elif request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            context.update(plan=shipment_import.shipment_import_read(text=text), text=text)
        return TemplateResponse(request, "admin/orders/order/ship_import.html", context)

    def save_model(self, request, obj, form, change):
        step = form.cleaned_data.get("next_status")
        if not step:
            return
        extra = {}
        if step == Order.Status.SHIPPED:
            extra = {
                "tracking_number": form.cleaned_data["new_tracking_number"],
                "courier": form.cleaned_data["new_courier"],
            }
        try:
            STAFF_STEPS[step](order=obj, actor=request.user, **extra)
        except IllegalTransition as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def _bulk(self, request, queryset, step):
        done = 0
        for order in queryset:
            try:
                step(order=order, actor=request.user)
                done += 1
            except IllegalTransition as exc:
                self.message_user(request, f"{order.number}: {exc.message}", messages.WARNING)
        self.message_user(request, ngettext("%d order changed.", "%d orders changed.", done) % done, messages.SUCCESS)

    @admin.action(description=_("Mark as preparing"))
    def mark_preparing(self, request, queryset):
        self._bulk(request, queryset, services.order_mark_preparing)

    @admin.action(description=_("Mark as delivered"))
    def mark_delivered(self, request, queryset):
        self._bulk(request, queryset, services.order_mark_delivered)
