"""The catalog: a category tree and the products sold in it."""

import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .search.tokens import phrases

# Prices are integer won; a ceiling keeps typos (an extra 0 or three) out of the catalog.
MAX_PRICE_WON = 100_000_000
LOW_STOCK_THRESHOLD = 5


@dataclass(frozen=True)
class StockState:
    """How many units of a product can be bought now, and what the pages make of it."""

    available: int

    @property
    def purchasable(self) -> bool:
        return self.available > 0

    @property
    def low(self) -> bool:
        return 0 < self.available <= LOW_STOCK_THRESHOLD


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
    info_notice_template = models.JSONField(
        _("product information notice template"),
        default=list,
        blank=True,
        help_text=_("Shown on the pages of products in this category (and below) that have no notice of their own."),
    )

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

    def in_stock(self):
        """Products that can be bought now: on sale with an active SKU in stock (``Sku.available``'s rule), as
        ``Product.is_available`` stores it."""
        return self.filter(is_available=True)

    def computed_available(self):
        """``in_stock``'s rule computed from the SKUs, for ``catalog.stock`` to store in ``is_available``."""
        return self.filter(status=Product.Status.ON_SALE).filter(Exists(skus_in_stock().filter(product=OuterRef("pk"))))


def skus_in_stock():
    """Active SKUs with stock left: with the product ON_SALE, what can be bought (``Sku.available`` row by row;
    the search SQL embeds this query's own SQL, so the rule is written here only)."""
    return Sku.objects.filter(is_active=True, stock__gt=0)


