"""Reads of the catalog: the category tree, product listings and product pages."""

from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce

from shop import cursors, statements

from . import images
from .models import Category, Product, ProductImage, ProductOption, ProductOptionValue, Sku, skus_in_stock

RELATED_PRODUCTS_COUNT = 4
# A listing's pages 1..LISTING_NUMBERED_PAGES are reached by number (as search's); deeper ones by "next".
LISTING_NUMBERED_PAGES = 10
# A category page counts its products up to here and then says "more than 1,000": the pager needs 240, and
# counting 10,001 index entries cost 73 ms at 1M products, twice a whole product page.
LISTING_COUNT_CAP = 1_000
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


# Option facets are read from this many of a category's newest in-stock products (at least 10 a subcategory):
# a bounded read at any size (500 cost 210 ms for a top category at 1M products under load; 120 see the same values).
FACET_SAMPLE_PRODUCTS = 120


@dataclass(frozen=True)
class ListingFilters:
    """The listing's filters: a price range in won (inclusive), "only what can be bought now", and option
    values (``options``: ((option name, (value, ...)), ...), e.g. (("사이즈", ("260", "270")), ("색상", ("블랙",))):
    a product matches when one active SKU in stock has one of the values of every option named, so 블랙 and 260
    finds a black 260 a customer can buy, not a black 250 beside a white 260."""

    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    options: tuple = ()

    @property
    def available_only(self) -> bool:
        """Only what can be bought now: asked for, or implied by an option filter (its SKU is in stock)."""
        return self.in_stock or bool(self.options)


@dataclass
class OptionFacet:
    """An option offered as a listing filter (사이즈) with its values in the products' order (240, 250, ...)."""

    name: str
    values: list[str]


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


def request_category_tree(request) -> CategoryTree:
    """``category_tree()`` once per request: a storefront page's view and its navigation (the context processor)
    share it (each read it before: 0.7 ms of CPU a read, the query and the tree)."""
    tree = getattr(request, "_category_tree", None)
    if tree is None:
        tree = request._category_tree = category_tree()
    return tree


# The order of a product's images wherever a card or page shows them: the primary first.
IMAGE_ORDER = ("-is_primary", "position", "id")


def _with_listing_relations(queryset):
    """Images and categories come in one extra query each, never joined: with a JOIN to the category table
    MariaDB drove the listing from the categories and sorted the whole product table (66 s for the home
    page at 1M products; 3 ms without it: docs/PERFORMANCE.md)."""
    images = Prefetch("images", queryset=ProductImage.objects.order_by(*IMAGE_ORDER))
    # The rating (stars and review count on the cards) is a LEFT JOIN on its one-to-one key: no extra query,
    # and a left join cannot change which table drives the listing.
    return queryset.select_related("rating").prefetch_related("category", images, "skus")


def products_with_card_relations(product_ids: list[int], *, category: bool) -> list[Product]:
    """The visible products of ``product_ids`` (in no order) with what ``_with_listing_relations`` reads, in the
    same queries, for a page of cards (search results): ``_with_card_relations``."""
    return _with_card_relations(_VISIBLE_PRODUCTS.list(list(product_ids)), category=category)


def _with_card_relations(products: list[Product], *, category: bool) -> list[Product]:
    """``products`` (with their rating) given what their cards read (a listing's or search's page), each statement
    compiled once (``shop.statements``).

    Each product's images and SKUs are set as its prefetched relations directly: Django's prefetch builds a
    queryset per product and relation (a clone and a filter each) and a filter on the page's model instances,
    which was ~27% of loading 20 products (CPU, best of 7: 4.3 -> 3.1 ms at 1,000,000 products). Reading
    ``product.images.all()`` and ``product.skus.all()`` then reads these lists, as after ``prefetch_related``."""
    found = {product.id: product for product in products}
    for name, model, statement in (("images", ProductImage, _CARD_IMAGES), ("skus", Sku, _CARD_SKUS)):
        held: dict[int, list] = {product.id: [] for product in products}
        field = model._meta.get_field("product")
        for row in statement.list(list(held)):
            held[row.product_id].append(row)
            field.set_cached_value(row, found[row.product_id])
        for product in products:
            cached = QuerySet(model)
            cached._result_cache, cached._prefetch_done = held[product.id], True
            product.__dict__.setdefault("_prefetched_objects_cache", {})[name] = cached
    if category:
        categories = Category.objects.in_bulk({product.category_id for product in products})
        for product in products:
            Product.category.field.set_cached_value(product, categories.get(product.category_id))
    return products


