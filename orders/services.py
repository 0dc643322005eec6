"""Placing orders and moving them through their status machine (``models.TRANSITIONS``).

Lock order, everywhere: an order's row before SKU rows; SKU rows in ascending id (the Redis locks, then the
InnoDB rows, the same way: ``catalog.stock``). Placing an order locks SKU rows only (its order row is new), so no
two of these functions can wait on each other in a cycle. Stock is never written here: ``catalog.stock`` takes
and gives it back, with a movement for each change.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as address_selectors
from accounts import services as address_services
from catalog import stock
from catalog.exceptions import OutOfStock, ShortLine
from catalog.models import StockMovement
from notifications import services as notifications
from notifications.models import OrderEmail
from pricing import selectors as pricing_selectors
from pricing import services as pricing_services
from pricing.quotes import price_quote
from shop import metrics, statements
from shop.replicas import primary_reads
from shop.transactions import single_insert

from .cart import DatabaseCart, cart_lines, cart_skus
from .couriers import COURIERS
from .exceptions import EmptyOrder, IllegalTransition, InvalidQuantity, UnknownProducts
from .models import (
    REFUNDABLE,
    STOCK_RETURNING,
    TRANSITIONS,
    CartItem,
    Order,
    OrderEvent,
    OrderLine,
    new_order_number,
)

# Tries at a unique order number (8 random digits a day: a collision is rare, two in a row rarer still).
ORDER_NUMBER_ATTEMPTS = 5

# Entering these statuses emails the customer (``notifications``), in the transition's transaction.
EMAILED_STATUSES = {
    Order.Status.PAID: OrderEmail.Kind.PAID,
    Order.Status.SHIPPED: OrderEmail.Kind.SHIPPED,
    Order.Status.CANCELED: OrderEmail.Kind.CANCELED,
}


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


def requested_quantities(lines) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for sku_id, quantity in lines:
        quantities[sku_id] = quantities.get(sku_id, 0) + quantity
    maximum = settings.CART_LINE_MAX_QUANTITY
    if any(not 1 <= quantity <= maximum for quantity in quantities.values()):
        raise InvalidQuantity(maximum)
    return quantities


@dataclass(frozen=True)
class CheckedLines:
    """An order's lines read and checked before its transaction (``lines_check``): the quantities by SKU, the
    SKUs with their products, and the sold-out generations read from Redis (``None``: not asked)."""

    quantities: dict[int, int]
    skus: dict
    generations: dict[int, str] | None


def sold_out_ask(lines) -> dict[int, str] | None:
    """Refuse at once (``OutOfStock``, one Redis read, no query) lines naming a SKU this process knows is flagged
    sold out (``stock.stock_sold_out_check_hinted``); the generations read, or ``None`` when Redis was not asked.
    ``InvalidQuantity`` for a quantity out of range."""
    return stock.stock_sold_out_check_hinted(requested_quantities(lines))


def lines_check(lines, *, generations: dict[int, str] | None) -> CheckedLines:
    """Today's SKUs and prices for ``lines`` ((sku_id, quantity) pairs), read before the checkout's transaction,
    through the cart's visibility gate and from the primary database (an order is never priced from a replica):
    ``EmptyOrder``, ``UnknownProducts``, or ``OutOfStock`` for what is short or not for sale (``Sku.available``),
    flagging the SKUs seen with no stock (``stock.stock_sold_out_flag_empty``). ``generations``: what
    ``sold_out_ask`` answered for these lines."""
    if not lines:
        raise EmptyOrder()
    quantities = requested_quantities(lines)
    with primary_reads():
        skus = cart_skus(quantities)
    unknown = sorted(sku_id for sku_id in quantities if sku_id not in skus)
    if unknown:
        raise UnknownProducts(sku_ids=unknown)
    short = [
        ShortLine(sku_id, skus[sku_id].product_id, skus[sku_id].product.name, quantity, skus[sku_id].available)
        for sku_id, quantity in sorted(quantities.items())
        if quantity > skus[sku_id].available
    ]
    if short:
        stock.stock_sold_out_flag_empty([skus[line.sku_id] for line in short], generations)
        raise OutOfStock(short)
    return CheckedLines(quantities, skus, generations)


@metrics.counts_refusals
def order_place(
    *,
    user,
    address: ShippingAddress,
    lines=None,
    checked: CheckedLines | None = None,
    coupon=None,
    savepoint: bool = True,
) -> Order:
    """Place an order awaiting payment: priced from the database (``pricing.quotes``), the address copied, the
    coupon's use spent and the stock taken.

    ``lines`` is a list of (sku_id, quantity), or ``checked`` those lines already read (``lines_check``); neither
    orders the customer's cart (the lines a customer can see: ``orders.cart.cart_lines``), whose lines leave the
    cart in the same transaction. All or nothing:
    ``OutOfStock``, ``UnknownProducts``, ``InvalidQuantity``, ``EmptyOrder``, ``StockBusy``,
    ``StockUnavailable`` and the coupon's errors (``pricing.exceptions``) leave stock, coupon, cart and orders as
    they were. ``savepoint=False`` is for a caller whose own transaction is rolled back whole when this raises
    (the checkout): it saves the savepoint's two round trips.
    """
    from_cart = lines is None and checked is None
    if from_cart:
        lines = [(line.sku.id, line.quantity) for line in cart_lines(cart=DatabaseCart(user))]
    if checked is None:
        checked = lines_check(lines, generations=sold_out_ask(lines))
    quantities, skus = checked.quantities, checked.skus
    with transaction.atomic(savepoint=savepoint):
        if coupon is not None:
            # The coupon's row before the SKUs' (pricing.services): racing checkouts queue here for its last use.
            coupon = pricing_services.coupon_lock(coupon=coupon, user=user)
        quote = price_quote(
            lines=[(skus[sku_id], quantity) for sku_id, quantity in sorted(quantities.items())],
            coupon=coupon,
            postal_code=address.postal_code,
            strict=True,
        )
        order = _order_create(user=user, address=address, quote=quote)
        _order_lines_create(order=order, quote=quote)
        if quote.coupon is not None:
            pricing_services.coupon_spend(coupon=quote.coupon, user=user, order=order, discount=quote.discount)
        if from_cart:
            CartItem.objects.filter(user=user, sku_id__in=list(quantities)).delete()
        metrics.order_placed(order)
        notifications.order_email_record(order=order, kind=OrderEmail.Kind.PLACED)
        # The stock last, so its row locks are held only from the UPDATE to the COMMIT: the next buyer of a hot
        # SKU waits for no statement of ours but the COMMIT. The Redis locks cover the UPDATEs alone: once they
        # are done, the rows' own locks keep the stock until the COMMIT, and the next buyer waits for them inside
        # InnoDB (holding Redis through the COMMIT cost a hot product half its orders per second:
        # docs/PERFORMANCE.md).
        stock.stock_take(quantities=quantities, reference=order.number, sold_out_generations=checked.generations)
    return order


@metrics.counts_refusals
def checkout(*, user, address_id: int | None = None, new_address: dict | None = None, save_address: bool = False,
             lines=None, coupon_code: str = "", coupon_id: int | None = None) -> Order:  # fmt: skip
    """The checkout, for the page and the API alike: the shipping address resolved (one of the customer's saved
    addresses by ``address_id``, or ``new_address``: ``accounts.services.ADDRESS_FIELDS``, added to the address
    book when ``save_address``), the coupon found (a typed ``coupon_code`` or a ``coupon_id`` from their 쿠폰함),
    then the order placed (``order_place``), all in one transaction: a refused order saves no address.

    What is refused first: a quantity out of range, then a SKU this process knows is flagged sold out (one Redis
    read: a 선착순 drop's losers), then ``CouponNotFound`` for an unknown coupon, ``AddressNotFound`` for an address
    that is not the customer's, then the lines themselves (empty, unknown, short), read before the transaction
    opens, so an order refused for its lines opens none when the caller has none open."""
    generations = sold_out_ask(lines) if lines else None
    coupon = None
    if coupon_code or coupon_id is not None:
        coupon = pricing_selectors.coupon_find(user=user, code=coupon_code, coupon_id=coupon_id)
    saved = address_selectors.address_get(user=user, address_id=address_id) if address_id is not None else None
    checked = lines_check(lines, generations=generations) if lines is not None else None
    with transaction.atomic():
        if saved is not None:
            shipping = ShippingAddress.from_address(saved)
        else:
            shipping = ShippingAddress(**new_address)
            if save_address:
                address_services.address_create(user=user, **new_address)
        return order_place(user=user, address=shipping, checked=checked, coupon=coupon, savepoint=False)


def _order_create(*, user, address, quote) -> Order:
    for attempt in range(ORDER_NUMBER_ATTEMPTS):
        try:
            with single_insert():
                order = _order_insert(user=user, address=address, quote=quote, number=new_order_number())
            break
        except IntegrityError:
            # Only the number is unique among an order's columns: another order took it the same day.
            if attempt == ORDER_NUMBER_ATTEMPTS - 1:
                raise
    # The created rows ride along as the lists the selectors prefetch, so callers show them without a query.
    event = OrderEvent(order=order, to_status=Order.Status.PENDING_PAYMENT, actor=user)
    order.event_list = statements.insert([event], create=True)
    return order


def _order_insert(*, user, address, quote, number) -> Order:
    order = Order(
        number=number,
        user=user,
        payment_due_at=timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_MINUTES),
        subtotal=quote.subtotal,
        discount=quote.discount,
        shipping_fee=quote.shipping_fee,
        shipping_surcharge=quote.shipping_surcharge,
        shipping_base_fee=quote.shipping_base_fee,
        free_shipping_threshold=quote.free_shipping_threshold,
        total=quote.total,
        recipient=address.recipient,
        phone=address.phone,
        postal_code=address.postal_code,
        address=address.address,
        address_detail=address.detail,
        memo=address.memo,
    )
    return statements.insert([order], create=True)[0]


def _order_lines_create(*, order, quote) -> None:
    order.line_list = statements.insert(
        OrderLine(
            order=order,
            product_id=line.sku.product_id,
            sku_id=line.sku.id,
            product_name=line.sku.product.name,
            option_label=line.sku.option_label,
            unit_price=line.unit_price,
            quantity=line.quantity,
            discount_share=line.discount_share,
        )
        for line in quote.lines
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
            # The coupon before the stock: the lock order of pricing.services.
            pricing_services.coupon_release(order=locked)
            stock.stock_return(
                quantities=_kept_quantities(locked), reason=StockMovement.Reason.ORDER_RETURN, reference=locked.number
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at", *fields])
        OrderEvent.objects.create(order=locked, from_status=from_status, to_status=to_status, actor=actor, note=note)
        if to_status in EMAILED_STATUSES:
            notifications.order_email_record(order=locked, kind=EMAILED_STATUSES[to_status], context={"reason": note})
    return locked


def _kept_quantities(order: Order) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for sku_id, quantity, refunded in order.lines.values_list("sku_id", "quantity", "refunded_quantity"):
        if quantity > refunded:
            quantities[sku_id] = quantities.get(sku_id, 0) + quantity - refunded
    return quantities


def order_mark_paid(*, order: Order, actor=None, note: str = "") -> Order:
    """Payment confirmed (``payments.services`` calls this). ``IllegalTransition`` if it expired or was canceled."""
    paid = order_transition(order=order, to_status=Order.Status.PAID, actor=actor, note=note)
    metrics.order_paid(paid)
    return paid


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
            returned[line.sku_id] = returned.get(line.sku_id, 0) + quantities[line_id]
        stock.stock_return(quantities=returned, reason=StockMovement.Reason.REFUND, reference=locked.number)
        OrderEvent.objects.create(
            order=locked, from_status=locked.status, to_status=locked.status, actor=actor, note=note[:200]
        )
    return locked


def order_mark_preparing(*, order: Order, actor=None) -> Order:
    """Staff started packing a paid order."""
    return order_transition(order=order, to_status=Order.Status.PREPARING, actor=actor)


def order_mark_shipped(*, order: Order, tracking_number: str, courier: str = "", actor=None) -> Order:
    """Handed to a courier (a code of ``orders.couriers.COURIERS``, or none); the tracking number is required."""
    tracking_number = tracking_number.strip()
    if not tracking_number:
        raise ValueError("a shipped order needs a tracking number")
    if courier and courier not in COURIERS:
        raise ValueError(f"unknown courier {courier!r}")
    note = f"{COURIERS[courier].name} {tracking_number}" if courier else tracking_number
    return order_transition(
        order=order,
        to_status=Order.Status.SHIPPED,
        actor=actor,
        note=note,
        tracking_number=tracking_number,
        courier=courier,
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


# --- Personal data of closed accounts ---------------------------------------------------------------------
# The e-commerce act keeps records of contracts and payments 5 years (complaints 3): a closed account's orders
# stay, with who received them and where masked (accounts.closure), and are erased when that time is up.
OPEN_STATUSES = (Order.Status.PENDING_PAYMENT, Order.Status.PAID, Order.Status.PREPARING, Order.Status.SHIPPED)
MASKED = "***"


def order_numbers_open(*, user) -> list[str]:
    """The customer's orders still being paid, prepared or delivered (closing the account waits for them)."""
    return list(Order.objects.filter(user=user, status__in=OPEN_STATUSES).values_list("number", flat=True))


def order_personal_data_mask(*, user) -> int:
    """Masks the recipient's name, phone and address (and the delivery memo) on every order of the customer."""
    return Order.objects.filter(user=user).update(
        recipient=MASKED,
        phone=MASKED,
        postal_code="",
        address=MASKED,
        address_detail="",
        memo="",
        updated_at=timezone.now(),
    )


def cart_clear_for_user(*, user) -> int:
    """Empties the customer's cart (closing the account)."""
    deleted, _by_model = CartItem.objects.filter(user=user).delete()
    return deleted


def order_ids_past_retention(*, now=None, limit: int = 500) -> list[int]:
    """Orders of closed accounts placed more than ORDER_RECORD_RETENTION_DAYS ago: due for erasure."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ORDER_RECORD_RETENTION_DAYS)
    return list(
        Order.objects.filter(user__closed_at__isnull=False, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


@transaction.atomic
def order_records_erase(*, order_ids) -> int:
    """Deletes orders with their lines and events (their payments must be erased first: payments.services)."""
    deleted, _by_model = Order.objects.filter(pk__in=list(order_ids)).delete()
    return deleted
