"""Staff's pricing tools: coupons (issued to chosen customers from here) and the shipping surcharge table with
its CSV import (a preview with per-row errors, then the whole table replaced)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.admin_upload import CsvUploadForm

from . import selectors, services, surcharge_import
from .models import Coupon, CouponGrant, CouponUse, ShippingSurcharge


class CouponGrantInline(admin.TabularInline):
    """Issue the coupon to chosen customers: one row each (it then shows in their 쿠폰함)."""

    model = CouponGrant
    extra = 1
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_at"]


class CouponUseInline(admin.TabularInline):
    model = CouponUse
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["order", "user", "discount", "created_at", "released_at"]
    readonly_fields = fields


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "value", "min_order_amount", "starts_at", "ends_at", "used", "is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["categories", "products"]
    readonly_fields = ["used_count"]
    fieldsets = [
        (None, {"fields": ["name", "code", "is_active"]}),
        (_("Discount"), {"fields": ["kind", "value", "max_discount", "min_order_amount"]}),
        (
            _("Validity and limits"),
            {"fields": ["starts_at", "ends_at", "total_limit", "per_customer_limit", "used_count"]},
        ),
        (_("Only for"), {"fields": ["categories", "products"]}),
    ]
    inlines = [CouponGrantInline, CouponUseInline]

    @admin.display(description=_("used"), ordering="used_count")
    def used(self, coupon):
        return f"{coupon.used_count} / {coupon.total_limit}" if coupon.total_limit is not None else coupon.used_count


class SurchargeImportForm(CsvUploadForm):
    """The CSV upload of this import (``shop.admin_upload``)."""


@admin.register(ShippingSurcharge)
class ShippingSurchargeAdmin(admin.ModelAdmin):
    list_display = ["name", "postal_code_from", "postal_code_to", "fee"]
    list_editable = ["fee"]
    search_fields = ["name", "postal_code_from", "postal_code_to"]

    # Each change makes every process forget the table it keeps (pricing.selectors): this one at once, the
    # others within PRICING_SURCHARGE_CACHE_SECONDS.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        selectors.surcharge_table_forget()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        selectors.surcharge_table_forget()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        selectors.surcharge_table_forget()

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="pricing_shippingsurcharge_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a CSV file of postal code ranges, see every row checked, then replace the table with them."""
        if not (self.has_add_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        form = SurchargeImportForm(request.POST or None, request.FILES or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form}
        if request.method == "POST" and "apply" in request.POST:
            plan = surcharge_import.surcharge_import_read(text=request.POST.get("text", ""))
            if plan.ok:
                count = services.surcharges_replace(rows=plan.rows)
                message = ngettext("%(count)d surcharge range loaded.", "%(count)d surcharge ranges loaded.", count)
                self.message_user(request, message % {"count": count}, messages.SUCCESS)
                return redirect("admin:pricing_shippingsurcharge_changelist")
            self.message_user(request, _("Some rows have errors: nothing was changed."), messages.ERROR)
            context.update(plan=plan)
        elif request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            context.update(plan=surcharge_import.surcharge_import_read(text=text), text=text)
        return TemplateResponse(request, "admin/pricing/shippingsurcharge/import.html", context)
