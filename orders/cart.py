"""The cart. A visitor's lives in the session, a logged-in customer's in the database; the rules are shared.

``cart_for(request)`` picks the storage and, on a customer's first cart access after logging in, merges the
visitor cart into theirs (Django keeps the session's data across log-in, so no log-in hook is needed).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from catalog.models import Product

from .exceptions import InvalidQuantity, OutOfStock, ShortLine
from .models import CartItem

SESSION_KEY = "cart"


class SessionCart:
    """Lines in the session as {"product_id": quantity}; a line's id is its product id."""

    def __init__(self, session):
        self.session = session

    def lines(self) -> list[tuple[int, int, int]]:
        return [(int(pid), int(pid), qty) for pid, qty in self.session.get(SESSION_KEY, {}).items()]

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


def _check_quantity(product: Product, quantity: int) -> None:
    if not 1 <= quantity <= settings.CART_LINE_MAX_QUANTITY:
        raise InvalidQuantity(settings.CART_LINE_MAX_QUANTITY)
    available = product.stock if product.status == Product.Status.ON_SALE else 0
    if quantity > available:
        raise OutOfStock([ShortLine(product.id, product.name, quantity, available)])


def cart_add(*, cart, product: Product, quantity: int) -> int:
    """Add ``quantity`` of a product (on top of what the cart holds); returns the line's new quantity.

    Refused, changing nothing, with ``OutOfStock`` when the product is off sale or too few are left.
    """
    new_quantity = _quantities(cart).get(product.id, 0) + quantity
    _check_quantity(product, new_quantity)
    cart.set(product.id, new_quantity)
    return new_quantity


def cart_set_quantity(*, cart, product: Product, quantity: int) -> None:
    """Change a line's quantity; 0 removes it. Refused like ``cart_add`` when stock is short."""
    if quantity == 0:
        cart.remove(product.id)
        return
    _check_quantity(product, quantity)
    cart.set(product.id, quantity)


def cart_remove(*, cart, product_id: int) -> None:
    """Remove a line, whatever its product's state."""
    cart.remove(product_id)


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


def cart_view(*, cart) -> CartView:
    """The cart's lines with today's products, prices and stock, for the cart and checkout pages and the API."""
    lines = cart.lines()
    products = Product.objects.prefetch_related("images").in_bulk([product_id for _, product_id, _ in lines])
    return CartView([CartLine(id_, products[pid], qty) for id_, pid, qty in lines if pid in products])


def cart_count(*, cart) -> int:
    """How many items the cart holds (the header's badge)."""
    return sum(quantity for _, _, quantity in cart.lines())
