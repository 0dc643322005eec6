"""Placing orders and moving them through their status machine (``models.TRANSITIONS``).

Lock order, everywhere: an order's row before product rows; product rows in ascending id (the Redis locks, then
the InnoDB rows, the same way). Placing an order locks product rows only (its order row is new), so no two of
these functions can wait on each other in a cycle.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product

from .cart import DatabaseCart, cart_lines
from .exceptions import EmptyOrder, IllegalTransition, InvalidQuantity, OutOfStock, ShortLine, UnknownProducts
from .models import REFUNDABLE, STOCK_RETURNING, TRANSITIONS, CartItem, Order, OrderEvent, OrderLine
from .stock import stock_locks_acquire, stock_locks_release, stock_return, stock_take


@dataclass(frozen=True)
class ShippingAddress:
    """Where an order goes; copied into the order, so the address book can change freely afterwards."""

    recipient: str
    phone: str
    postal_code: str
    address: str
    detail: str = ""
    memo: str = ""

    @classmethod
    def from_address(cls, address):
        return cls(address.recipient, address.phone, address.postal_code, address.address, address.detail, address.memo)


def _requested_quantities(lines) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for product_id, quantity in lines:
        quantities[product_id] = quantities.get(product_id, 0) + quantity
    maximum = settings.CART_LINE_MAX_QUANTITY
    if any(not 1 <= quantity <= maximum for quantity in quantities.values()):
        raise InvalidQuantity(maximum)
    return quantities


def _precheck(quantities: dict[int, int]) -> dict[int, Product]:
    """Today's products and prices; refuses early (no lock taken) what is already known to be short."""
    products = Product.objects.only("name", "price", "stock", "status").in_bulk(list(quantities))
    unknown = sorted(pid for pid in quantities if pid not in products or not products[pid].is_visible)
    if unknown:
        raise UnknownProducts(unknown)
    short = []
    for product_id, quantity in sorted(quantities.items()):
        product = products[product_id]
        available = product.stock if product.status == Product.Status.ON_SALE else 0
        if quantity > available:
            short.append(ShortLine(product_id, product.name, quantity, available))
    if short:
        raise OutOfStock(short)
    return products


def order_place(*, user, address: ShippingAddress, lines=None) -> Order:
    """Place an order awaiting payment: prices from the database, the address copied, the stock taken.

    ``lines`` is a list of (product_id, quantity); ``None`` orders the customer's cart (the lines a customer can
    see: ``orders.cart.cart_lines``), whose lines leave the cart in the same transaction. All or nothing: ``OutOfStock``, ``UnknownProducts``, ``InvalidQuantity``,
    ``EmptyOrder``, ``StockBusy`` and ``StockUnavailable`` leave stock, cart and orders as they were.
    """
    from_cart = lines is None
    if from_cart:
        lines = [(line.product.id, line.quantity) for line in cart_lines(cart=DatabaseCart(user))]
    if not lines:
        raise EmptyOrder()
    quantities = _requested_quantities(lines)
    products = _precheck(quantities)
    with transaction.atomic():
        order = _order_create(user=user, address=address, quantities=quantities, products=products)
        _order_lines_create(order=order, quantities=quantities, products=products)
        if from_cart:
            CartItem.objects.filter(user=user, product_id__in=list(quantities)).delete()
        # The stock last, so its row locks are held only from the UPDATE to the COMMIT. The Redis locks cover
        # the UPDATEs alone: once they are done, the rows' own locks keep the stock until the COMMIT, and the
        # next buyer waits for them inside InnoDB (holding Redis through the COMMIT cost a hot product half its
        # orders per second: docs/PERFORMANCE.md).
        held = stock_locks_acquire(quantities)
        try:
            stock_take(quantities=quantities, names={pid: p.name for pid, p in products.items()})
        finally:
            stock_locks_release(held)
    return order


def _order_create(*, user, address, quantities, products) -> Order:
    order = Order.objects.create(
        user=user,
        payment_due_at=timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_MINUTES),
        total=sum(products[pid].price * quantity for pid, quantity in quantities.items()),
        recipient=address.recipient,
        phone=address.phone,
        postal_code=address.postal_code,
        address=address.address,
        address_detail=address.detail,
        memo=address.memo,
    )
    # The created rows ride along as the lists the selectors prefetch, so callers show them without a query.
    order.event_list = [OrderEvent.objects.create(order=order, to_status=Order.Status.PENDING_PAYMENT, actor=user)]
    return order


def _order_lines_create(*, order, quantities, products) -> None:
    order.line_list = OrderLine.objects.bulk_create(
        OrderLine(
            order=order, product_id=pid, product_name=products[pid].name, unit_price=products[pid].price, quantity=q
        )
        for pid, q in sorted(quantities.items())
    )


