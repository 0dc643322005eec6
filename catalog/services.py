"""Writes to the catalog. Admin actions and imports call these, so rules (and the search index) stay in step."""

from django.db import transaction

from .models import Product, ProductImage
from .search import index as search_index


@transaction.atomic
def product_save(*, product: Product) -> Product:
    """Create or update a product (the admin's add and change forms) and re-index it for search."""
    product.save()
    search_index.index_products(product_ids=[product.id])
    return product


@transaction.atomic
def product_set_status(*, product_ids, status: str) -> int:
    """Set the status of many products at once (the admin's publish and hide actions); hidden ones leave the
    search index and published ones enter it, in the same transaction."""
    if status not in Product.Status.values:
        raise ValueError(f"unknown product status {status!r}")
    ids = list(product_ids)
    updated = Product.objects.filter(id__in=ids).update(status=status)
    search_index.index_products(product_ids=ids)
    return updated


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
