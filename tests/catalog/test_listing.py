"""Category listings: in-stock products first in every sort, keyset pages across the in-stock/sold-out boundary,
and ``Product.is_available`` kept in step by ``catalog.stock`` (issue 22)."""

import pytest
from django.db import transaction

from catalog import selectors, services, stock
from catalog.models import Product, Sku, StockMovement
from tests.factories import CategoryFactory, ProductFactory, product_with_options, sku_of
from tests.orders.concurrency import run_together

pytestmark = pytest.mark.django_db


def _walk(category_ids, *, sort, limit, filters=None):
    """Every product of a listing, numbered pages first and then by cursor, as a customer pages through it."""
    seen, page, after = [], 1, ""
    while True:
        result = selectors.product_listing_page(
            category_ids=category_ids,
            sort=sort,
            filters=filters or selectors.ListingFilters(),
            page=page,
            after=after,
            limit=limit,
        )
        seen += result.products
        if result.next_number:
            page += 1
        elif result.next_cursor:
            after = result.next_cursor
        else:
            return seen


def _expected(products, sort):
    key = {
        "new": lambda p: -p.id,
        "price_asc": lambda p: (p.price, p.id),
        "price_desc": lambda p: (-p.price, -p.id),
        "name": lambda p: (p.name, p.id),
        "rating": lambda p: -p.id,
    }[sort]
    in_stock = sorted((p for p in products if p.is_available), key=key)
    return [p.id for p in in_stock] + [p.id for p in sorted((p for p in products if not p.is_available), key=key)]


@pytest.mark.parametrize("sort", list(selectors.PRODUCT_SORTS))
def test_pages_walk_every_product_once_in_stock_first_across_the_boundary(parent_with_two_leaves, sort, monkeypatch):
    monkeypatch.setattr(selectors, "LISTING_NUMBERED_PAGES", 2)  # the rest by cursor, across the boundary
    walked = _walk(parent_with_two_leaves, sort=sort, limit=2)
    assert [p.id for p in walked] == _expected(list(Product.objects.all()), sort)


@pytest.mark.parametrize("sort", list(selectors.PRODUCT_SORTS))
def test_filtered_pages_hold_exactly_the_matching_products(parent_with_two_leaves, sort):
    filters = selectors.ListingFilters(min_price=2000, max_price=3000, in_stock=True)
    walked = _walk(parent_with_two_leaves, sort=sort, limit=2, filters=filters)
    matching = Product.objects.filter(price__gte=2000, price__lte=3000, is_available=True)
    assert [p.id for p in walked] == _expected(list(matching), sort)


def test_a_cursor_made_in_the_sold_out_phase_continues_there(parent_with_two_leaves):
    first = selectors.product_listing_page(category_ids=parent_with_two_leaves, sort="price_asc", page=1, limit=6)
    second = selectors.product_listing_page(
        category_ids=parent_with_two_leaves, sort="price_asc", after=first.next_cursor, limit=6
    )
    assert all(p.is_available for p in first.products[:6])
    assert [p.is_available for p in second.products] == [True, False, False, False, False]


def test_a_product_that_sells_out_moves_after_the_in_stock_ones():
    category = CategoryFactory()
    older, newer = ProductFactory(category=category, stock=1), ProductFactory(category=category, stock=3)
    stock.stock_take(quantities={newer.skus.get().id: 3})
    listed = selectors.product_listing_page(category_ids=[category.id], limit=10).products
    assert listed == [older, newer]
    stock.stock_return(quantities={newer.skus.get().id: 1}, reason=StockMovement.Reason.ORDER_RETURN)
    assert selectors.product_listing_page(category_ids=[category.id], limit=10).products == [newer, older]


