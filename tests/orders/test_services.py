import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from catalog.exceptions import OutOfStock
from catalog.models import Product, Sku
from config.celery import app
from orders import services
from orders.cart import DatabaseCart, cart_add
from orders.exceptions import EmptyOrder, IllegalTransition, InvalidQuantity, UnknownProducts
from orders.models import CartItem, Order
from orders.selectors import order_list_for_user
from orders.tasks import expire_unpaid_orders
from tests.factories import ProductFactory, UserFactory, stock_of

pytestmark = pytest.mark.django_db


def _stock(product):
    return stock_of(product)


def test_placing_an_order_takes_stock_and_copies_prices_and_address(user, shipping):
    laptop, mouse = ProductFactory(price=1_290_000, stock=5), ProductFactory(price=25_000, stock=9)
    order = services.order_place(
        user=user, address=shipping, lines=[(laptop.skus.get().id, 1), (mouse.skus.get().id, 2)]
    )
    assert order.status == Order.Status.PENDING_PAYMENT
    assert order.total == 1_340_000
    assert [(line.product_name, line.unit_price, line.quantity) for line in order.lines.all()] == [
        (laptop.name, 1_290_000, 1),
        (mouse.name, 25_000, 2),
    ]
    assert (order.recipient, order.postal_code) == ("김하늘", "06236")
    assert (_stock(laptop), _stock(mouse)) == (4, 7)


def test_order_number_is_url_safe_and_fits_toss_order_id(user, shipping, product):
    order = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    assert 6 <= len(order.number) <= 64
    assert set(order.number) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_order_numbers_differ(user, shipping, product):
    first = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    second = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    assert first.number != second.number


def test_repeated_product_lines_are_added_up(user, shipping, product):
    order = services.order_place(
        user=user, address=shipping, lines=[(product.skus.get().id, 1), (product.skus.get().id, 2)]
    )
    assert [line.quantity for line in order.lines.all()] == [3]
    assert _stock(product) == 7


def test_a_short_line_takes_nothing_and_says_how_many_are_left(user, shipping):
    plenty, scarce = ProductFactory(stock=10), ProductFactory(stock=2, name="마지막 두 개")
    with pytest.raises(OutOfStock) as error:
        services.order_place(user=user, address=shipping, lines=[(plenty.skus.get().id, 1), (scarce.skus.get().id, 3)])
    assert [(line.name, line.requested, line.available) for line in error.value.lines] == [("마지막 두 개", 3, 2)]
    assert (_stock(plenty), _stock(scarce)) == (10, 2)
    assert not Order.objects.exists()


def test_an_off_sale_product_counts_as_none_left(user, shipping):
    product = ProductFactory(stock=10, status=Product.Status.SOLD_OUT)
    with pytest.raises(OutOfStock) as error:
        services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    assert error.value.lines[0].available == 0


def test_unknown_or_hidden_products_are_refused(user, shipping):
    hidden = ProductFactory(status=Product.Status.HIDDEN)
    with pytest.raises(UnknownProducts) as error:
        services.order_place(user=user, address=shipping, lines=[(hidden.skus.get().id, 1), (999_999, 1)])
    assert error.value.sku_ids == [hidden.skus.get().id, 999_999]


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_quantities_outside_1_to_99_are_refused(user, shipping, product, quantity):
    with pytest.raises(InvalidQuantity):
        services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, quantity)])


def test_an_empty_cart_cannot_be_ordered(user, shipping):
    with pytest.raises(EmptyOrder):
        services.order_place(user=user, address=shipping)


def test_ordering_the_cart_empties_it_in_the_same_step(user, shipping, product):
    cart_add(cart=DatabaseCart(user), sku=product.skus.get(), quantity=2)
    order = services.order_place(user=user, address=shipping)
    assert order.lines.get().quantity == 2
    assert not CartItem.objects.filter(user=user).exists()


def test_a_refused_cart_order_keeps_the_cart(user, shipping, product):
    cart_add(cart=DatabaseCart(user), sku=product.skus.get(), quantity=2)
    Sku.objects.filter(product=product).update(stock=1)
    with pytest.raises(OutOfStock):
        services.order_place(user=user, address=shipping)
    assert CartItem.objects.get(user=user).quantity == 2


@pytest.fixture
def order(user, shipping, product):
    return services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 3)])


