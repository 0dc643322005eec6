"""What can go wrong with a customer's account data (``shop.exceptions.DomainError``)."""

from django.utils.translation import gettext_lazy as _

from shop.exceptions import NotFound


class AddressNotFound(NotFound):
    """Not one of the customer's saved addresses (someone else's, or deleted)."""

    message = _("No such address.")
