"""Writes to the catalog. Admin actions and imports call these, so rules (and the search index) stay in step."""

import hashlib
import itertools
import logging
import posixpath
import secrets
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import images, stock, tasks
from .models import Category, Product, ProductImage, ProductOption, Sku
from .search import index as search_index

logger = logging.getLogger(__name__)
# In every rendition's key, so a change of sizes or quality gives new URLs (CDN caches keep objects a year).
RENDITION_VERSION = hashlib.sha256(images.RENDITION_SPEC.encode()).hexdigest()[:8]
RENDITION_EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}


@transaction.atomic
def product_save(*, product: Product) -> Product:
    """Create or update a product (the admin's add and change forms) and re-index it for search.

    A new product gets its one SKU (``P<id>``, no options, no stock: stock arrives through ``catalog.stock``).
    Its availability follows its status at once (``catalog.stock.availability_refresh``): the form's copy of
    ``is_available`` may be stale, and the refresh, holding the row, corrects it in the same transaction.
    """
    product.save()
    if not Sku.objects.filter(product=product).exists():
        Sku.objects.create(product=product, code=default_sku_code(product.id))
    stock.availability_refresh(product_ids=[product.id])
    search_index.index_products(product_ids=[product.id])
    return product


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Create or update a category (the admin's forms). A category moved under another parent takes its
    products' search tokens with it (they hold a token per ancestor), in the same transaction."""
    old_parent = Category.objects.filter(pk=category.pk).values_list("parent_id", flat=True).first()
    old_path = search_index.category_paths().get(category.pk, ()) if category.pk else ()
    category.save()
    if old_path and old_parent != category.parent_id:
        search_index.category_moved(category_id=category.id, old_path=old_path)
        search_index.refresh_category_frequencies()
    return category


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
    stock.availability_refresh(product_ids=[product.id])
    return created


@transaction.atomic
def product_set_status(*, product_ids, status: str) -> int:
    """Set the status of many products at once (the admin's publish and hide actions); hidden ones leave the
    search index and published ones enter it, in the same transaction."""
    if status not in Product.Status.values:
        raise ValueError(f"unknown product status {status!r}")
    ids = list(product_ids)
    # ``updated_at`` marks the products re-indexed since search's last frequency refresh (``catalog.search``).
    updated = Product.objects.filter(id__in=ids).update(status=status, updated_at=timezone.now())
    stock.availability_refresh(product_ids=ids)
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


@transaction.atomic
def product_delete(*, product_ids) -> int:
    """Delete products (their images and search postings cascade); the images' objects go once this commits."""
    ids = list(product_ids)
    keys = [key for image in ProductImage.objects.filter(product_id__in=ids) for key in image.storage_keys()]
    deleted, _counts = Product.objects.filter(id__in=ids).delete()
    transaction.on_commit(partial(_delete_objects, keys))
    return deleted


def product_image_save(*, image: ProductImage, file=None) -> ProductImage:
    """Save a product image (the admin inline, imports, demo data). With ``file`` (any file object, or an
    ``images.CleanImage`` a form already validated) it becomes the new original: validated by content
    (``images.InvalidImage`` otherwise), stored under a fresh unguessable key, its renditions scheduled once
    this commits; a replaced original's objects are deleted then too."""
    if file is None and not image.image.name:
        raise images.InvalidImage(_("Choose an image file."))
    clean = file if file is None or isinstance(file, images.CleanImage) else images.clean_image(file)
    uploaded = None
    try:
        with transaction.atomic():
            stale = []
            if clean and image.pk:
                stale = ProductImage.objects.select_for_update().get(pk=image.pk).storage_keys()
            if clean:
                image.image.save(f"original.{clean.extension}", ContentFile(clean.content), save=False)
                uploaded = image.image.name
                image.width, image.height = clean.width, clean.height
                image.renditions, image.renditions_spec = {}, ""
            image.save()
            if image.is_primary:
                # The image just marked primary wins over the one that was.
                others = ProductImage.objects.filter(product=image.product_id, is_primary=True).exclude(pk=image.pk)
                others.update(is_primary=False)
            product_images_settle_primary(product=image.product)
            if clean:
                transaction.on_commit(partial(_delete_objects, stale))
                # robust: a broker that is down must not turn a saved image into an error page; the
                # product_image_renditions command makes whatever is missing.
                image_id = image.pk

                def queue_renditions():  # named: Django logs a robust hook's failure by its __qualname__
                    tasks.product_image_renditions.delay(image_id)

                transaction.on_commit(queue_renditions, robust=True)
    except BaseException:
        if uploaded:
            _delete_objects([uploaded])  # the row was rolled back: nothing refers to the upload
        raise
    return image


@transaction.atomic
def product_image_delete(*, image: ProductImage) -> None:
    """Delete an image row; its original and renditions are deleted from storage once this commits."""
    locked = ProductImage.objects.select_for_update().filter(pk=image.pk).first()
    if locked is None:
        return
    keys = locked.storage_keys()
    locked.delete()
    product_images_settle_primary(product=locked.product)
    transaction.on_commit(partial(_delete_objects, keys))


def product_image_make_renditions(*, image_id: int, force: bool = False) -> bool:
    """Make the renditions of ``images.RENDITION_SIZES`` for one image, unless it has current ones (``force``
    makes them anyway). Idempotent and safe to retry or run twice at once: keys are derived from the original
    and the spec, the row is updated under a lock only if its original is still the one read, and objects
    nobody references any more are deleted after the commit. Returns whether it wrote renditions."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None or (image.renditions_spec == images.RENDITION_SPEC and not force):
        return False
    storage = image.image.storage
    # Decoding and uploading take a while: no transaction, no row lock, until the files are written.
    try:
        with storage.open(image.image.name, "rb") as original:
            made = images.make_renditions(original)
    except Exception:
        if not ProductImage.objects.filter(pk=image_id, image=image.image.name).exists():
            return False  # deleted or replaced while being read: nothing to make
        raise  # the task retries
    # Every run writes objects of its own (a random part in each name): two runs at once, or a retry after a
    # lost acknowledgement, never overwrite or delete what the other wrote and may be about to reference. The
    # run that commits last is referenced; each commit deletes the set it replaced. A run that dies before its
    # commit leaves its objects unreferenced (never a row pointing at a missing object).
    run = secrets.token_hex(4)
    renditions, previous = {}, None
    for rendition in made.renditions:
        if previous is None or previous.files is not rendition.files:
            stored = _store_rendition(storage, image.image.name, rendition, run)
        renditions[rendition.name], previous = stored, rendition
    written = {rendition[key] for rendition in renditions.values() for key in RENDITION_EXTENSIONS}
    with transaction.atomic():
        current = ProductImage.objects.select_for_update().filter(pk=image_id).first()
        if current is None or current.image.name != image.image.name:
            # Deleted or given a new original meanwhile: what was just written belongs to nobody.
            transaction.on_commit(partial(_delete_objects, sorted(written)))
            return False
        stale = set(current.storage_keys()) - written - {current.image.name}
        current.renditions, current.renditions_spec = renditions, images.RENDITION_SPEC
        current.width, current.height = made.width, made.height
        current.save(update_fields=["renditions", "renditions_spec", "width", "height"])
        transaction.on_commit(partial(_delete_objects, sorted(stale)))
    return True


def _store_rendition(storage, original_key, rendition, run: str) -> dict:
    entry = {"width": rendition.width, "height": rendition.height}
    prefix = posixpath.dirname(original_key)
    for key, extension in RENDITION_EXTENSIONS.items():
        name = f"{prefix}/{rendition.name}-{rendition.width}x{rendition.height}-{RENDITION_VERSION}-{run}.{extension}"
        entry[key] = storage.save(name, ContentFile(rendition.files[key]))
    return entry


def _delete_objects(keys) -> None:
    """Delete storage objects after a commit. A failure leaves an orphan object (logged), never a broken row."""
    storage = ProductImage._meta.get_field("image").storage
    for key in keys:
        try:
            storage.delete(key)
        except Exception:
            logger.exception("could not delete storage object %s", key)
