"""What can go wrong with a wish list or a restock alert."""

from django.utils.translation import gettext_lazy as _

from shop.exceptions import DomainError


class NotSoldOut(DomainError):
    code = "not_sold_out"
    message = _("This item is in stock: you can buy it now.")
    http_status = 409


class ProductUnavailable(DomainError):
    code = "not_found"
    message = _("No such product.")
    http_status = 404
