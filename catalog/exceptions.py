"""The catalog's domain errors (``shop.exceptions.DomainError``): the stock errors every app that sells meets."""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shop.exceptions import DomainError


@dataclass(frozen=True)
class ShortLine:
    """A SKU asked for in a larger quantity than can be bought now (0 when it is not for sale at all)."""

    sku_id: int
    product_id: int
    name: str
    requested: int
    available: int


class OutOfStock(DomainError):
    """Some lines ask for more than is left (0 for a SKU that is no longer for sale). Nothing was taken."""

    code = "out_of_stock"
    message = _("Some items do not have enough stock.")
    http_status = 409

    def __init__(self, lines: list[ShortLine]):
        super().__init__(lines)
        self.lines = lines

    def details(self):
        return {"lines": [line.__dict__ for line in self.lines]}

    def page_messages(self):
        return [
            gettext("%(name)s: you asked for %(requested)d, %(available)d left.")
            % {"name": line.name, "requested": line.requested, "available": line.available}
            for line in self.lines
        ]


class StockBusy(DomainError):
    """A stock lock could not be had in time (many people are buying the same SKU). Nothing was taken."""

    code = "stock_busy"
    message = _("Many people are ordering this product right now. Please try again in a moment.")
    http_status = 503
    retry_after = 1


class StockUnavailable(DomainError):
    """Redis, which guards the stock, could not be reached. Nothing was taken."""

    code = "service_unavailable"
    message = _("Ordering is briefly unavailable. Please try again in a moment.")
    http_status = 503
    retry_after = 5


class NegativeStock(DomainError):
    """A staff adjustment would take a SKU's stock below zero. Nothing changed."""

    code = "negative_stock"
    http_status = 409

    def __init__(self, *, sku_code: str, stock: int, delta: int):
        super().__init__(sku_code, stock, delta)
        self.sku_code, self.stock, self.delta = sku_code, stock, delta

    @property
    def message(self):
        return _("%(code)s has %(stock)d in stock: it cannot change by %(delta)+d.") % {
            "code": self.sku_code,
            "stock": self.stock,
            "delta": self.delta,
        }

    def details(self):
        return {"sku_code": self.sku_code, "stock": self.stock, "delta": self.delta}
