"""What can go wrong with a customer's account (``shop.exceptions.DomainError``), with the data a caller needs."""

from django.utils.translation import gettext_lazy as _

from shop.exceptions import DomainError, NotFound


class AddressNotFound(NotFound):
    """Not one of the customer's saved addresses (someone else's, or deleted)."""

    message = _("No such address.")


class AccountError(DomainError):
    code = "account_error"
    message = _("The account could not be changed.")
    http_status = 400


class ReauthenticationRequired(AccountError):
    """Closing an account needs the password, or (an account without one) a log-in in the last few minutes."""

    code = "reauthentication_required"
    message = _("Confirm it is you: enter your password, or log in again and retry within a few minutes.")
    http_status = 401


class AccountHasOpenOrders(AccountError):
    """Orders still being paid, prepared or delivered keep the account open until they are finished."""

    code = "open_orders"
    message = _("You have orders in progress. You can close your account once they are delivered or canceled.")
    http_status = 409

    def __init__(self, numbers):
        super().__init__(numbers)
        self.numbers = list(numbers)

    def details(self):
        return {"orders": self.numbers}


class AccountClosed(AccountError):
    code = "account_closed"
    message = _("This account is closed.")
    http_status = 409


class TooManyAttempts(AccountError):
    """Too many password confirmations in a short time (allauth's "reauthenticate" rate limit)."""

    code = "too_many_attempts"
    message = _("Too many attempts. Wait a minute and try again.")
    http_status = 429
