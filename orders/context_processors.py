from .cart import cart_count, cart_for


def cart(request):
    """The header's cart badge: how many items the cart holds."""
    return {"cart_count": cart_count(cart=cart_for(request))}
