"""The sold-out flag: a SKU seen at zero is refused with one Redis read, and never while stock remains."""

import functools

import pytest
from django.db import transaction
from prometheus_client import REGISTRY

from catalog import stock
from catalog.exceptions import OutOfStock
from catalog.models import Sku
from orders import services
from orders.models import Order
from tests.factories import ProductFactory, UserFactory, stock_of

from .concurrency import run_together
from .conftest import HOME

pytestmark = [pytest.mark.mariadb, pytest.mark.redis]


def _place(user, sku, quantity=1):
    return services.order_place(user=user, address=HOME, lines=[(sku.id, quantity)])


def _sold_out(product):
    product = ProductFactory(stock=1) if product is None else product
    sku = product.skus.get()
    _place(UserFactory(), sku)
    with pytest.raises(OutOfStock):  # this buyer sees the SKU at zero and flags it
        _place(UserFactory(), sku)
    return sku


@pytest.mark.django_db(transaction=True)
def test_a_buyer_of_a_sold_out_sku_is_refused_without_a_query(django_assert_num_queries):
    sku = _sold_out(ProductFactory(name="한정판 운동화", stock=1))
    buyer = UserFactory()
    with django_assert_num_queries(0), pytest.raises(OutOfStock) as refused:
        _place(buyer, sku)
    assert refused.value.lines[0].available == 0
    assert refused.value.lines[0].name == "한정판 운동화"


@pytest.mark.django_db(transaction=True)
def test_stock_coming_back_lets_the_next_buyer_buy_at_once():
    sku = _sold_out(None)
    stock.stock_adjust(sku=sku, delta=3, reason="received")
    order = _place(UserFactory(), sku)
    assert order.status == Order.Status.PENDING_PAYMENT


@pytest.mark.django_db(transaction=True)
def test_an_expired_order_giving_stock_back_clears_the_flag():
    product = ProductFactory(stock=1)
    sku = product.skus.get()
    first = _place(UserFactory(), sku)
    with pytest.raises(OutOfStock):
        _place(UserFactory(), sku)
    services.order_transition(order=first, to_status=Order.Status.EXPIRED)
    assert _place(UserFactory(), sku).status == Order.Status.PENDING_PAYMENT


@pytest.mark.django_db(transaction=True)
def test_a_flag_is_not_written_when_stock_came_back_after_it_was_seen_at_zero():
    product = ProductFactory(stock=0)
    sku = product.skus.get()
    generations = stock.stock_sold_out_check({sku.id: 1})
    seen_at_zero = Sku.objects.select_related("product").get(pk=sku.pk)
    stock.stock_adjust(sku=sku, delta=2, reason="received")  # commits and clears before the flag is written
    stock.stock_sold_out_flag([seen_at_zero], generations)
    assert _place(UserFactory(), sku).status == Order.Status.PENDING_PAYMENT


@pytest.mark.django_db
def test_a_refused_multi_line_order_flags_only_the_sku_with_nothing_left():
    empty, short = ProductFactory(stock=0), ProductFactory(stock=1)
    with pytest.raises(OutOfStock):
        _place_lines([(empty.skus.get(), 1), (short.skus.get(), 2)])
    with pytest.raises(OutOfStock) as refused:
        stock.stock_sold_out_check({empty.skus.get().id: 1, short.skus.get().id: 1})
    assert [line.sku_id for line in refused.value.lines] == [empty.skus.get().id]


def _place_lines(lines):
    return services.order_place(user=UserFactory(), address=HOME, lines=[(sku.id, n) for sku, n in lines])


@pytest.mark.django_db(transaction=True)
def test_a_drop_with_a_restock_in_the_middle_never_oversells_or_refuses_while_stock_remains():
    product = ProductFactory(stock=10)
    sku = product.skus.get()
    buyers = UserFactory.create_batch(40)

    def restock():
        with transaction.atomic():
            stock.stock_adjust(sku=sku, delta=5, reason="received")

    calls = [functools.partial(_place, buyer, sku) for buyer in buyers]
    calls.insert(20, restock)
    outcomes = run_together(calls)
    errors = [exc for _, exc in outcomes if exc is not None]
    assert all(isinstance(exc, OutOfStock) for exc in errors), {type(exc).__name__ for exc in errors}
    assert Order.objects.count() + stock_of(product) == 15
    if stock_of(product):  # whatever is left can still be bought
        assert _place(UserFactory(), sku).status == Order.Status.PENDING_PAYMENT


@pytest.mark.django_db(transaction=True)
def test_the_checkout_refuses_a_flagged_sku_before_its_transaction_and_saves_no_address(django_assert_num_queries):
    sku = _sold_out(None)
    buyer = UserFactory()
    new_address = {"recipient": "이바다", "phone": "010-9876-5432", "postal_code": "48058", "address": "부산 해운대구"}
    refused = REGISTRY.get_sample_value("shop_order_refusals_total", {"code": "out_of_stock"}) or 0
    with django_assert_num_queries(0), pytest.raises(OutOfStock):
        services.checkout(user=buyer, new_address=new_address, save_address=True, lines=[(sku.id, 1)])
    assert not buyer.addresses.exists()
    # Counted once, as a refusal inside the placing is: the dashboard and the sold-out alert see a drop's losers.
    assert REGISTRY.get_sample_value("shop_order_refusals_total", {"code": "out_of_stock"}) == refused + 1


@pytest.mark.django_db(transaction=True)
def test_a_flag_another_process_wrote_refuses_before_the_transaction_and_is_learnt(django_assert_num_queries):
    """An ordinary order does not ask Redis for a flag; a process that has not seen one yet refuses its first
    buyer at the checkout's first read (no transaction, no lock, nothing saved), and the next with no query."""
    sku = _sold_out(None)
    stock._flag_seen.clear()  # what another gunicorn worker knows: nothing, while the flag stands in Redis
    assert stock.stock_sold_out_check_hinted({sku.id: 1}) is None
    new_address = {"recipient": "이바다", "phone": "010-9876-5432", "postal_code": "48058", "address": "부산 해운대구"}
    buyer = UserFactory()
    with django_assert_num_queries(1), pytest.raises(OutOfStock) as refused:
        services.checkout(user=buyer, new_address=new_address, save_address=True, lines=[(sku.id, 1)])
    assert refused.value.lines[0].available == 0
    assert not buyer.addresses.exists() and Order.objects.count() == 1
    next_buyer = UserFactory()
    with django_assert_num_queries(0), pytest.raises(OutOfStock):
        _place(next_buyer, sku)


@pytest.mark.django_db(transaction=True)
def test_an_ordinary_order_does_not_ask_redis_for_a_flag():
    sku = ProductFactory(stock=5).skus.get()
    assert stock.stock_sold_out_check_hinted({sku.id: 1}) is None
    assert _place(UserFactory(), sku).status == Order.Status.PENDING_PAYMENT
    assert not stock.stock_sold_out_seen([sku.id])


@pytest.mark.django_db(transaction=True)
def test_a_process_that_did_not_ask_redis_writes_no_flag_for_stock_that_came_back():
    """The refused order read the SKU at zero without asking Redis first; stock arrives before it flags: the
    generation and the stock are read again, so the flag is not written and the next buyer buys."""
    sku = ProductFactory(stock=0).skus.get()
    seen_at_zero = Sku.objects.select_related("product").get(pk=sku.pk)
    stock.stock_adjust(sku=sku, delta=2, reason="received")
    stock.stock_sold_out_flag_empty([seen_at_zero], None)
    assert not stock.stock_sold_out_seen([sku.id])
    assert _place(UserFactory(), sku).status == Order.Status.PENDING_PAYMENT
