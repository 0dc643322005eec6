"""The order email outbox, read only: staff see what was sent, when, and why a send failed."""

from django.contrib import admin

from .models import OrderEmail


@admin.register(OrderEmail)
class OrderEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "order", "kind", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["order__number", "to"]
    list_select_related = ["order"]
    readonly_fields = [field.name for field in OrderEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
