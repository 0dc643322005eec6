"""The cart. A visitor's lives in the session, a logged-in customer's in the database; the rules are shared.

``cart_for(request)`` picks the storage and, on a customer's first cart access after logging in, merges the
visitor cart into theirs (Django keeps the session's data across log-in, so no log-in hook is needed).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.models import Product

from .exceptions import InvalidQuantity, OrderError, OutOfStock, ProductNotFound, ShortLine
from .models import CartItem

SESSION_KEY = "cart"


class SessionCart:
    """Lines in the session as {"product_id": quantity}; a line's id is its product id.

    A session is saved whole at the end of each request, so two requests of one visitor at the same moment can
    still overwrite each other here; a customer's cart (``DatabaseCart``) is where adds are atomic.
    """

    def __init__(self, session):
        self.session = session

    def lines(self) -> list[tuple[int, int, int]]:
        return [(int(pid), int(pid), qty) for pid, qty in self.session.get(SESSION_KEY, {}).items()]

    def quantity(self, product_id: int) -> int:
        return self.session.get(SESSION_KEY, {}).get(str(product_id), 0)

    def add(self, product_id: int, quantity: int, *, limit: int) -> bool:
        new_quantity = self.quantity(product_id) + quantity
        if new_quantity > limit:
            return False
        self.set(product_id, new_quantity)
        return True

    def set(self, product_id: int, quantity: int) -> None:
        self.session[SESSION_KEY] = {**self.session.get(SESSION_KEY, {}), str(product_id): quantity}

    def remove(self, product_id: int) -> None:
        data = dict(self.session.get(SESSION_KEY, {}))
        data.pop(str(product_id), None)
        self.session[SESSION_KEY] = data

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)


class DatabaseCart:
    """A customer's lines as ``CartItem`` rows; a line's id is the row's id (the API's item id)."""

    def __init__(self, user):
        self.user = user

    def lines(self) -> list[tuple[int, int, int]]:
        return list(CartItem.objects.filter(user=self.user).order_by("id").values_list("id", "product_id", "quantity"))

    def quantity(self, product_id: int) -> int:
        return (
            CartItem.objects.filter(user=self.user, product_id=product_id).values_list("quantity", flat=True).first()
            or 0
        )

    def add(self, product_id: int, quantity: int, *, limit: int) -> bool:
        """Add on top of the line unless it would pass ``limit``; False (nothing changed) if it would.

        The increment and its cap are one conditional UPDATE on the row, so concurrent adds never lose one (a
        read-then-write made ten concurrent adds of one unit a quantity of 4). A missing line is inserted; if a
        concurrent add inserted it first, the unique (user, product) refuses ours and we increment theirs.
        """
        line = CartItem.objects.filter(user=self.user, product_id=product_id)
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
                    CartItem.objects.create(user=self.user, product_id=product_id, quantity=quantity)
                return True
            except IntegrityError:
                continue
        return False

    def set(self, product_id: int, quantity: int) -> None:
        CartItem.objects.update_or_create(user=self.user, product_id=product_id, defaults={"quantity": quantity})

    def remove(self, product_id: int) -> None:
        CartItem.objects.filter(user=self.user, product_id=product_id).delete()

    def clear(self) -> None:
        CartItem.objects.filter(user=self.user).delete()


def cart_for(request):
    """The cart of whoever makes this request, with a visitor cart left in the session merged in."""
    if not request.user.is_authenticated:
        return SessionCart(request.session)
    cart = DatabaseCart(request.user)
    if hasattr(request, "session") and request.session.get(SESSION_KEY):
        cart_merge(visitor_cart=SessionCart(request.session), customer_cart=cart)
    return cart


def _quantities(cart) -> dict[int, int]:
    return {product_id: quantity for _, product_id, quantity in cart.lines()}


def cart_products(product_ids, *, images: bool = False) -> dict[int, Product]:
    """The products among ``product_ids`` that a customer may see, by id: the cart's one visibility gate.

    Every read and write of a cart goes through it, so a draft or hidden product behaves everywhere as if it did
    not exist: its line is left out of the cart, its count and the order, and adding or changing it is refused
    as ``ProductNotFound``, like an id that was never used.
    """
    queryset = Product.objects.visible()
    if images:
        queryset = queryset.prefetch_related("images")
    return queryset.in_bulk(list(product_ids)) if product_ids else {}


def _product(product_id: int) -> Product:
    product = cart_products([product_id]).get(product_id)
    if product is None:
        raise ProductNotFound()
    return product


def _available(product: Product) -> int:
    return product.stock if product.status == Product.Status.ON_SALE else 0


def _line_limit(product: Product) -> int:
    """The most a line of this product may hold now: what is left, within ``CART_LINE_MAX_QUANTITY``."""
    return min(_available(product), settings.CART_LINE_MAX_QUANTITY)


def _refusal(product: Product, quantity: int) -> OrderError:
    """Why a line of ``quantity`` cannot be: past the line maximum, or more than is left."""
    if not 1 <= quantity <= settings.CART_LINE_MAX_QUANTITY:
        return InvalidQuantity(settings.CART_LINE_MAX_QUANTITY)
    return OutOfStock([ShortLine(product.id, product.name, quantity, _available(product))])


def cart_add(*, cart, product_id: int, quantity: int) -> Product:
    """Add ``quantity`` of a product on top of what the cart holds; returns the product.

    Atomic in a customer's cart (concurrent adds all count). Refused, changing nothing, with ``InvalidQuantity``
    past ``CART_LINE_MAX_QUANTITY``, ``OutOfStock`` when too few are left or it is sold out, and
    ``ProductNotFound`` for a product a customer cannot see.
    """
    product = _product(product_id)
    limit = _line_limit(product)
    if not 1 <= quantity <= limit:
        raise _refusal(product, quantity)
    if not cart.add(product.id, quantity, limit=limit):
        raise _refusal(product, cart.quantity(product.id) + quantity)
    return product


def cart_set_quantity(*, cart, product_id: int, quantity: int) -> None:
    """Change a line's quantity; 0 removes it. Refused like ``cart_add``."""
    product = _product(product_id)
    if quantity == 0:
        cart.remove(product.id)
        return
    if not 1 <= quantity <= _line_limit(product):
        raise _refusal(product, quantity)
    cart.set(product.id, quantity)


