"""The cart, by SKU. A visitor's lives in the session, a logged-in customer's in the database; the rules are shared.

``cart_for(request)`` picks the storage and never writes; the visitor cart moves into the customer's at log-in
(``cart_merge_at_log_in``), so a page render, which counts the cart for its header, changes nothing.
What can be bought and how many is ``catalog.models.Sku.available``; this module only asks it.
"""

import functools
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, F, Prefetch, prefetch_related_objects
from django.db.models.expressions import RawSQL

from catalog.exceptions import OutOfStock, ShortLine
from catalog.models import Product, ProductImage, ProductOptionValue, Sku
from pricing.quotes import Quote, price_quote
from shop import statements
from shop.exceptions import DomainError

from .exceptions import InvalidQuantity, OptionRequired, ProductNotFound, UnknownProducts
from .models import CartItem

# Carts keyed by SKU id. The old product-keyed session carts ("cart") are left behind rather than misread.
SESSION_KEY = "cart_skus"


@dataclass(frozen=True)
class StoredLine:
    """A line as a cart stores it: its id (the API's item id), the SKU and how many."""

    id: int
    sku_id: int
    quantity: int


class SessionCart:
    """Lines in the session as {"sku_id": quantity}; a line's id is its SKU id.

    A session is saved whole at the end of each request, so two requests of one visitor at the same moment can
    still overwrite each other here; a customer's cart (``DatabaseCart``) is where adds are atomic.
    """

    def __init__(self, session):
        self.session = session

    def lines(self) -> list[StoredLine]:
        return [StoredLine(int(sku_id), int(sku_id), qty) for sku_id, qty in self.session.get(SESSION_KEY, {}).items()]

    def quantity(self, sku_id: int) -> int:
        return self.session.get(SESSION_KEY, {}).get(str(sku_id), 0)

    def add(self, sku_id: int, quantity: int, *, limit: int) -> bool:
        new_quantity = self.quantity(sku_id) + quantity
        if new_quantity > limit:
            return False
        self.set(sku_id, new_quantity)
        return True

    def set(self, sku_id: int, quantity: int) -> None:
        self.session[SESSION_KEY] = {**self.session.get(SESSION_KEY, {}), str(sku_id): quantity}

    def remove(self, sku_id: int) -> None:
        data = dict(self.session.get(SESSION_KEY, {}))
        data.pop(str(sku_id), None)
        self.session[SESSION_KEY] = data

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)


class DatabaseCart:
    """A customer's lines as ``CartItem`` rows; a line's id is the row's id (the API's item id)."""

    def __init__(self, user):
        self.user = user

    def lines(self) -> list[StoredLine]:
        rows = CartItem.objects.filter(user=self.user).order_by("id").values_list("id", "sku_id", "quantity")
        return [StoredLine(*row) for row in rows]

    def quantity(self, sku_id: int) -> int:
        return CartItem.objects.filter(user=self.user, sku_id=sku_id).values_list("quantity", flat=True).first() or 0

    def add(self, sku_id: int, quantity: int, *, limit: int) -> bool:
        """Add on top of the line unless it would pass ``limit``; False (nothing changed) if it would.

        The increment and its cap are one conditional UPDATE on the row, so concurrent adds never lose one (a
        read-then-write made ten concurrent adds of one unit a quantity of 4). A missing line is inserted; if a
        concurrent add inserted it first, the unique (user, sku) refuses ours and we increment theirs.
        """
        line = CartItem.objects.filter(user=self.user, sku_id=sku_id)
        for _attempt in range(5):
            if line.filter(quantity__lte=limit - quantity).update(quantity=F("quantity") + quantity):
                return True
            current = line.values_list("quantity", flat=True).first()
            if current is not None:
                if current + quantity > limit:
                    return False
                continue  # the line appeared between the UPDATE and the read: increment it
            if quantity > limit:
                return False
            try:
                with transaction.atomic():
                    CartItem.objects.create(user=self.user, sku_id=sku_id, quantity=quantity)
                return True
            except IntegrityError:
                continue
        return False

    def set(self, sku_id: int, quantity: int) -> None:
        CartItem.objects.update_or_create(user=self.user, sku_id=sku_id, defaults={"quantity": quantity})

    def remove(self, sku_id: int) -> None:
        CartItem.objects.filter(user=self.user, sku_id=sku_id).delete()

    def clear(self) -> None:
        CartItem.objects.filter(user=self.user).delete()


def cart_for(request):
    """The cart of whoever makes this request: the session's for a visitor, the database's for a customer."""
    if not request.user.is_authenticated:
        return SessionCart(request.session)
    return DatabaseCart(request.user)


def cart_merge_at_log_in(sender, *, request, user, **kwargs):
    """``user_logged_in`` receiver: the visitor cart this session held joins the customer's cart."""
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY):
        cart_merge(visitor_cart=SessionCart(session), customer_cart=DatabaseCart(user))


