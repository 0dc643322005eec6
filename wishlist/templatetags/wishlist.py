"""``{% wished product as flag %}``: is it on the visitor's 찜 list (one query per page, kept on the request)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def wished(context, product) -> bool:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    if not hasattr(request, "_wished_product_ids"):
        request._wished_product_ids = selectors.wished_product_ids(user=request.user)
    return product.pk in request._wished_product_ids


@register.simple_tag(takes_context=True)
def restock_state(context, product) -> dict:
    """What the product page offers: an alert for the whole product (nothing can be bought) or for each sold-out
    option, and which of those the visitor already awaits."""
    request = context["request"]
    has_options = bool(product.options_list)
    return {
        "whole": not has_options and not product.is_purchasable,
        "skus": [sku for sku in product.skus.all() if sku.is_active and not sku.available] if has_options else [],
        "subscribed": selectors.restock_subscribed(user=request.user, product=product),
    }
