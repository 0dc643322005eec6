"""Reads of 찜 lists and restock alerts."""

from catalog.models import Product

from .models import RestockSubscription, WishItem


def wished_product_ids(*, user) -> set[int]:
    """Ids of the products on the customer's 찜 list (none for a visitor)."""
    if not user.is_authenticated:
        return set()
    return set(WishItem.objects.filter(user=user).values_list("product_id", flat=True))


def wish_list(*, user) -> list[Product]:
    """The visible products on the customer's 찜 list, most recently added first, with what a card shows."""
    order = {
        product_id: position
        for position, product_id in enumerate(WishItem.objects.filter(user=user).values_list("product_id", flat=True))
    }
    products = (
        Product.objects.visible()
        .filter(pk__in=list(order))
        .select_related("rating")
        .prefetch_related("images", "skus", "category")
    )
    return sorted(products, key=lambda product: order[product.pk])


def restock_subscribed(*, user, product) -> set[int]:
    """The customer's pending alerts for this product: SKU ids, and 0 for the whole product."""
    if not user.is_authenticated:
        return set()
    pending = RestockSubscription.objects.filter(user=user, product=product, notified_at=None)
    return set(pending.values_list("sku_key", flat=True))
