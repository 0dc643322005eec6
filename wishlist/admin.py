from django.contrib import admin

from .models import RestockSubscription, WishItem


@admin.register(WishItem)
class WishItemAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "product"]
    list_select_related = ["user", "product"]
    search_fields = ["user__email", "product__name"]
    readonly_fields = ["user", "product", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(RestockSubscription)
class RestockSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "product", "sku", "notified_at"]
    list_filter = [("notified_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "product", "sku"]
    search_fields = ["user__email", "product__name", "sku__code"]
    readonly_fields = ["user", "product", "sku", "created_at", "notified_at"]

    def has_add_permission(self, request):
        return False