# The cards' reads, compiled once per connection and number of products (shop.statements).
_CARD_IMAGES = statements.Prepared(
    ProductImage, lambda product_ids: ProductImage.objects.order_by(*IMAGE_ORDER).filter(product_id__in=product_ids)
)
_CARD_SKUS = statements.Prepared(Sku, lambda product_ids: Sku.objects.filter(product_id__in=product_ids))
_VISIBLE_PRODUCTS = statements.Prepared(
    Product, lambda product_ids: Product.objects.visible().filter(id__in=product_ids).select_related("rating")
)


def product_list(
    *, category_ids: list[int] | None = None, sort: str = DEFAULT_SORT, filters: ListingFilters = ListingFilters()
):
    """Visible products, optionally within some categories and filtered, in one of ``PRODUCT_SORTS``' orders."""
    queryset = products_filtered(category_ids=category_ids, filters=filters)
    sort = sort if sort in PRODUCT_SORTS else DEFAULT_SORT
    queryset = queryset.annotate(**SORT_ANNOTATIONS.get(sort, {}))
    return _with_listing_relations(queryset.order_by(*PRODUCT_SORTS[sort]))


def products_filtered(
    *, category_ids: list[int] | None = None, filters: ListingFilters = ListingFilters()
) -> "QuerySet[Product]":
    """Visible products meeting ``filters`` (within ``category_ids``), unordered: the listing's rules, which
    search applies to its candidates too (``product_ids_with_options``)."""
    # Available products are on sale: "in stock only" needs no status test, so its count stays in the index.
    queryset = Product.objects.in_stock() if filters.available_only else Product.objects.visible()
    if category_ids is not None:
        queryset = queryset.filter(category_id__in=category_ids)
    if filters.min_price is not None:
        queryset = queryset.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        queryset = queryset.filter(price__lte=filters.max_price)
    if filters.options:
        queryset = queryset.filter(Exists(_skus_with_options(filters.options).filter(product=OuterRef("pk"))))
    return queryset


def product_ids_with_options(*, product_ids: list[int], options: tuple) -> set[int]:
    """Of ``product_ids``, those that match the option filter ``options`` (``ListingFilters.options``): one
    query, for search, which tests its candidates a batch at a time."""
    if not product_ids:
        return set()
    queryset = products_filtered(filters=ListingFilters(options=options)).filter(id__in=product_ids)
    return set(queryset.values_list("id", flat=True))


