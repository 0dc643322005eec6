"""Money in templates: integer won, shown as 12,900원 (Korean) or ₩12,900 (English)."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def won(amount):
    if amount is None or amount == "":
        return ""
    formatted = f"{int(amount):,}"
    if (get_language() or "ko").startswith("ko"):
        return f"{formatted}원"
    return f"₩{formatted}"
