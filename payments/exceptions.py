"""What can go wrong with a payment or a refund, for a page message or the API's error shape.

They extend ``orders.exceptions.OrderError`` (``shop.exceptions.DomainError``: code, message, details, HTTP
status), so the API's one handler and the pages' one helper answer them like every other domain error.
"""

from django.utils.translation import gettext_lazy as _

from orders.exceptions import OrderError

from . import toss


class PaymentError(OrderError):
    code = "payment_error"
    message = _("The payment could not be completed.")
    http_status = 400


class PaymentOrderNotFound(PaymentError):
    code = "not_found"
    message = _("No such order.")
    http_status = 404


class PaymentAmountMismatch(PaymentError):
    """The amount the widget reports is not the order's total: someone changed it. Nothing is charged."""

    code = "amount_mismatch"
    message = _("The payment amount does not match the order total. Nothing was charged.")

    def __init__(self, *, expected: int, got: int):
        super().__init__(expected, got)
        self.expected, self.got = expected, got

    def details(self):
        return {"expected": self.expected, "amount": self.got}


class OrderNotPayable(PaymentError):
    """The order is not awaiting payment (paid, expired, canceled), or another payment for it is under way."""

    code = "order_not_payable"
    message = _("This order can no longer be paid. Nothing was charged.")
    http_status = 409

    def __init__(self, status: str = "", message=None):
        super().__init__(status)
        self.status = status
        if message is not None:
            self.message = message

    def details(self):
        return {"status": self.status}


class PaymentRejected(PaymentError):
    """Toss refused the payment (card declined, window timed out...). Nothing is charged; the order stays payable."""

    code = "payment_rejected"
    http_status = 402

    def __init__(self, toss_code: str):
        super().__init__(toss_code)
        self.toss_code = toss_code

    @property
    def message(self):
        return toss.customer_message(self.toss_code)

    def details(self):
        return {"toss_code": self.toss_code}


class RefundRefused(PaymentError):
    """A refund that cannot be made: nothing paid, too many units, or Toss refused it."""

    code = "refund_refused"
    message = _("This refund cannot be made.")
    http_status = 409

    def __init__(self, message=None, *, toss_code: str = ""):
        super().__init__(message, toss_code)
        self.toss_code = toss_code
        if message is not None:
            self.message = message

    def details(self):
        return {"toss_code": self.toss_code} if self.toss_code else None


class RefundAccountRequired(PaymentError):
    """A deposited virtual account is refunded by bank transfer: Toss needs the customer's account."""

    code = "refund_account_required"
    message = _("Enter the bank account the refund should go to.")