def product_page(
    *,
    category_ids: list[int] | None = None,
    sort: str = DEFAULT_SORT,
    filters: ListingFilters = ListingFilters(),
    after: str = "",
    limit: int,
) -> ProductPage:
    """A page of a listing by keyset only (the JSON API): ``product_listing_page``'s order, in-stock products
    first; ``after`` is the previous page's ``next_cursor``. Raises ``InvalidCursor`` for a cursor that was not
    made by this listing in this sort."""
    page = product_listing_page(category_ids=category_ids, sort=sort, filters=filters, after=after, limit=limit)
    prefetch_related_objects(page.products, "category")  # the API's products name their category
    return ProductPage(page.products, page.total, page.total_capped, page.next_cursor)


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
    a deep page costs what the first does; the total is capped as ``CappedPaginator``'s. The products come with
    what their cards show (images, SKUs, rating), not their category."""
    sort = sort if sort in PRODUCT_SORTS else DEFAULT_SORT
    order = PRODUCT_SORTS[sort]
    phases = [True] if filters.available_only else [True, False]
    if filters.options:
        category_ids = _categories_selling_options(category_ids, filters.options)
    result = ListingPage([], 0, False, limit)
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
    found = []
    for phase in range(start, len(phases)):
        after_position = tuple(position) if position is not None and phase == start else None
        ids = _listing_ids(
            category_ids=category_ids,
            sort=sort,
            filters=filters,
            available=phases[phase],
            position=after_position,
            count=wanted - len(found),
        )
        found += [(phase, product_id) for product_id in ids]
        if len(found) >= wanted:
            break
    reached = len(found)
    found = found[skip:]
    has_more, found = len(found) > limit, found[:limit]
    if filters.options:
        # An option filter tests each product's SKUs (0.65 ms a product at 1M): no count of its own; the total
        # is what the pages so far have read, "more than" while there is a next page.
        result.total, result.total_capped = min(reached, skip + limit), has_more
    else:
        result.total, result.total_capped = _listing_count(category_ids=category_ids, filters=filters, phases=phases)
    # The page's rows in one read by id, whichever phases they came from. Without categories: the page's cards
    # do not show them (0.8 ms a page at 5,000 products).
    products = _LISTING_PRODUCTS.list([product_id for _, product_id in found], shape=(sort,))
    by_id = {p.id: p for p in _with_card_relations(products, category=False)}
    rows = [(phase, by_id[product_id]) for phase, product_id in found]
    result.products = [product for _, product in rows]
    if has_more:
        if result.number is not None and result.number < LISTING_NUMBERED_PAGES:
            result.next_number = result.number + 1
        phase, last = rows[-1]
        result.next_cursor = cursors.cursor_encode((phase, *(getattr(last, c) for c in columns)), scope=scope)
    return result


def _listing_products_queryset(sort, product_ids):
    """A listing page's products by id, with their rating and the sort's columns (the cursor's position)."""
    queryset = Product.objects.filter(id__in=product_ids).annotate(**SORT_ANNOTATIONS.get(sort, {}))
    return queryset.select_related("rating")


def _listing_count(*, category_ids, filters, phases, cap: int = LISTING_COUNT_CAP) -> tuple[int, bool]:
    """The listing's total, capped as ``CappedPaginator``'s (at most ``cap`` + 1 index entries read),
    counted phase by phase: the available phase has no status test, so with a price filter its count reads the
    ``(category, is_available, price)`` index alone (one count with the status read 10,001 rows: 3.7 s for a
    top category at 1M products under load)."""
    counted = 0
    for available in phases:
        values = (category_ids, filters.min_price, filters.max_price, filters.options, cap + 1 - counted)
        counted += _LISTING_COUNT.count(*values, shape=(available,))
        if counted > cap:
            break
    return min(counted, cap), counted > cap


def _listing_count_queryset(available, category_ids, min_price, max_price, options, limit):
    """The ids ``_listing_count`` counts in one phase: its first ``limit``."""
    filters = ListingFilters(min_price=min_price, max_price=max_price, options=options)
    return _phase(category_ids, DEFAULT_SORT, filters, available, "all", None).order_by().values_list("pk")[:limit]


# The listing's statements, compiled once per connection and shape (shop.statements): building and compiling them
# was ~half of a top category page's Python time, for SQL text that only the values change.
_LISTING_COUNT = statements.Prepared(Product, _listing_count_queryset)
_LISTING_PRODUCTS = statements.Prepared(Product, _listing_products_queryset)


def _listing_ids(*, category_ids, sort, filters, available: bool, position, count: int) -> list[int]:
    """The ids of the first ``count`` products of one phase after ``position``, each part of the sort read
    through an index already in its order.

    Each category's products of one phase are one range of a ``(category, is_available, <sort column>)`` index.
    Over several categories (a parent spans its leaves) ``category_id IN (...)`` would read every range and
    sort them all, so on databases that can (MariaDB, MySQL) each category is its own ``ORDER BY ... LIMIT``
    inside one UNION ALL: a top category with 16 leaves reads at most 16 x ``count`` index entries.
    """
    ids: list[int] = []
    for part, part_position in _sort_parts(sort, position):
        # Reviewed products are read from the ratings (few rows), not one product range per category.
        per_category = part != "rated" and _one_range_per_category(category_ids)
        shape = (sort, available, part, per_category)
        values = (category_ids, filters.min_price, filters.max_price, filters.options, part_position, count - len(ids))
        if part == "rated" and part_position is not None:
            # A position in the ratings compares with a small-integer column, whose range the statements'
            # stand-in values exceed: the ORM's statement (cursor pages of reviewed products only).
            rows = list(_listing_ids_queryset(*shape, *values))
        else:
            rows = _LISTING_IDS.list(*values, shape=shape)
        ids += [row[0] for row in rows] if per_category else rows
        if len(ids) >= count:
            break
    return ids


def _listing_ids_queryset(
    sort, available, part, per_category, category_ids, min_price, max_price, options, position, wanted
):
    """The statement of ``_listing_ids`` for one part of one phase: the first ``wanted`` ids after ``position``, or
    with ``per_category`` a UNION ALL of one range per category, as rows of (id, *sort columns)."""
    filters = ListingFilters(min_price=min_price, max_price=max_price, options=options)
    if not per_category:
        return _phase(category_ids, sort, filters, available, part, position).values_list("id", flat=True)[:wanted]
    order = _part_order(sort, part)
    columns = [name.lstrip("-") for name in order]
    ranges = _per_category(_phase(None, sort, filters, available, part, position), category_ids)
    ranges = [queryset.values_list("id", *columns)[:wanted] for queryset in ranges]
    return ranges[0].union(*ranges[1:], all=True).order_by(*order)[:wanted]


_LISTING_IDS = statements.Prepared(Product, _listing_ids_queryset)


def _sort_parts(sort: str, position) -> list[tuple[str, tuple | None]]:
    """A sort's parts, each read in an index's order, with the position to start each from.

    "Top rated" orders by the reviews app's ``ProductRating``, which no product index holds; but a product
    without reviews has (0, 0), so that sort is the reviewed products by rating (few, read from the ratings)
    and then the rest newest first (the ``(category, is_available)`` index).
    """
    if sort != "rating":
        return [("all", position)]
    if position is None:
        return [("rated", None), ("unrated", None)]
    if position[0] or position[1]:
        return [("rated", position), ("unrated", None)]
    return [("unrated", position[-1:])]


def _part_order(sort: str, part: str) -> tuple[str, ...]:
    return ("-id",) if part == "unrated" else PRODUCT_SORTS[sort]


def _one_range_per_category(category_ids) -> bool:
    several = category_ids is not None and len(category_ids) > 1
    return several and connection.features.supports_slicing_ordering_in_compound


def _phase(category_ids, sort, filters, available: bool, part: str, position):
    # The available phase has no status test (available products are on sale): with one, MariaDB read the
    # status index's two ranges and sorted them (1.5 s for a top category at 1M products) instead of walking
    # the (category, is_available) index in order.
    filters = replace(filters, in_stock=True) if available else filters
    queryset = product_list(category_ids=category_ids, sort=sort, filters=filters).filter(is_available=available)
    if part == "rated":
        queryset = queryset.filter(rating__count__gt=0)
    elif part == "unrated":
        queryset = queryset.exclude(rating__count__gt=0).order_by("-id")
    return queryset.filter(_after(_part_order(sort, part), position)) if position is not None else queryset


def _skus_with_options(options) -> "QuerySet[Sku]":
    """Active SKUs in stock holding, for each (option name, values) of ``options``, one of those values."""
    queryset = skus_in_stock()
    for name, values in options:
        # One filter() per option: each is its own join, so one SKU must hold a value of every option.
        queryset = queryset.filter(option_values__option__name=name, option_values__name__in=list(values))
    return queryset


def _facet_sample(category_ids) -> list[int]:
    """The newest in-stock products of each category, ``FACET_SAMPLE_PRODUCTS`` in all: what facets are read
    from. Per category, so a parent's sample holds every leaf, not only the busiest."""
    each = FACET_SAMPLE_PRODUCTS if category_ids is None else max(FACET_SAMPLE_PRODUCTS // len(category_ids), 10)
    return _FACET_SAMPLE.list(category_ids, each, shape=(_one_range_per_category(category_ids),))


def _facet_sample_queryset(per_category, category_ids, each):
    sample = ListingFilters(in_stock=True)
    if not per_category:
        return _phase(category_ids, DEFAULT_SORT, sample, True, "all", None).values_list("id", flat=True)[:each]
    ranges = _per_category(_phase(None, DEFAULT_SORT, sample, True, "all", None), category_ids)
    ranges = [queryset.values_list("id", flat=True)[:each] for queryset in ranges]
    return ranges[0].union(*ranges[1:], all=True)


_FACET_SAMPLE = statements.Prepared(Product, _facet_sample_queryset)


def _per_category(queryset, category_ids) -> list:
    """``queryset`` narrowed to each of ``category_ids`` in turn: the parts of a UNION, built from one queryset
    (building the listing's queryset anew for each of a top category's leaves cost more than running them)."""
    return [queryset.filter(category_id=category_id) for category_id in category_ids]


def _categories_selling_options(category_ids, options) -> list[int] | None:
    """Of ``category_ids``, those whose sampled products have every option ``options`` names: an option filter
    then never walks a category that does not sell by that option (a top category's leaves without colours
    were read to their end: 5-14 s at 1M products)."""
    if category_ids is None or len(category_ids) == 1:
        return category_ids
    names = {name for name, _values in options}
    rows = ProductOption.objects.filter(product_id__in=_facet_sample(category_ids), name__in=names)
    found: dict[int, set] = {}
    for category_id, name in rows.values_list("product__category_id", "name").distinct():
        found.setdefault(category_id, set()).add(name)
    return [category_id for category_id in category_ids if found.get(category_id) == names]


def listing_option_facets(*, category_ids: list[int]) -> list[OptionFacet]:
    """The option values a category's listing offers as filters: those of its newest in-stock products
    (``_facet_sample``; two bounded queries; a value only older products carry is not offered)."""
    return option_facets(product_ids=_facet_sample(category_ids))


def option_facets(*, product_ids: list[int]) -> list[OptionFacet]:
    """The option values of the in-stock SKUs of ``product_ids`` (a bounded sample: one query), each option in
    the products' order of options and values. Only values a customer can buy now are offered."""
    facets: dict[str, OptionFacet] = {}
    for option, value, _option_position, _value_position in _OPTION_FACETS.list(list(product_ids)):
        facets.setdefault(option, OptionFacet(option, [])).values.append(value)
    return list(facets.values())


def _option_facets_queryset(product_ids):
    return (
        ProductOptionValue.objects.filter(option__product_id__in=product_ids)
        .filter(
            Exists(Sku.option_values.through.objects.filter(productoptionvalue=OuterRef("pk"), sku__in=skus_in_stock()))
        )
        .values_list("option__name", "name")
        .annotate(option_position=Min("option__position"), value_position=Min("position"))
        .order_by("option_position", "option__name", "value_position", "name")
    )


_OPTION_FACETS = statements.Prepared(ProductOptionValue, _option_facets_queryset)


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
