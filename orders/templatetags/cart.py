"""``{% purchase_box product %}``: the product page's add-to-cart form, with what the cart already holds."""

from django import template
from django.conf import settings

from shop.templatetags.money import won

from ..cart import CartLine, cart_for

register = template.Library()


@register.inclusion_tag("orders/includes/purchase.html", takes_context=True)
def purchase_box(context, product):
    request = context["request"]
    skus = [sku for sku in product.skus.all() if sku.is_active]
    by_id = {sku.id: sku for sku in skus}
    in_cart = [
        CartLine(line.id, by_id[line.sku_id], line.quantity)
        for line in cart_for(request).lines()
        if line.sku_id in by_id
    ]
    return {
        "product": product,
        "skus": skus,
        "options": product.options_list,
        "sku_data": [
            {
                "id": sku.id,
                "values": [value.id for value in sku.option_values.all()],
                "available": sku.available,
                "price_display": won(sku.price),
            }
            for sku in skus
        ],
        "sku_data_id": f"sku-data-{product.id}",
        "max_quantity": min(max((sku.available for sku in skus), default=0), settings.CART_LINE_MAX_QUANTITY),
        "in_cart": in_cart,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
