"""The catalog: a category tree and the products sold in it."""

import secrets
from pathlib import PurePosixPath

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Prices are integer won; a ceiling keeps typos (an extra 0 or three) out of the catalog.
MAX_PRICE_WON = 100_000_000
LOW_STOCK_THRESHOLD = 5


class Category(models.Model):
    """A node of the category tree (the old store used three levels: 가전 > 컴퓨터 > 노트북)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Smaller comes first."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})


class ProductQuerySet(models.QuerySet):
    def visible(self):
        """Products a customer may see: on sale or sold out. Drafts and hidden products never show."""
        return self.filter(status__in=Product.VISIBLE_STATUSES)


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ON_SALE = "on_sale", _("On sale")
        SOLD_OUT = "sold_out", _("Sold out")
        HIDDEN = "hidden", _("Hidden")

    VISIBLE_STATUSES = (Status.ON_SALE, Status.SOLD_OUT)

    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="products", on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    price = models.PositiveIntegerField(_("price (won)"), validators=[MaxValueValidator(MAX_PRICE_WON)])
    stock = models.PositiveIntegerField(_("stock"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-id"]
        indexes = [
            # Listing by category: newest first is by id; the others are for the sort options.
            # Listings filter on two visible statuses; an index with status in it turns "ORDER BY ... LIMIT"
            # into a sort of every matching row. Without it, one category is read in index order and the
            # status is checked on the row (newest first needs no index of its own: category_id's FK index
            # is ordered by id).
            models.Index(fields=["category", "price"], name="product_cat_price"),
            models.Index(fields=["category", "name"], name="product_cat_name"),
            # A parent category spans many leaves: sorted by name it walks this index and checks the category.
            models.Index(fields=["name"], name="product_name"),
            # Covers the capped count of a category's visible products, so it reads the index, not the rows.
            models.Index(fields=["category", "status"], name="product_cat_status"),
            # Search sorted by price walks this index when the query's words are common.
            models.Index(fields=["price"], name="product_price"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__lte=MAX_PRICE_WON), name="product_price_max"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:product", kwargs={"slug": self.slug})

    @property
    def is_visible(self):
        return self.status in self.VISIBLE_STATUSES

    @property
    def is_purchasable(self):
        return self.status == self.Status.ON_SALE and self.stock > 0

    @property
    def is_low_stock(self):
        return self.is_purchasable and self.stock <= LOW_STOCK_THRESHOLD

    @property
    def primary_image(self):
        """The primary image, else the first one. Uses prefetched images when the caller prefetched them."""
        images = list(self.images.all())
        if not images:
            return None
        return next((image for image in images if image.is_primary), images[0])


def product_image_path(instance, filename):
    """``products/<128 random bits>/original.<ext>``: nobody can list or guess another image's key, and the
    image's renditions sit beside it, so one prefix holds every object of an image."""
    extension = PurePosixPath(filename).suffix.lower() or ".bin"
    return f"products/{secrets.token_hex(16)}/original{extension}"


class ProductImage(models.Model):
    """A product photo. Written only through ``catalog.services`` (validated, re-encoded, renditions made)."""

    product = models.ForeignKey(Product, related_name="images", on_delete=models.CASCADE)
    image = models.ImageField(_("image"), upload_to=product_image_path, max_length=255)
    alt = models.CharField(_("alternative text"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_primary = models.BooleanField(_("primary"), default=False)
    # The original's size after EXIF orientation, for width/height attributes (0: not known).
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    # {size name: {"width", "height", "webp": key, "jpeg": key}}; empty until the rendition task has run.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)
    # catalog.images.RENDITION_SPEC when the renditions were made: another value means they are stale.
    renditions_spec = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["-is_primary", "position", "id"]

    def __str__(self):
        return self.alt or self.image.name

    def rendition(self, name):
        """The named rendition as ``{"width", "height", "webp", "jpeg"}`` (keys, not URLs), or None."""
        return self.renditions.get(name)

    def storage_keys(self) -> list[str]:
        """Every object this image owns, once each: the original and the rendition files (sizes that a small
        original could not fill share their files)."""
        keys = [self.image.name] if self.image.name else []
        for rendition in self.renditions.values():
            keys.extend(rendition[key] for key in ("webp", "jpeg"))
        return list(dict.fromkeys(keys))


class SearchToken(models.Model):
    """A posting of the search index: this visible product has this token (see ``catalog/search/tokens.py``).

    The primary key (token, product) makes "products with token X, newest first" a range scan and "does product
    P have token Y" a single lookup, so a query starts from its rarest token and stops after a page of rows.
    Only visible products are indexed; ``catalog.search.index`` keeps the rows in step with every product write.
    """

    pk = models.CompositePrimaryKey("token", "product")
    token = models.CharField(max_length=32)
    # No database constraint: the index is bulk-filled at a million rows; Django's delete still cascades.
    # The foreign key's own index serves re-indexing, which deletes a product's rows by product id.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, db_constraint=False, related_name="+")

    def __str__(self):
        return f"{self.token} -> {self.product_id}"


class SearchTokenStat(models.Model):
    """How many products hold a token, refreshed in bulk (never per save: common tokens would be hot rows).

    Only used to pick the rarest token of a query first; a stale figure makes a query slower, never wrong.
    """

    token = models.CharField(max_length=32, primary_key=True)
    products = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.token}: {self.products}"
