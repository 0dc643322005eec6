"""Reads of the catalog: the category tree, product listings and product pages."""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce

from shop import cursors
from shop.pagination import CappedPaginator

from . import images
from .models import Category, Product, ProductImage, skus_in_stock

RELATED_PRODUCTS_COUNT = 4
# A listing's pages 1..LISTING_NUMBERED_PAGES are reached by number (as search's); deeper ones by "next".
LISTING_NUMBERED_PAGES = 10
NEW_ARRIVALS_COUNT = 12

# Listing sort options: key -> ORDER BY. The id tiebreaker makes every order total, so pages never overlap.
PRODUCT_SORTS = {
    "new": ("-id",),
    "price_asc": ("price", "id"),
    "price_desc": ("-price", "-id"),
    "name": ("name", "id"),
    "rating": ("-rating_average", "-rating_count", "-id"),
}
DEFAULT_SORT = "new"
# Sort columns read from another table (the reviews app's ``ProductRating``, 0 for a product without reviews),
# annotated only for the sort that needs them.
SORT_ANNOTATIONS = {
    "rating": {
        "rating_average": Coalesce(F("rating__average"), 0),
        "rating_count": Coalesce(F("rating__count"), 0),
    },
}
# The Python type of each sort column, for checking a keyset cursor's values.
_SORT_COLUMN_TYPES = {"id": int, "price": int, "name": str, "rating_average": int, "rating_count": int}


@dataclass(frozen=True)
class ListingFilters:
    """The listing's filters: a price range in won (inclusive) and "only what can be bought now"."""

    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False


@dataclass
class ProductPage:
    """One keyset page of a listing. ``total`` is exact unless ``total_capped`` (then there are more)."""

    products: list[Product]
    total: int
    total_capped: bool
    next_cursor: str | None


@dataclass
class CategoryNode:
    category: Category
    parent: "CategoryNode | None" = None
    children: list["CategoryNode"] = field(default_factory=list)

    @property
    def ancestors(self) -> list[Category]:
        """From the root down to this node's parent: the breadcrumb."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node.category)
            node = node.parent
        return chain[::-1]

    def descendant_ids(self) -> list[int]:
        """This category's id and the ids of every active category below it."""
        ids, stack = [], [self]
        while stack:
            node = stack.pop()
            ids.append(node.category.id)
            stack.extend(node.children)
        return ids


@dataclass
class CategoryTree:
    roots: list[CategoryNode]
    by_slug: dict[str, CategoryNode]


def category_tree() -> CategoryTree:
    """The active category tree in one query. A category under an inactive parent is hidden with it."""
    categories = list(Category.objects.filter(is_active=True).order_by("position", "name"))
    nodes = {category.id: CategoryNode(category) for category in categories}
    roots = []
    for node in nodes.values():
        parent_id = node.category.parent_id
        if parent_id is None:
            roots.append(node)
        elif parent_id in nodes:
            node.parent = nodes[parent_id]
            nodes[parent_id].children.append(node)
    reachable = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        reachable[node.category.slug] = node
        stack.extend(node.children)
    return CategoryTree(roots=roots, by_slug=reachable)


def _with_listing_relations(queryset):
    """Images and categories come in one extra query each, never joined: with a JOIN to the category table
    MariaDB drove the listing from the categories and sorted the whole product table (66 s for the home
    page at 1M products; 3 ms without it: docs/PERFORMANCE.md)."""
    images = Prefetch("images", queryset=ProductImage.objects.order_by("-is_primary", "position", "id"))
    # The rating (stars and review count on the cards) is a LEFT JOIN on its one-to-one key: no extra query,
    # and a left join cannot change which table drives the listing.
    return queryset.select_related("rating").prefetch_related("category", images, "skus")


