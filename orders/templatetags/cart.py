"""``{% purchase_box product %}``: the product page's add-to-cart form, with what the cart already holds."""

from django import template

from ..cart import cart_for

register = template.Library()


@register.inclusion_tag("orders/includes/purchase.html", takes_context=True)
def purchase_box(context, product):
    request = context["request"]
    in_cart = next((qty for _, pid, qty in cart_for(request).lines() if pid == product.id), 0)
    return {"product": product, "in_cart": in_cart, "request": request, "csrf_token": context.get("csrf_token")}