def cart_remove(*, cart, product_id: int) -> None:
    """Remove a line. The same answer whatever the product's state, so it tells nothing about the product."""
    cart.remove(product_id)


def cart_line_product_id(*, cart, line_id: int) -> int:
    """The product of one of the cart's visible lines (the API's item id); ``ProductNotFound`` for any other."""
    for line in cart_lines(cart=cart):
        if line.id == line_id:
            return line.product.id
    raise ProductNotFound()


@transaction.atomic
def cart_merge(*, visitor_cart: SessionCart, customer_cart: DatabaseCart) -> None:
    """Move a visitor's lines into the customer's cart: quantities add, capped by stock; off-sale lines drop."""
    incoming = _quantities(visitor_cart)
    visitor_cart.clear()
    existing = _quantities(customer_cart)
    products = Product.objects.in_bulk(list(incoming))
    for product_id, quantity in incoming.items():
        product = products.get(product_id)
        if product is None or not product.is_purchasable:
            continue
        limit = min(product.stock, settings.CART_LINE_MAX_QUANTITY)
        merged = min(existing.get(product_id, 0) + quantity, limit)
        if merged != existing.get(product_id):
            customer_cart.set(product_id, merged)


@dataclass
class CartLine:
    id: int
    product: Product
    quantity: int

    @property
    def line_total(self) -> int:
        return self.product.price * self.quantity

    @property
    def off_sale(self) -> bool:
        return self.product.status != Product.Status.ON_SALE

    @property
    def short(self) -> bool:
        return not self.off_sale and self.quantity > self.product.stock


@dataclass
class CartView:
    lines: list[CartLine]

    @property
    def total(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def has_problems(self) -> bool:
        return any(line.off_sale or line.short for line in self.lines)


def cart_lines(*, cart, images: bool = False) -> list[CartLine]:
    """The cart's lines whose products a customer may see, with today's products, prices and stock."""
    lines = cart.lines()
    products = cart_products({product_id for _, product_id, _ in lines}, images=images)
    return [CartLine(id_, products[pid], qty) for id_, pid, qty in lines if pid in products]


def cart_view(*, cart) -> CartView:
    """The cart for the cart and checkout pages and the API: its visible lines and their total."""
    return CartView(cart_lines(cart=cart, images=True))


def cart_count(*, cart) -> int:
    """How many items the cart holds (the header's badge)."""
    return sum(line.quantity for line in cart_lines(cart=cart))