def product_list(
    *, category_ids: list[int] | None = None, sort: str = DEFAULT_SORT, filters: ListingFilters = ListingFilters()
):
    """Visible products, optionally within some categories and filtered, in one of ``PRODUCT_SORTS``' orders."""
    queryset = Product.objects.visible()
    if category_ids is not None:
        queryset = queryset.filter(category_id__in=category_ids)
    if filters.min_price is not None:
        queryset = queryset.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        queryset = queryset.filter(price__lte=filters.max_price)
    if filters.in_stock:
        queryset = queryset.in_stock()
    sort = sort if sort in PRODUCT_SORTS else DEFAULT_SORT
    queryset = queryset.annotate(**SORT_ANNOTATIONS.get(sort, {}))
    return _with_listing_relations(queryset.order_by(*PRODUCT_SORTS[sort]))


def product_page(
    *,
    category_ids: list[int] | None = None,
    sort: str = DEFAULT_SORT,
    filters: ListingFilters = ListingFilters(),
    after: str = "",
    limit: int,
) -> ProductPage:
    """A page of ``product_list`` by keyset: ``after`` is the previous page's ``next_cursor`` (signed, see
    ``shop.cursors``), so a deep page reads no more rows than the first. Raises ``InvalidCursor`` for a cursor
    that was not made by this listing in this sort."""
    sort = sort if sort in PRODUCT_SORTS else DEFAULT_SORT
    queryset = product_list(category_ids=category_ids, sort=sort, filters=filters)
    paginator = CappedPaginator(queryset, limit)
    columns = [name.lstrip("-") for name in PRODUCT_SORTS[sort]]
    scope = f"products.{sort}"
    if after:
        types = tuple(_SORT_COLUMN_TYPES[column] for column in columns)
        queryset = queryset.filter(_after(PRODUCT_SORTS[sort], cursors.cursor_decode(after, scope=scope, types=types)))
    products = list(queryset[: limit + 1])
    next_cursor = None
    if len(products) > limit:
        products = products[:limit]
        next_cursor = cursors.cursor_encode(tuple(getattr(products[-1], column) for column in columns), scope=scope)
    return ProductPage(products, paginator.count, paginator.capped, next_cursor)