def order_transition(*, order: Order, to_status: str, actor=None, note: str = "", **fields) -> Order:
    """Move an order to ``to_status`` if ``TRANSITIONS`` allows it from where it is now, and record it.

    Runs on the order's locked row, so racing transitions (expiry, cancel, payment) see each other: one wins,
    the others get ``IllegalTransition``. Entering expired or canceled gives back the stock not already given
    back by a partial refund, so that happens exactly once. Money is not this module's: canceling a paid order
    goes through ``payments.services``, which refunds in the same transaction.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if to_status not in TRANSITIONS.get(locked.status, ()):
            raise IllegalTransition(number=locked.number, from_status=locked.status, to_status=to_status)
        from_status = locked.status
        if to_status in STOCK_RETURNING:
            stock_return(quantities=_kept_quantities(locked))
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at", *fields])
        OrderEvent.objects.create(order=locked, from_status=from_status, to_status=to_status, actor=actor, note=note)
    return locked


def _kept_quantities(order: Order) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for product_id, quantity, refunded in order.lines.values_list("product_id", "quantity", "refunded_quantity"):
        if quantity > refunded:
            quantities[product_id] = quantities.get(product_id, 0) + quantity - refunded
    return quantities


def order_mark_paid(*, order: Order, actor=None, note: str = "") -> Order:
    """Payment confirmed (``payments.services`` calls this). ``IllegalTransition`` if it expired or was canceled."""
    return order_transition(order=order, to_status=Order.Status.PAID, actor=actor, note=note)


def order_cancel(*, order: Order, actor=None, note: str = "") -> Order:
    """Cancel an order that was never paid: the stock goes back. A paid order is canceled with its refund by
    ``payments.services.order_cancel_and_refund``; here it is ``IllegalTransition``."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != Order.Status.PENDING_PAYMENT:
            raise IllegalTransition(number=locked.number, from_status=locked.status, to_status=Order.Status.CANCELED)
        return order_transition(order=locked, to_status=Order.Status.CANCELED, actor=actor, note=note)


def order_hold_for_payment(*, order: Order, until) -> bool:
    """Keep an unpaid order from expiring until ``until`` (a payment is being confirmed, or a virtual account
    awaits its deposit). Only ever moves the deadline later; False if the order is no longer awaiting payment."""
    held = Order.objects.filter(pk=order.pk, status=Order.Status.PENDING_PAYMENT).exclude(payment_due_at__gte=until)
    if held.update(payment_due_at=until):
        return True
    return Order.objects.filter(pk=order.pk, status=Order.Status.PENDING_PAYMENT).exists()


def order_lines_refund(*, order: Order, quantities: dict[int, int], actor=None, note: str = "") -> Order:
    """Record that these units ({order line id: n}) were refunded, and give their stock back.

    For partial refunds of a paid order (before shipping, or goods returned after it); the caller has refunded
    the money. Raises ``IllegalTransition`` if the order was never paid or is canceled, ``InvalidQuantity`` for
    more units than a line still has.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in REFUNDABLE:
            raise IllegalTransition(number=locked.number, from_status=locked.status, to_status=locked.status)
        lines = {line.id: line for line in locked.lines.filter(id__in=list(quantities))}
        if set(lines) != set(quantities) or any(
            not 1 <= quantities[line_id] <= line.kept_quantity for line_id, line in lines.items()
        ):
            raise InvalidQuantity(max((line.kept_quantity for line in lines.values()), default=0))
        returned: dict[int, int] = {}
        for line_id in sorted(lines):
            line = lines[line_id]
            OrderLine.objects.filter(pk=line_id).update(refunded_quantity=F("refunded_quantity") + quantities[line_id])
            returned[line.product_id] = returned.get(line.product_id, 0) + quantities[line_id]
        stock_return(quantities=returned)
        OrderEvent.objects.create(
            order=locked, from_status=locked.status, to_status=locked.status, actor=actor, note=note[:200]
        )
    return locked


def order_mark_preparing(*, order: Order, actor=None) -> Order:
    """Staff started packing a paid order."""
    return order_transition(order=order, to_status=Order.Status.PREPARING, actor=actor)


def order_mark_shipped(*, order: Order, tracking_number: str, actor=None) -> Order:
    """Handed to the courier; the tracking number is required."""
    tracking_number = tracking_number.strip()
    if not tracking_number:
        raise ValueError("a shipped order needs a tracking number")
    return order_transition(
        order=order, to_status=Order.Status.SHIPPED, actor=actor, note=tracking_number, tracking_number=tracking_number
    )


def order_mark_delivered(*, order: Order, actor=None) -> Order:
    """The courier delivered it."""
    return order_transition(order=order, to_status=Order.Status.DELIVERED, actor=actor)


def orders_expire_unpaid(*, now=None, limit: int = 500) -> int:
    """Expire orders still unpaid after their ``payment_due_at``; returns how many expired.

    Each order in its own short transaction, its deadline read again under the row lock: a payment that began
    meanwhile (and pushed the deadline) or a transition that won (paid, canceled) leaves it alone.
    """
    now = now or timezone.now()
    overdue = Order.objects.filter(status=Order.Status.PENDING_PAYMENT, payment_due_at__lt=now)
    expired = 0
    for order_id in overdue.order_by("payment_due_at").values_list("id", flat=True)[:limit]:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order_id)
            if locked.status != Order.Status.PENDING_PAYMENT or locked.payment_due_at >= now:
                continue
            order_transition(order=locked, to_status=Order.Status.EXPIRED, note=_("Not paid in time."))
        expired += 1
    return expired
