"""``{% postcode_script_url %}``: where Daum's postcode script comes from (settings.POSTCODE_SCRIPT_URL)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def postcode_script_url():
    return settings.POSTCODE_SCRIPT_URL