@functools.cache
def _has_option_values_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    through = Sku.option_values.through._meta
    table, column = quote(through.db_table), quote(through.get_field("sku").column)
    # Only quoted names from the models' own metadata: no value of any request is in it.
    sku = f"{quote(Sku._meta.db_table)}.{quote(Sku._meta.pk.column)}"
    return f"EXISTS (SELECT 1 FROM {table} WHERE {table}.{column} = {sku})"  # noqa: S608


def _has_option_values() -> RawSQL:
    """``Exists(<the SKU's option values>)`` written out once: the same SQL, without building and compiling the
    subquery on every read of a cart and every checkout (about 0.5 ms of an order's 6 ms of CPU)."""
    return RawSQL(_has_option_values_sql(connection.vendor), (), output_field=BooleanField())  # noqa: S611


def _visible_skus(*sku_ids):
    queryset = Sku.objects.filter(product__status__in=Product.VISIBLE_STATUSES).select_related("product")
    # Whether a SKU has option values rides along in the same query, so a product without options (most of
    # them, and a whole order's worth at checkout) costs no second query for its empty label.
    queryset = queryset.annotate(has_option_values=_has_option_values())
    return queryset.filter(pk__in=sku_ids) if sku_ids else queryset


_VISIBLE_SKUS = statements.Prepared(Sku, _visible_skus)
# Reads of up to this many SKUs use the prepared statement (one compiled statement kept for each count).
VISIBLE_SKUS_PREPARED_MAX = 50


def cart_skus(sku_ids, *, images: bool = False) -> dict[int, Sku]:
    """The SKUs among ``sku_ids`` whose products a customer may see, by id: the cart's one visibility gate.

    Every read and write of a cart goes through it, so a draft or hidden product behaves everywhere as if it did
    not exist: its line is left out of the cart, its count and the order, and adding or changing it is refused
    as ``ProductNotFound``, like an id that was never used.
    """
    if not sku_ids:
        return {}
    sku_ids = list(dict.fromkeys(sku_ids))
    if images or len(sku_ids) > VISIBLE_SKUS_PREPARED_MAX:
        queryset = _visible_skus()
        if images:
            by_order = ProductImage.objects.order_by("-is_primary", "position", "id")
            queryset = queryset.prefetch_related(Prefetch("product__images", queryset=by_order))
        skus = queryset.in_bulk(sku_ids)
    else:
        # A checkout's read: the same statement as in_bulk's, compiled once (shop.statements).
        skus = {sku.pk: sku for sku in _VISIBLE_SKUS.list(*sku_ids)}
    with_values = []
    for sku in skus.values():
        if sku.has_option_values:
            with_values.append(sku)
        else:
            sku.__dict__.setdefault("_prefetched_objects_cache", {})["option_values"] = _no_option_values()
    if with_values:
        # Values with their option in one query (the label needs both), not one query for each.
        prefetch_related_objects(
            with_values, Prefetch("option_values", queryset=ProductOptionValue.objects.select_related("option"))
        )
    return skus


def _no_option_values():
    """What a prefetch that found no values leaves in a SKU's cache (Django's ``prefetch_one_level`` does the same):
    an evaluated, empty queryset, so reading the label compiles no query."""
    empty = ProductOptionValue.objects.none()
    empty._result_cache, empty._prefetch_done = [], True
    return empty


def sku_ids_for_products(product_ids) -> dict[int, int]:
    """For visible products named without a SKU (the mobile app's calls from before options): their SKU, when
    there is no choice to make (one SKU, or one active). ``UnknownProducts`` for products a customer cannot see,
    ``OptionRequired`` for a product whose customer must choose."""
    product_ids = set(product_ids)
    if not product_ids:
        return {}
    skus: dict[int, list[tuple[int, bool]]] = {}
    visible = Sku.objects.filter(product_id__in=product_ids, product__status__in=Product.VISIBLE_STATUSES)
    for sku_id, product_id, is_active in visible.order_by("id").values_list("id", "product_id", "is_active"):
        skus.setdefault(product_id, []).append((sku_id, is_active))
    unknown = sorted(product_ids - set(skus))
    if unknown:
        raise UnknownProducts(product_ids=unknown)
    chosen = {}
    for product_id, candidates in skus.items():
        active = [sku_id for sku_id, is_active in candidates if is_active]
        if len(candidates) == 1 or len(active) == 1:
            chosen[product_id] = active[0] if active else candidates[0][0]
        else:
            raise OptionRequired()
    return chosen


def cart_sku_resolve(*, sku_id: int | None = None, product_id: int | None = None) -> Sku:
    """The SKU a request means: ``sku_id``, or a ``product_id`` with no choice to make (``sku_ids_for_products``).
    ``ProductNotFound`` for a SKU or product a customer cannot see, ``OptionRequired`` when they must choose."""
    if sku_id is None:
        try:
            sku_id = sku_ids_for_products([product_id])[product_id]
        except UnknownProducts:
            raise ProductNotFound() from None
    sku = cart_skus([sku_id]).get(sku_id)
    if sku is None:
        raise ProductNotFound()
    return sku


