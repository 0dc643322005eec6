"""Many buyers at once on MariaDB: no oversell, no deadlock, stock returned exactly once."""

import functools
import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from catalog.exceptions import OutOfStock
from catalog.models import Sku, StockMovement
from orders import services
from orders.exceptions import IllegalTransition
from orders.models import Order, OrderLine
from tests.factories import ProductFactory, UserFactory, product_with_options, sku_of, stock_of

from .concurrency import run_together
from .conftest import HOME

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

BUYERS = 60


@pytest.fixture(params=[pytest.param("redis-locks", marks=pytest.mark.redis), "database-guard-alone"])
def guard(request, settings):
    """Both ways the stock is guarded: Redis locks plus the conditional UPDATE, and the UPDATE alone."""
    if request.param == "database-guard-alone":
        settings.STOCK_LOCK_REDIS_URL = ""
    return request.param


def _place(user, lines):
    return services.order_place(user=user, address=HOME, lines=lines)


def _ordered(product):
    return OrderLine.objects.filter(product=product).aggregate(n=Sum("quantity"))["n"] or 0


def test_sixty_buyers_for_ten_items_make_exactly_ten_orders(guard):
    product = ProductFactory(stock=10)
    users = UserFactory.create_batch(BUYERS)
    outcomes = run_together([functools.partial(_place, user, [(product.skus.get().id, 1)]) for user in users])
    errors = [exc for _, exc in outcomes if exc is not None]
    assert Order.objects.count() == 10
    assert stock_of(product) == 0
    assert len(errors) == BUYERS - 10
    assert all(isinstance(exc, OutOfStock) for exc in errors), {type(exc).__name__ for exc in errors}
    assert all(exc.lines[0].available == 0 for exc in errors)


def test_overlapping_multi_product_orders_never_deadlock_or_oversell(guard):
    products = [ProductFactory(stock=15) for _ in range(4)]
    ids = [product.skus.get().id for product in products]
    shapes = [[0], [0, 1], [1, 0], [1, 2], [2, 1], [2, 3], [3, 0], [0, 1, 2, 3], [3, 2, 1, 0]]
    rng = random.Random(8)
    calls = []
    for user in UserFactory.create_batch(BUYERS):
        shape = shapes[len(calls) % len(shapes)]
        calls.append(functools.partial(_place, user, [(ids[i], rng.randint(1, 3)) for i in shape]))
    outcomes = run_together(calls)
    errors = [exc for _, exc in outcomes if exc is not None]
    assert all(isinstance(exc, OutOfStock) for exc in errors), {type(exc).__name__ for exc in errors}
    assert Order.objects.count() == BUYERS - len(errors) > 0
    for product in products:
        assert stock_of(product) == 15 - _ordered(product)


def _race(order, kind):
    if kind == "expire":
        return services.orders_expire_unpaid()
    if kind == "cancel":
        return services.order_cancel(order=order, actor=order.user)
    return services.order_mark_paid(order=order)


def test_expiry_cancel_and_payment_racing_return_stock_once(settings):
    settings.STOCK_LOCK_REDIS_URL = ""
    product = ProductFactory(stock=100)
    user = UserFactory()
    orders = [_place(user, [(product.skus.get().id, 2)]) for _ in range(12)]
    Order.objects.update(created_at=timezone.now() - timezone.timedelta(hours=2))
    calls = [functools.partial(_race, order, kind) for order in orders for kind in ("expire", "cancel", "pay")]
    outcomes = run_together(calls)
    unexpected = [exc for _, exc in outcomes if exc is not None and not isinstance(exc, IllegalTransition)]
    assert unexpected == []
    holding = Order.objects.filter(status__in=["pending_payment", "paid"]).count()
    assert stock_of(product) == 100 - 2 * holding
    for order in Order.objects.all():
        returns = order.events.filter(to_status__in=["expired", "canceled"]).count()
        assert returns <= 1
        assert (returns == 1) == (order.status in ("expired", "canceled"))


def _movements_sum(skus) -> int:
    return StockMovement.objects.filter(sku__in=skus).aggregate(n=Sum("delta"))["n"] or 0


def test_two_skus_of_one_product_sell_out_concurrently_without_oversell_or_deadlock(guard):
    product = product_with_options(options={"사이즈": ["250", "260"], "색상": ["블랙"]}, stock=6)
    small, large = sku_of(product, "250", "블랙"), sku_of(product, "260", "블랙")
    shapes = [[small.id], [large.id], [small.id, large.id], [large.id, small.id]]
    calls = [
        functools.partial(_place, user, [(sku_id, 1) for sku_id in shapes[i % len(shapes)]])
        for i, user in enumerate(UserFactory.create_batch(BUYERS))
    ]
    outcomes = run_together(calls)
    errors = [exc for _, exc in outcomes if exc is not None]
    assert all(isinstance(exc, OutOfStock) for exc in errors), {type(exc).__name__ for exc in errors}
    sold = {sku.id: OrderLine.objects.filter(sku=sku).aggregate(n=Sum("quantity"))["n"] for sku in (small, large)}
    assert sold == {small.id: 6, large.id: 6}
    assert list(Sku.objects.filter(id__in=sold).values_list("stock", flat=True)) == [0, 0]
    assert _movements_sum([small, large]) == 0  # +6 +6 imported, -12 sold


def test_movements_sum_to_the_stock_after_orders_expire_cancel_and_pay(settings):
    settings.STOCK_LOCK_REDIS_URL = ""
    product = product_with_options(options={"색상": ["블랙", "화이트"]}, stock=40)
    black, white = sku_of(product, "블랙"), sku_of(product, "화이트")
    user = UserFactory()
    orders = [_place(user, [(black.id, 2), (white.id, 1)]) for _ in range(8)]
    Order.objects.update(payment_due_at=timezone.now() - timezone.timedelta(hours=2))
    calls = [functools.partial(_race, order, kind) for order in orders for kind in ("expire", "cancel", "pay")]
    run_together(calls)
    for sku in (black, white):
        assert Sku.objects.get(pk=sku.pk).stock == _movements_sum([sku])
