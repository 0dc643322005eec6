from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .models import Address, Consent, User


class AddressInline(admin.TabularInline):
    """Read only: the address book's rules (one default, under a lock) live in ``accounts.services``, and a
    formset saving rows one by one would bypass them."""

    model = Address
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = fields = ["recipient", "phone", "postal_code", "address", "detail", "memo", "is_default"]

    def has_add_permission(self, request, obj=None):
        return False


class ConsentInline(admin.TabularInline):
    """Read only: what the customer agreed to, the version and when (proof for the shop)."""

    model = Consent
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = fields = ["kind", "version", "agreed_at", "withdrawn_at"]

    def has_add_permission(self, request, obj=None):
        return False


class ClosedFilter(admin.SimpleListFilter):
    title = _("account")
    parameter_name = "closed"

    def lookups(self, request, model_admin):
        return [("no", _("Open")), ("yes", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(closed_at__isnull=self.value() == "no")
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-id"]
    list_display = ["email", "name", "phone", "is_staff", "is_active", "date_joined", "account_status"]
    list_filter = [ClosedFilter, "is_staff", "is_active"]
    search_fields = ["email", "name", "phone"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "phone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "closed_at"]}),
    ]
    readonly_fields = ["closed_at"]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [AddressInline, ConsentInline]

    @admin.display(description=_("account"), ordering="closed_at")
    def account_status(self, user):
        if user.closed_at:
            return _("Closed %(date)s") % {"date": date_format(localtime(user.closed_at), "SHORT_DATE_FORMAT")}
        return _("Open")
