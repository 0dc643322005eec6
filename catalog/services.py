"""Writes to the catalog. Admin actions and imports call these, so rules (and the search index) stay in step."""

from django.db import transaction

from .models import Product, ProductImage


@transaction.atomic
def product_set_status(*, product_ids, status: str) -> int:
    """Set the status of many products at once (the admin's publish and hide actions)."""
    if status not in Product.Status.values:
        raise ValueError(f"unknown product status {status!r}")
    return Product.objects.filter(id__in=list(product_ids)).update(status=status)


@transaction.atomic
def product_images_settle_primary(*, product: Product) -> None:
    """Make sure a product with images has exactly one primary: the first marked one, else the first image."""
    images = list(ProductImage.objects.select_for_update().filter(product=product).order_by("position", "id"))
    if not images:
        return
    primary = next((image for image in images if image.is_primary), images[0])
    ProductImage.objects.filter(product=product).exclude(id=primary.id).update(is_primary=False)
    if not primary.is_primary:
        ProductImage.objects.filter(id=primary.id).update(is_primary=True)
