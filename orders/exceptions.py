"""What can go wrong with a cart or an order, with the data a caller needs to say so.

They extend ``shop.exceptions.DomainError``, so pages (``shop.errors``) and the API (``shop.api.exceptions``) answer
them as they answer every other domain error, along with the stock errors of ``catalog.exceptions``.
"""

from django.utils.translation import gettext_lazy as _

from shop.exceptions import DomainError


class OrderError(DomainError):
    code = "order_error"
    message = _("The order could not be placed.")


class EmptyOrder(OrderError):
    code = "empty_order"
    message = _("There is nothing to order.")


class IllegalTransition(OrderError):
    code = "illegal_transition"
    http_status = 409

    def __init__(self, *, number: str, from_status: str, to_status: str):
        super().__init__(number, from_status, to_status)
        self.number, self.from_status, self.to_status = number, from_status, to_status

    @property
    def message(self):
        from .models import Order

        labels = dict(Order.Status.choices)
        return _("An order that is “%(from)s” cannot become “%(to)s”.") % {
            "from": labels.get(self.from_status, self.from_status),
            "to": labels.get(self.to_status, self.to_status),
        }

    def details(self):
        return {"status": self.from_status, "requested": self.to_status}


class InvalidQuantity(OrderError):
    code = "invalid_quantity"

    def __init__(self, maximum: int):
        super().__init__(maximum)
        self.maximum = maximum

    @property
    def message(self):
        return _("Choose a quantity from 1 to %(max)d.") % {"max": self.maximum}

    def details(self):
        return {"max": self.maximum}


class UnknownProducts(OrderError):
    code = "unknown_product"
    message = _("Some products do not exist.")

    def __init__(self, *, sku_ids: list[int] = (), product_ids: list[int] = ()):
        super().__init__(sku_ids, product_ids)
        self.sku_ids, self.product_ids = list(sku_ids), list(product_ids)

    def details(self):
        return {"sku_ids": self.sku_ids, "product_ids": self.product_ids}


class ProductNotFound(OrderError):
    """No such product, or one a customer cannot see (draft, hidden): the two are told apart nowhere."""

    code = "not_found"
    message = _("No such product.")
    http_status = 404


class OptionRequired(OrderError):
    """A product with options was named without saying which SKU (``sku_id``)."""

    code = "option_required"
    message = _("Choose an option of this product.")


class InvalidIdempotencyKey(OrderError):
    code = "invalid_idempotency_key"

    def __init__(self, max_length: int):
        super().__init__(max_length)
        self.max_length = max_length

    @property
    def message(self):
        return _("An Idempotency-Key is 1 to %(max)d visible ASCII characters.") % {"max": self.max_length}


class IdempotencyKeyReused(OrderError):
    """The key was already used for a different request; nothing was done."""

    code = "idempotency_key_reused"
    message = _("This Idempotency-Key was already used for a different request.")
    http_status = 422


class IdempotencyKeyBusy(OrderError):
    """The request with this key is still being processed elsewhere; retry to get its answer."""

    code = "idempotent_request_processing"
    message = _("A request with this Idempotency-Key is being processed. Please try again in a moment.")
    http_status = 409
    retry_after = 1
