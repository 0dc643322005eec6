"""Writes to the catalog. Admin actions and imports call these, so rules (and the search index) stay in step."""

import itertools

from django.db import transaction

from .models import Product, ProductImage, ProductOption, Sku
from .search import index as search_index


@transaction.atomic
def product_save(*, product: Product) -> Product:
    """Create or update a product (the admin's add and change forms) and re-index it for search.

    A new product gets its one SKU (``P<id>``, no options, no stock: stock arrives through ``catalog.stock``).
    """
    product.save()
    if not Sku.objects.filter(product=product).exists():
        Sku.objects.create(product=product, code=default_sku_code(product.id))
    search_index.index_products(product_ids=[product.id])
    return product


def default_sku_code(product_id: int) -> str:
    return f"P{product_id}"


@transaction.atomic
def product_skus_generate(*, product: Product) -> list[Sku]:
    """One SKU per combination of the product's option values, creating the missing ones; returns the new ones.

    Once a product has options, its SKUs without options (the one it was created with) are deactivated, not
    deleted: their stock and movements stay, and staff move the stock with an adjustment.
    """
    options = list(ProductOption.objects.filter(product=product).prefetch_related("values"))
    value_lists = [list(option.values.all()) for option in options]
    if not options or not all(value_lists):
        return []
    existing = {
        frozenset(sku.option_values.values_list("id", flat=True))
        for sku in Sku.objects.filter(product=product).prefetch_related("option_values")
    }
    created = []
    for combination in itertools.product(*value_lists):
        ids = frozenset(value.id for value in combination)
        if ids in existing:
            continue
        code = "-".join([default_sku_code(product.id), *(str(value.id) for value in combination)])
        sku = Sku.objects.create(product=product, code=code)
        sku.option_values.set(combination)
        created.append(sku)
    Sku.objects.filter(product=product, option_values__isnull=True).update(is_active=False)
    return created


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