def test_availability_follows_every_stock_writer():
    sku = ProductFactory(stock=0).skus.get()
    assert not Product.objects.get(pk=sku.product_id).is_available
    stock.stock_adjust(sku=sku, delta=2, reason=StockMovement.Reason.RECEIVED)
    assert Product.objects.get(pk=sku.product_id).is_available
    stock.stock_set(sku=sku, target=0, reason=StockMovement.Reason.CORRECTION)
    assert not Product.objects.get(pk=sku.product_id).is_available
    stock.stock_set(sku=sku, target=1, reason=StockMovement.Reason.CORRECTION)
    stock.stock_adjust(sku=sku, delta=-1, reason=StockMovement.Reason.DAMAGED)
    assert not Product.objects.get(pk=sku.product_id).is_available


def test_availability_follows_the_status_and_the_skus_switched_off():
    shirt = product_with_options(options={"사이즈": ["M", "L"]}, stock=2)
    services.product_set_status(product_ids=[shirt.id], status=Product.Status.SOLD_OUT)
    assert not Product.objects.get(pk=shirt.pk).is_available
    services.product_set_status(product_ids=[shirt.id], status=Product.Status.ON_SALE)
    assert Product.objects.get(pk=shirt.pk).is_available
    Sku.objects.filter(product=shirt).update(is_active=False)
    stock.availability_refresh(product_ids=[shirt.id])
    assert not Product.objects.get(pk=shirt.pk).is_available


def test_saving_a_copy_read_before_the_sale_keeps_the_product_sold_out():
    product = ProductFactory(stock=1)
    stale = Product.objects.get(pk=product.pk)
    stock.stock_take(quantities={product.skus.get().id: 1})
    stale.name = "새 이름"
    services.product_save(product=stale)
    stale.save()  # even a plain save of the stale copy never writes the flag
    saved = Product.objects.get(pk=product.pk)
    assert saved.name == "새 이름" and not saved.is_available


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(8))
def test_two_buyers_emptying_two_skus_of_one_product_at_once_leave_it_sold_out(attempt):
    """Each buyer takes the last unit of a different SKU; each alone still sees the other SKU in stock."""
    shirt = product_with_options(options={"사이즈": ["M", "L"]}, stock=1)
    skus = [sku_of(shirt, "M"), sku_of(shirt, "L")]

    def buy(sku):
        def call():
            with transaction.atomic():
                stock.stock_take(quantities={sku.id: 1}, reference=f"T{sku.id}")

        return call

    outcomes = run_together([buy(sku) for sku in skus])
    assert [error for _, error in outcomes] == [None, None]
    assert Sku.objects.filter(product=shirt, stock__gt=0).count() == 0
    assert not Product.objects.get(pk=shirt.pk).is_available


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(8))
def test_stock_returning_while_the_last_unit_sells_leaves_availability_true_to_the_skus(attempt):
    shirt = product_with_options(options={"사이즈": ["M", "L"]}, stock=1)
    m, large = sku_of(shirt, "M"), sku_of(shirt, "L")
    stock.stock_take(quantities={large.id: 1})

    def take():
        with transaction.atomic():
            stock.stock_take(quantities={m.id: 1})

    def give_back():
        with transaction.atomic():
            stock.stock_return(quantities={large.id: 1}, reason=StockMovement.Reason.ORDER_RETURN)

    outcomes = run_together([take, give_back])
    assert [error for _, error in outcomes] == [None, None]
    assert Product.objects.get(pk=shirt.pk).is_available


def test_top_rated_lists_reviewed_products_by_rating_then_the_rest_newest_first_in_each_phase(
    parent_with_two_leaves, monkeypatch
):
    from reviews.models import ProductRating

    monkeypatch.setattr(selectors, "LISTING_NUMBERED_PAGES", 1)  # every later page by cursor
    products = list(Product.objects.order_by("id"))
    ratings = {products[1].id: (450, 2), products[3].id: (450, 7), products[0].id: (300, 1), products[4].id: (500, 1)}
    for product_id, (average, count) in ratings.items():
        ProductRating.objects.create(product_id=product_id, average=average, count=count, total=average * count // 100)

    def key(product):
        return (*(-value for value in ratings.get(product.id, (0, 0))), -product.id)

    expected = [p.id for p in sorted(products, key=lambda p: (not p.is_available, key(p)))]
    walked = _walk(parent_with_two_leaves, sort="rating", limit=2)
    assert [p.id for p in walked] == expected