@dataclass
class ListingPage:
    """One page of a category listing, shaped like search's ``SearchPage`` so both share one pager: numbered
    pages first, then "next" by a keyset cursor. In-stock products come first in every sort, sold-out ones
    after them (``phase`` 0 and 1 of the cursor)."""

    products: list[Product]
    total: int
    total_capped: bool
    page_size: int
    number: int | None = 1
    next_number: int | None = None
    next_cursor: str | None = None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_number or self.next_cursor) or self.number != 1

    @property
    def page_numbers(self) -> range:
        pages = -(-self.total // self.page_size)
        return range(1, min(pages, LISTING_NUMBERED_PAGES) + 1)


def product_listing_page(
    *,
    category_ids: list[int] | None = None,
    sort: str = DEFAULT_SORT,
    filters: ListingFilters = ListingFilters(),
    page: int = 1,
    after: str = "",
    limit: int,
) -> ListingPage:
    """A category page: products that can be bought now in ``sort``'s order, then the sold-out ones in the same
    order. Numbered pages up to ``LISTING_NUMBERED_PAGES``, deeper pages by ``after`` (a previous page's
    ``next_cursor``; ``InvalidCursor`` for one this listing did not make). Each phase is read by keyset, so
    a deep page costs what the first does; the total is capped as ``CappedPaginator``'s."""
    sort = sort if sort in PRODUCT_SORTS else DEFAULT_SORT
    order = PRODUCT_SORTS[sort]
    listing = product_list(category_ids=category_ids, sort=sort, filters=filters)
    buyable = Q(status=Product.Status.ON_SALE) & Exists(skus_in_stock().filter(product=OuterRef("pk")))
    phases = [listing.filter(buyable)] if filters.in_stock else [listing.filter(buyable), listing.exclude(buyable)]
    paginator = CappedPaginator(listing, limit)
    result = ListingPage([], paginator.count, paginator.capped, limit)
    columns = [name.lstrip("-") for name in order]
    scope = f"listing.{sort}"
    if after:
        types = (int, *(_SORT_COLUMN_TYPES[column] for column in columns))
        start, *position = cursors.cursor_decode(after, scope=scope, types=types)
        if start >= len(phases):
            raise cursors.InvalidCursor
        result.number, skip, wanted = None, 0, limit + 1
    else:
        start, position = 0, None
        result.number = min(max(page, 1), LISTING_NUMBERED_PAGES)
        skip = (result.number - 1) * limit
        wanted = skip + limit + 1
    rows = []
    for phase in range(start, len(phases)):
        queryset = phases[phase]
        if position is not None and phase == start:
            queryset = queryset.filter(_after(order, tuple(position)))
        rows += [(phase, product) for product in queryset[: wanted - len(rows)]]
        if len(rows) >= wanted:
            break
    rows = rows[skip:]
    has_more, rows = len(rows) > limit, rows[:limit]
    result.products = [product for _, product in rows]
    if has_more:
        if result.number is not None and result.number < LISTING_NUMBERED_PAGES:
            result.next_number = result.number + 1
        phase, last = rows[-1]
        result.next_cursor = cursors.cursor_encode((phase, *(getattr(last, c) for c in columns)), scope=scope)
    return result


def _after(order: tuple[str, ...], position: tuple) -> Q:
    """Rows strictly after ``position`` in ``order`` (fields, "-" for descending). The leading ``>=`` on the
    first column repeats what the OR implies, so the database can read it as one index range."""
    beyond = None
    for depth, name in enumerate(order):
        column, descending = name.lstrip("-"), name.startswith("-")
        equal = {prior.lstrip("-"): value for prior, value in zip(order[:depth], position, strict=False)}
        term = Q(**equal, **{f"{column}__{'lt' if descending else 'gt'}": position[depth]})
        beyond = term if beyond is None else beyond | term
    first = order[0]
    return Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": position[0]}) & beyond


def product_new_arrivals(*, limit: int = NEW_ARRIVALS_COUNT) -> list[Product]:
    return list(product_list(sort="new")[:limit])


def product_get_visible(*, slug: str) -> Product:
    """The product a customer may see, with its images and SKUs; raises ``Product.DoesNotExist`` otherwise."""
    queryset = _with_listing_relations(Product.objects.visible()).prefetch_related(
        "skus__option_values__option", "options__values"
    )
    return queryset.get(slug=slug)


def product_related(*, product: Product, limit: int = RELATED_PRODUCTS_COUNT) -> list[Product]:
    """Other visible products of the same category, newest first."""
    queryset = product_list(category_ids=[product.category_id]).exclude(id=product.id)
    return list(queryset[:limit])


def product_image_urls(*, image: ProductImage, absolute=str) -> dict:
    """An image's URLs for the JSON API: the original and each rendition size (WebP and JPEG, with its pixel
    size; none until the rendition task has run). ``absolute`` is ``request.build_absolute_uri`` for the API:
    local media URLs become absolute, CDN URLs already are."""
    storage = image.image.storage
    return {
        "original": {"url": absolute(storage.url(image.image.name)), "width": image.width, "height": image.height},
        "renditions": {
            name: {
                "width": rendition["width"],
                "height": rendition["height"],
                "webp": absolute(storage.url(rendition["webp"])),
                "jpeg": absolute(storage.url(rendition["jpeg"])),
            }
            for name, rendition in image.renditions.items()
        },
    }


def product_images_needing_renditions(*, force: bool = False):
    """Ids of images whose renditions are missing or made for other sizes (all of them with ``force``)."""
    queryset = ProductImage.objects.order_by("id")
    if not force:
        queryset = queryset.exclude(renditions_spec=images.RENDITION_SPEC)
    return queryset.values_list("id", flat=True)


def product_info_notice(*, product: Product, node: CategoryNode | None) -> list[list[str]]:
    """The product's 상품정보제공고시 rows, else the template of its category or the nearest ancestor's."""
    if product.info_notice:
        return product.info_notice
    categories = ([node.category] + node.ancestors[::-1]) if node else []
    return next((category.info_notice_template for category in categories if category.info_notice_template), [])
