"""``{% wish_heart product as heart %}``: the 찜 button (``wishlist/includes/heart.html``) of a product, and
``hearts()``, the same for a page of cards at once."""

from dataclasses import dataclass
from urllib.parse import quote

from django import template
from django.urls import reverse

from .. import selectors

register = template.Library()


@dataclass(frozen=True)
class Heart:
    """What the 찜 button shows: for a customer, whether the product is on the list and where the button posts;
    for a visitor, the log-in link that comes back to the product."""

    wished: bool = False
    toggle_url: str = ""
    login_url: str = ""


def hearts(request, products, urls) -> list[Heart]:
    """The hearts of ``products`` (their pages at ``urls``): the customer's list read once per request, the
    log-in page reversed once per call."""
    if request is None or not request.user.is_authenticated:
        login = reverse("account_login")
        # As the |urlencode filter quotes ``next``.
        return [Heart(login_url=f"{login}?next={quote(url, safe='/')}") for url in urls]
    if not hasattr(request, "_wished_product_ids"):
        request._wished_product_ids = selectors.wished_product_ids(user=request.user)
    return [
        Heart(
            wished=product.pk in request._wished_product_ids, toggle_url=reverse("wishlist:toggle", args=[product.pk])
        )
        for product in products
    ]


@register.simple_tag(takes_context=True)
def wish_heart(context, product) -> Heart:
    return hearts(context.get("request"), [product], [product.get_absolute_url()])[0]


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
