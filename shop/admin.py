from django.contrib import admin
from django.utils import timezone

from .models import LegalDocument


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    """Staff publish a new version instead of editing one customers have agreed to."""

    list_display = ("kind", "version", "effective_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("version",)

    def get_readonly_fields(self, request, obj=None):
        # A version in effect is what someone agreed to: it is kept as it was. A scheduled one stays editable.
        if obj and obj.effective_at <= timezone.now():
            return ("kind", "version", "effective_at", "body_ko", "body_en")
        return ()
