"""A listing's statements compiled once (``shop.statements``) return what the ORM's return, from the same
statements: every sort, both phases, every filter, numbered and cursor pages, the facets, the cards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import selectors
from catalog.selectors import ListingFilters
from reviews.models import ProductRating
from shop import statements
from tests.factories import ProductFactory, ProductImageFactory, product_with_options

pytestmark = pytest.mark.django_db

FILTERS = [
    ListingFilters(),
    ListingFilters(min_price=2000, max_price=3000),
    ListingFilters(min_price=2000),
    ListingFilters(max_price=2000),
    ListingFilters(in_stock=True),
    ListingFilters(min_price=2000, max_price=3000, in_stock=True),
    ListingFilters(options=(("색상", ("블랙",)),)),  # strings: the ORM's statements, for every call
]


@pytest.fixture
def listing(parent_with_two_leaves):
    """The parent's listing with reviews (ties among them), images and products sold by colour."""
    leaves = parent_with_two_leaves[1:]
    products = list(selectors.Product.objects.order_by("id"))
    for product, (average, count) in zip(products, [(450, 2), (450, 7), (300, 1), (500, 1), (450, 2)], strict=False):
        ProductRating.objects.create(product=product, average=average, count=count, total=average * count // 100)
    ProductImageFactory(product=products[1], is_primary=False, with_renditions=False)
    ProductImageFactory(product=products[1], is_primary=True, with_renditions=False)
    for leaf, price in zip([*leaves, leaves[0]], (2000, 3000, 2500), strict=True):
        product_with_options(options={"색상": ["블랙", "화이트"]}, category_id=leaf, price=price)
    ProductFactory(category_id=leaves[1], price=2500, stock=0)
    return parent_with_two_leaves


def _card(product):
    """What a listing page gives of a product: its row and sort columns, rating, images and SKUs."""
    rating = product._state.fields_cache.get("rating")
    return (
        {name: value for name, value in vars(product).items() if not name.startswith("_")},
        rating and {name: value for name, value in vars(rating).items() if not name.startswith("_")},
        [image.id for image in product.images.all()],
        [(sku.id, sku.stock, sku.is_active) for sku in product.skus.all()],
    )


def _page(*, prepared: bool, **arguments):
    """A listing page as its card grid, pager and facets show it, the statements the database received, and the
    page's cursor. ``prepared=False``: every statement through the ORM."""
    with pytest.MonkeyPatch.context() as patch:
        if not prepared:
            patch.setattr(statements.Prepared, "_statement", lambda *args: None)
        with CaptureQueriesContext(connection) as queries:
            page = selectors.product_listing_page(limit=2, **arguments)
            facets = selectors.listing_option_facets(category_ids=arguments["category_ids"])
    seen = (
        [_card(product) for product in page.products],
        (page.total, page.total_capped, page.number, page.next_number),
        # The signed position; the rest of a cursor is the time it was signed.
        page.next_cursor and page.next_cursor.split(":")[0],
        [(facet.name, facet.values) for facet in facets],
    )
    return seen, [query["sql"] for query in queries.captured_queries], page.next_cursor


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "+".join(k for k, v in vars(f).items() if v) or "none")
@pytest.mark.parametrize("sort", list(selectors.PRODUCT_SORTS))
def test_every_page_of_a_listing_is_the_orms_from_the_same_statements(listing, sort, filters, monkeypatch):
    monkeypatch.setattr(selectors, "LISTING_NUMBERED_PAGES", 2)  # page 2 by number, the rest by cursor
    sent_prepared, original = set(), statements.Prepared._statement

    def noted(prepared, *args):
        statement = original(prepared, *args)
        if statement is not None:
            sent_prepared.add(prepared.build.__name__)
        return statement

    monkeypatch.setattr(statements.Prepared, "_statement", noted)
    arguments, pages = {"category_ids": listing, "sort": sort, "filters": filters, "page": 1}, 0
    while True:
        orm, orm_sent, _ = _page(prepared=False, **arguments)
        seen, sent, cursor = _page(prepared=True, **arguments)
        assert seen == orm and sent == orm_sent, (sort, filters, arguments)
        pages += 1
        if seen[1][-1]:
            arguments["page"] += 1
        elif cursor:
            arguments = {**arguments, "after": cursor}
        else:
            break
    assert pages >= 2
    listed = {"_facet_sample_queryset", "_option_facets_queryset", "<lambda>"}  # the cards' images and SKUs
    if not filters.options:
        listed |= {"_listing_ids_queryset", "_listing_count_queryset", "_listing_products_queryset"}
    assert listed <= sent_prepared


def test_a_cursor_outside_every_column_range_goes_through_the_orm_to_the_same_page(listing):
    from shop import cursors

    after = cursors.cursor_encode((1, 10**12), scope="listing.new")  # the start of the sold-out products
    orm, orm_sent, _ = _page(prepared=False, category_ids=listing, after=after)
    assert _page(prepared=True, category_ids=listing, after=after)[:2] == (orm, orm_sent)
    assert orm[0] and not any(card[0]["is_available"] for card in orm[0])