class Product(models.Model):
    class Status(models.TextChoices):
        # SOLD_OUT is set by staff only: shown, never for sale whatever its SKUs hold (a discontinued product
        # kept for its page). A product that merely ran out stays ON_SALE; "품절" is then derived from its
        # SKUs' stock, so no stock change ever writes the product row.
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
    # A sale price, in force from ``sale_starts_at`` until ``sale_ends_at`` (either empty: open on that side).
    sale_price = models.PositiveIntegerField(
        _("sale price (won)"), null=True, blank=True, validators=[MaxValueValidator(MAX_PRICE_WON)]
    )
    sale_starts_at = models.DateTimeField(_("sale from"), null=True, blank=True)
    sale_ends_at = models.DateTimeField(_("sale until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # "Can be bought now" (``ProductQuerySet.in_stock``'s rule: on sale with an active SKU in stock), stored so
    # that listings find in-stock products first through an index. One writer: ``catalog.stock``, in the same
    # transaction as the stock or status change (``availability_refresh``); never written as a whole value
    # from a form.
    is_available = models.BooleanField(_("available"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # 상품정보제공고시 (the FTC's notice on product information): [[label, value], ...] in the staff's order.
    info_notice = models.JSONField(
        _("product information notice"),
        default=list,
        blank=True,
        help_text=_("Empty: the category's template is shown."),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-id"]
        indexes = [
            # A category listing reads in-stock products, then the rest, each in the sort's order: one index range
            # per (category, availability), already in order (InnoDB appends the id, the sorts' tiebreaker), so
            # "ORDER BY ... LIMIT 25" reads 25 entries. "Newest first" is the id itself. A parent category is
            # one such range per leaf (``catalog.selectors``). Statuses are checked on the row: an index with
            # the two visible statuses in it would turn the LIMIT into a sort of the whole category.
            models.Index(fields=["category", "is_available"], name="product_cat_avail"),
            models.Index(fields=["category", "is_available", "price"], name="product_cat_avail_price"),
            # Name order within a category, with the price in the index: a price filter is tested in the index
            # (no row read), and MariaDB then prefers it to walking the whole catalog's name index (40 ms a
            # category at 1,000,000 products, 155 ms for a top category's page).
            models.Index(
                fields=["category", "is_available", "name", "id", "price"], name="product_cat_avail_name_price"
            ),
            # Search sorted by name walks this index when the query's words are common.
            models.Index(fields=["name"], name="product_name"),
            # Covers the capped count of a category's visible products, so it reads the index, not the rows. Not
            # (category, status): with that one MariaDB served "sold out, newest first" from the status ranges
            # and sorted them rather than walking (category, is_available) in id order.
            models.Index(fields=["category", "is_available", "status"], name="product_cat_avail_status"),
            # Search sorted by price walks this index when the query's words are common.
            models.Index(fields=["price"], name="product_price"),
            # The products written since search's last frequency refresh (``catalog.search.index``).
            models.Index(fields=["updated_at"], name="product_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__lte=MAX_PRICE_WON), name="product_price_max"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # ``is_available`` has one writer, ``catalog.stock``: saving a copy read before a sale (an admin form)
        # must not put its stale value back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            skipped = {"is_available", *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in skipped
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("catalog:product", kwargs={"slug": self.slug})

    @property
    def is_visible(self):
        return self.status in self.VISIBLE_STATUSES

    def on_sale_at(self, now) -> bool:
        """The sale price is in force: set, below the price, and ``now`` within its period."""
        return (
            self.sale_price is not None
            and self.sale_price < self.price
            and (self.sale_starts_at is None or self.sale_starts_at <= now)
            and (self.sale_ends_at is None or now < self.sale_ends_at)
        )

    def price_at(self, now) -> int:
        """The one rule of a product's price: its sale price while the sale is on, else its regular price."""
        return self.sale_price if self.on_sale_at(now) else self.price

    @property
    def current_price(self) -> int:
        return self.price_at(timezone.now())

    @property
    def is_on_sale(self) -> bool:
        return self.on_sale_at(timezone.now())

    @property
    def available_quantity(self):
        """How many units can be bought now, over all SKUs (uses prefetched ``skus`` when the caller did)."""
        return sum(sku.available for sku in self.skus.all())

    @property
    def stock_state(self) -> StockState:
        """The stock summed once, for a caller that asks more than one question of it (a card: class and badge)."""
        return StockState(self.available_quantity)

    @property
    def is_purchasable(self):
        return self.stock_state.purchasable

    @property
    def active_skus(self):
        """The SKUs a customer can choose from (prefetched ``skus`` when there), sold out ones included."""
        return [sku for sku in self.skus.all() if sku.is_active]

    @property
    def is_low_stock(self):
        return self.stock_state.low

    @property
    def options_list(self):
        """Option groups in order, each with its values (uses prefetched ``options__values`` when there)."""
        return list(self.options.all())

    @property
    def primary_image(self):
        """The primary image, else the first one. Uses prefetched images when the caller prefetched them."""
        images = list(self.images.all())
        if not images:
            return None
        return next((image for image in images if image.is_primary), images[0])


class ProductOption(models.Model):
    """An option group of a product (색상, 사이즈); a SKU takes one value of each."""

    product = models.ForeignKey(Product, related_name="options", on_delete=models.CASCADE)
    name = models.CharField(_("option"), max_length=50)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "name"], name="productoption_product_name")]

    def __str__(self):
        return self.name


class ProductOptionValue(models.Model):
    option = models.ForeignKey(ProductOption, related_name="values", on_delete=models.CASCADE)
    name = models.CharField(_("value"), max_length=50)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("option value")
        verbose_name_plural = _("option values")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["option", "name"], name="productoptionvalue_option_name")]

    def __str__(self):
        return f"{self.option.name}: {self.name}"


class Sku(models.Model):
    """What is really sold and stocked: one combination of a product's option values (none for a product
    without options, which has exactly one SKU).

    ``stock`` has one writer, ``catalog.stock``, and only by deltas recorded as ``StockMovement`` rows: no form,
    import or admin page ever writes it as a whole value.
    """

    product = models.ForeignKey(Product, related_name="skus", on_delete=models.CASCADE)
    code = models.CharField(_("SKU code"), max_length=64, unique=True)
    option_values = models.ManyToManyField(ProductOptionValue, verbose_name=_("options"), blank=True, related_name="+")
    price_delta = models.IntegerField(
        _("price difference (won)"),
        default=0,
        validators=[MinValueValidator(-MAX_PRICE_WON), MaxValueValidator(MAX_PRICE_WON)],
    )
    stock = models.PositiveIntegerField(_("stock"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")
        ordering = ["id"]

    def __str__(self):
        label = self.option_label
        return f"{self.code} ({label})" if label else self.code

    def price_at(self, now) -> int:
        """What one unit costs at ``now``: the product's price then (``Product.price_at``) plus this SKU's
        difference, never below 0."""
        return max(self.product.price_at(now) + self.price_delta, 0)

    @property
    def price(self) -> int:
        return self.price_at(timezone.now())

    @property
    def regular_price(self) -> int:
        """The price without any sale (정가)."""
        return max(self.product.price + self.price_delta, 0)

    @property
    def option_label(self):
        """The option values in option order, e.g. "블랙 / 260" (uses prefetched values when there); empty for a
        SKU read with ``has_option_values`` false (``orders.cart``: the checkout's read) without asking its manager."""
        if getattr(self, "has_option_values", None) is False:
            return ""
        values = sorted(self.option_values.all(), key=lambda value: (value.option.position, value.option_id))
        return " / ".join(value.name for value in values)

    @property
    def available(self):
        """The one rule of what can be bought: product on sale, SKU active, and what is in stock."""
        if self.is_active and self.product.status == Product.Status.ON_SALE:
            return self.stock
        return 0


class StockMovement(models.Model):
    """One change of a SKU's stock; a SKU's movements sum exactly to its stock (``catalog.stock`` writes both)."""

    class Reason(models.TextChoices):
        ORDER = "order", _("Order taken")
        ORDER_RETURN = "order_return", _("Order expired or canceled")
        REFUND = "refund", _("Refund")
        RECEIVED = "received", _("Received")
        DAMAGED = "damaged", _("Damaged")
        CORRECTION = "correction", _("Stock count correction")
        IMPORT = "import", _("Import")

    # No database constraint (the ORM still cascades): ``catalog.stock.stock_take`` inserts movements before
    # its UPDATEs, and the constraint's shared lock on the SKU row would deadlock two buyers of one SKU.
    sku = models.ForeignKey(Sku, related_name="movements", on_delete=models.CASCADE, db_constraint=False)
    delta = models.IntegerField(_("change"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # An order number, an import file name: what the movement belongs to, without tying catalog to orders.
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.sku_id} {self.delta:+d} ({self.reason})"


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
    """A posting of the search index: this visible product has this token (see ``catalog/search/tokens.py``),
    with the product's price.

    The primary key (token, product) makes "products with token X, newest first" a range scan and "does product
    P have token Y" a single lookup, so a query starts from its rarest token and stops after a page of rows.
    Only visible products are indexed; ``catalog.search.index`` keeps the rows in step with every product write.
    """

    pk = models.CompositePrimaryKey("token", "product")
    token = models.CharField(max_length=32)
    # No database constraint: the index is bulk-filled at a million rows; Django's delete still cascades.
    # The foreign key's own index serves re-indexing, which deletes a product's rows by product id.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, db_constraint=False, related_name="+")
    # The product's price when the posting was written: a price range is tested on the posting as it is read,
    # never by looking the product up (1.4 us a posting at 1,000,000 products, most of a price-filtered
    # count's sample). A price changes only through ``catalog.services.product_save``, which re-indexes.
    # A plain integer: a CHECK constraint would make adding the column rewrite the whole table.
    price = models.IntegerField(default=0, db_default=0)

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


class SearchCategoryTokenStat(models.Model):
    """How many products of a category (and the categories below it) hold a token, refreshed in bulk with
    ``SearchTokenStat``: the postings of its category token (``c<id>``) that a product holding ``token`` also
    has. A category with stats has a row for its own category token; a token without a row was in none of its
    products at ``SearchFrequencyRefresh``'s time, so a filtered search only checks the products written since.
    """

    pk = models.CompositePrimaryKey("category_token", "token")
    category_token = models.CharField(max_length=32)
    token = models.CharField(max_length=32)
    products = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.category_token} {self.token}: {self.products}"


class SearchPriceTokenStat(models.Model):
    """How many products of a price band (``catalog/search/price_bands.py``) hold a token, refreshed in bulk with
    ``SearchTokenStat``. A price-filtered total is then estimated from the bands the range covers, sampling
    product rows only for the bands it cuts; like the other frequencies, a stale figure makes an estimate less
    precise, never a result wrong (rows and exact totals always test the price itself)."""

    pk = models.CompositePrimaryKey("token", "band")
    token = models.CharField(max_length=32)
    band = models.PositiveSmallIntegerField()
    products = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.token} band {self.band}: {self.products}"


class SearchFrequencyRefresh(models.Model):
    """When the search's frequencies were last recounted (one row): products written after ``started_at`` may
    hold tokens the per-category frequencies do not count yet."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S}"


class SearchSynonym(models.Model):
    """Words shoppers use for the same thing (삼성, Samsung): a query with one of them also finds the others,
    ranked after what the word itself finds. Applied at query time, so no re-indexing."""

    words = models.CharField(
        _("words"),
        max_length=300,
        help_text=_("Comma-separated words or phrases that mean the same, e.g. 삼성, Samsung, 삼성전자"),
    )

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return self.words

    def clean(self):
        if len(phrases(self.words)) < 2:
            raise ValidationError({"words": _("Give at least two different words, separated by commas.")})