def _line_limit(sku: Sku) -> int:
    """The most a line of this SKU may hold now: what is left, within ``CART_LINE_MAX_QUANTITY``."""
    return min(sku.available, settings.CART_LINE_MAX_QUANTITY)


def _refusal(sku: Sku, quantity: int) -> DomainError:
    """Why a line of ``quantity`` cannot be: past the line maximum, or more than is left."""
    if not 1 <= quantity <= settings.CART_LINE_MAX_QUANTITY:
        return InvalidQuantity(settings.CART_LINE_MAX_QUANTITY)
    return OutOfStock([ShortLine(sku.id, sku.product_id, sku.product.name, quantity, sku.available)])


def cart_add(*, cart, sku: Sku, quantity: int) -> Sku:
    """Add ``quantity`` of a SKU (from ``cart_sku_resolve``) on top of what the cart holds; returns it.

    Atomic in a customer's cart (concurrent adds all count). Refused, changing nothing, with ``InvalidQuantity``
    past ``CART_LINE_MAX_QUANTITY`` and ``OutOfStock`` when too few are left or it is not for sale.
    """
    limit = _line_limit(sku)
    if not 1 <= quantity <= limit:
        raise _refusal(sku, quantity)
    if not cart.add(sku.id, quantity, limit=limit):
        raise _refusal(sku, cart.quantity(sku.id) + quantity)
    return sku


def buy_now_check(*, sku: Sku, quantity: int) -> None:
    """바로 구매 of ``quantity`` of a SKU is possible now (the rules of ``cart_add``, without any cart)."""
    if not 1 <= quantity <= _line_limit(sku):
        raise _refusal(sku, quantity)


def cart_set_quantity(*, cart, sku_id: int, quantity: int) -> None:
    """Change a line's quantity; 0 removes it. Refused like ``cart_add``; ``ProductNotFound`` for an unseen SKU."""
    sku = cart_sku_resolve(sku_id=sku_id)
    if quantity == 0:
        cart.remove(sku.id)
        return
    if not 1 <= quantity <= _line_limit(sku):
        raise _refusal(sku, quantity)
    cart.set(sku.id, quantity)


def cart_remove(*, cart, sku_id: int) -> None:
    """Remove a line. The same answer whatever the product's state, so it tells nothing about the product."""
    cart.remove(sku_id)


def cart_line_sku_id(*, cart, line_id: int) -> int:
    """The SKU of one of the cart's visible lines (the API's item id); ``ProductNotFound`` for any other."""
    for line in cart_lines(cart=cart):
        if line.id == line_id:
            return line.sku.id
    raise ProductNotFound()


@transaction.atomic
def cart_merge(*, visitor_cart: SessionCart, customer_cart: DatabaseCart) -> None:
    """Move a visitor's lines into the customer's cart: quantities add, capped by stock; unsellable lines drop."""
    incoming = {line.sku_id: line.quantity for line in visitor_cart.lines()}
    visitor_cart.clear()
    existing = {line.sku_id: line.quantity for line in customer_cart.lines()}
    skus = cart_skus(incoming)
    for sku_id, quantity in incoming.items():
        sku = skus.get(sku_id)
        if sku is None or not sku.available:
            continue
        merged = min(existing.get(sku_id, 0) + quantity, _line_limit(sku))
        if merged != existing.get(sku_id):
            customer_cart.set(sku_id, merged)


@dataclass
class CartLine:
    id: int
    sku: Sku
    quantity: int

    @property
    def product(self) -> Product:
        return self.sku.product

    @property
    def unit_price(self) -> int:
        return self.sku.price

    @property
    def regular_price(self) -> int:
        return self.sku.regular_price

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def off_sale(self) -> bool:
        return self.sku.product.status != Product.Status.ON_SALE or not self.sku.is_active

    @property
    def short(self) -> bool:
        return not self.off_sale and self.quantity > self.sku.stock


@dataclass
class CartView:
    lines: list[CartLine]

    @cached_property
    def quote(self) -> Quote:
        """The cart's money (``pricing.quotes``): goods, the shipping fee before the address is known, total."""
        return price_quote(lines=[(line.sku, line.quantity) for line in self.lines])

    @property
    def subtotal(self) -> int:
        return self.quote.subtotal

    @property
    def total(self) -> int:
        return self.quote.total

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return any(line.off_sale or line.short for line in self.lines)


def cart_lines(*, cart, images: bool = False) -> list[CartLine]:
    """The cart's lines whose products a customer may see, with today's SKUs, prices and stock."""
    lines = cart.lines()
    skus = cart_skus({line.sku_id for line in lines}, images=images)
    return [CartLine(line.id, skus[line.sku_id], line.quantity) for line in lines if line.sku_id in skus]


def cart_view(*, cart) -> CartView:
    """The cart for the cart and checkout pages and the API: its visible lines and their total."""
    return CartView(cart_lines(cart=cart, images=True))


def cart_count(*, cart) -> int:
    """How many items the cart holds (the header's badge)."""
    return sum(line.quantity for line in cart_lines(cart=cart))
