"""What search engines and link previews read: absolute URLs and JSON-LD with the page's CSP nonce."""

import json

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# "</script>" or "<!--" inside a product name must not end the script element early.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's absolute URL without its query string (sorts, filters and pages are not other documents)."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request else ""


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """``url`` made absolute against this request (media and CDN URLs that already are stay as they are)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request and url else url


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    return absolute_url(context, static(path))


@register.simple_tag(takes_context=True)
def json_ld(context, data):
    """A ``<script type="application/ld+json">`` carrying the request's CSP nonce."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    nonce = context.get("CSP_NONCE", "")
    return format_html('<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(text))  # noqa: S308