def test_the_happy_path_is_recorded_step_by_step(order, staff_user):
    services.order_mark_paid(order=order)
    services.order_mark_preparing(order=order, actor=staff_user)
    services.order_mark_shipped(order=order, actor=staff_user, tracking_number="CJ123456789")
    order = services.order_mark_delivered(order=order, actor=staff_user)
    assert order.status == Order.Status.DELIVERED
    assert order.tracking_number == "CJ123456789"
    history = list(order.events.values_list("from_status", "to_status", "actor"))
    assert history == [
        ("", "pending_payment", order.user_id),
        ("pending_payment", "paid", None),
        ("paid", "preparing", staff_user.id),
        ("preparing", "shipped", staff_user.id),
        ("shipped", "delivered", staff_user.id),
    ]


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ([], Order.Status.SHIPPED),
        ([], Order.Status.DELIVERED),
        (["paid"], Order.Status.EXPIRED),
        (["canceled"], Order.Status.PAID),
        (["expired"], Order.Status.CANCELED),
        (["paid", "preparing", "shipped"], Order.Status.CANCELED),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(order, steps, illegal):
    for step in steps:
        order = services.order_transition(order=order, to_status=step)
    with pytest.raises(IllegalTransition) as error:
        services.order_transition(order=order, to_status=illegal)
    assert "cannot become" in str(error.value.message) or "될 수 없" in str(error.value.message)
    assert Order.objects.get(pk=order.pk).status == order.status


def test_canceling_an_unpaid_order_returns_its_stock(order, product):
    services.order_cancel(order=order, actor=order.user)
    assert _stock(product) == 10


def test_canceling_twice_returns_stock_once(order, product):
    services.order_cancel(order=order, actor=order.user)
    with pytest.raises(IllegalTransition):
        services.order_cancel(order=order, actor=order.user)
    assert _stock(product) == 10


def test_a_paid_order_is_never_canceled_here_without_its_refund(order, product):
    services.order_mark_paid(order=order)
    before = _stock(product)
    with pytest.raises(IllegalTransition):
        services.order_cancel(order=order, actor=order.user)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert _stock(product) == before


def test_refunded_lines_return_their_stock_once_even_when_the_order_is_canceled_later(user, shipping, product):
    order = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 3)])
    services.order_mark_paid(order=order)
    line = order.lines.get()
    services.order_lines_refund(order=order, quantities={line.id: 2})
    assert _stock(product) == 9
    with pytest.raises(InvalidQuantity):
        services.order_lines_refund(order=order, quantities={line.id: 2})
    services.order_transition(order=order, to_status=Order.Status.CANCELED)
    assert _stock(product) == 10
    assert order.lines.get().refunded_quantity == 2


def test_a_shipped_order_needs_a_tracking_number(order):
    services.order_mark_paid(order=order)
    services.order_mark_preparing(order=order)
    with pytest.raises(ValueError):
        services.order_mark_shipped(order=order, tracking_number="  ")


def _age(order, minutes):
    """As if the order had been placed ``minutes`` ago (its payment deadline moves with it)."""
    shift = timezone.timedelta(minutes=minutes)
    Order.objects.filter(pk=order.pk).update(
        created_at=F("created_at") - shift, payment_due_at=F("payment_due_at") - shift
    )


def test_unpaid_orders_expire_after_the_configured_time_and_return_stock(order, product, settings):
    settings.ORDER_PAYMENT_MINUTES = 30
    _age(order, 31)
    assert services.orders_expire_unpaid() == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert _stock(product) == 10


def test_recent_and_paid_orders_do_not_expire(user, shipping, product, settings):
    settings.ORDER_PAYMENT_MINUTES = 30
    recent = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    paid = services.order_mark_paid(
        order=services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    )
    _age(recent, 29)
    _age(paid, 120)
    assert services.orders_expire_unpaid() == 0
    assert _stock(product) == 8


def test_the_expiry_task_and_command_expire_orders(user, shipping, product):
    first = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    second = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    _age(first, 60)
    assert expire_unpaid_orders() == 1
    _age(second, 60)
    call_command("expire_orders")
    assert set(Order.objects.values_list("status", flat=True)) == {Order.Status.EXPIRED}
    assert _stock(product) == 10


def test_the_expiry_runs_on_the_celery_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["orders-expire-unpaid"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_orders_of_other_customers_stay_out_of_a_customers_list(order):
    assert order_list_for_user(user=UserFactory())[0] == []


def test_my_orders_page_newest_first_by_cursor(user, shipping, product):
    numbers = [
        services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)]).number for _ in range(5)
    ]
    first, cursor = order_list_for_user(user=user, limit=2)
    second, cursor2 = order_list_for_user(user=user, after=cursor, limit=2)
    third, end = order_list_for_user(user=user, after=cursor2, limit=2)
    assert [o.number for o in first + second + third] == numbers[::-1]
    assert end is None
