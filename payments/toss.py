"""Toss Payments' core API v1: confirm, look up and cancel payments (../shared/reference/toss-protocol.md).

One ``requests`` session per process, a timeout on every call, ``Authorization: Basic base64(secret + ":")`` and
an ``Idempotency-Key`` on every POST. Three kinds of failure, because callers must treat them differently:

- ``TossRejected``: Toss answered with an error of its own (a 4xx with ``{code, message}``); nothing happened.
- ``TossUnavailable``: Toss was not reached (connection refused, DNS) or answered 401/403 about our own key;
  nothing can have happened.
- ``TossOutcomeUnknown``: the request may have been carried out (a timeout after sending, a 5xx, a body we
  cannot read). Only a later look-up can tell; never assume either way.
"""

import base64
import threading

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TossError(Exception):
    """Base of this module's exceptions; ``code`` is Toss's error code where it gave one."""

    def __init__(self, message: str, *, code: str = "", status: int | None = None):
        super().__init__(message)
        self.code, self.status, self.toss_message = code, status, message


class TossRejected(TossError):
    """Toss refused the request with an error code; nothing was done."""


class TossUnavailable(TossError):
    """Toss could not be reached; nothing was done."""


class TossOutcomeUnknown(TossError):
    """The request may or may not have been carried out."""


# Codes whose meaning is "this already happened or is happening": resolve by reading the payment.
ALREADY_DONE = {"ALREADY_PROCESSED_PAYMENT", "IDEMPOTENT_REQUEST_PROCESSING", "ALREADY_CANCELED_PAYMENT"}
# 5xx codes Toss documents as "outcome unknown" besides any other 5xx.
SERVER_ERRORS = {
    "FAILED_INTERNAL_SYSTEM_PROCESSING",
    "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING",
    "UNKNOWN_PAYMENT_ERROR",
    "COMMON_ERROR",
}

# What a customer is told for Toss's codes; anything else gets GENERIC_MESSAGE.
CUSTOMER_MESSAGES = {
    "REJECT_CARD_PAYMENT": _("The card company declined the payment (limit or balance). Try another card."),
    "REJECT_CARD_COMPANY": _("The card company declined the payment. Try another card or method."),
    "FDS_ERROR": _("The payment was stopped by a fraud check. Try another method or contact your card company."),
    "INVALID_CARD_EXPIRATION": _("The card's expiry date is wrong."),
    "INVALID_STOPPED_CARD": _("This card is suspended. Try another card."),
    "EXCEED_MAX_DAILY_PAYMENT_COUNT": _("You reached the card's daily number of payments."),
    "EXCEED_MAX_PAYMENT_AMOUNT": _("The amount is over the card's limit."),
    "NOT_FOUND_PAYMENT_SESSION": _("The payment window timed out. Please pay again."),
    "PAY_PROCESS_CANCELED": _("You closed the payment window. Nothing was charged."),
    "PAY_PROCESS_ABORTED": _("The payment was not completed. Nothing was charged."),
    "PROVIDER_ERROR": _("The payment provider had a temporary problem. Please try again."),
    "NOT_CANCELABLE_PAYMENT": _("This payment can no longer be canceled online."),
    "NOT_CANCELABLE_AMOUNT": _("That is more than can still be refunded."),
    "INVALID_REFUND_ACCOUNT_INFO": _("The refund account details are wrong."),
    "INVALID_REFUND_ACCOUNT_NUMBER": _("The refund account number is wrong."),
}
GENERIC_MESSAGE = _("The payment could not be completed. Nothing was charged; please try again.")


def customer_message(code: str) -> str:
    """A message a customer understands for one of Toss's error codes."""
    return str(CUSTOMER_MESSAGES.get(code, GENERIC_MESSAGE))


_local = threading.local()


def _session() -> requests.Session:
    # One pooled session per thread: requests.Session is not documented as thread-safe.
    if getattr(_local, "session", None) is None:
        _local.session = requests.Session()
    return _local.session


def _headers(idempotency_key: str | None = None) -> dict:
    token = base64.b64encode(f"{settings.TOSS_SECRET_KEY}:".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    return headers


def _call(method: str, path: str, *, json=None, idempotency_key=None) -> dict:
    url = f"{settings.TOSS_API_BASE}{path}"
    timeout = (settings.TOSS_CONNECT_TIMEOUT, settings.TOSS_READ_TIMEOUT)
    try:
        response = _session().request(method, url, json=json, headers=_headers(idempotency_key), timeout=timeout)
    except requests.ConnectionError as exc:
        # A refused or failed connection sent nothing; a reset after sending might have (requests reports both
        # as ConnectionError), so only a connect error proper is "unavailable".
        if isinstance(exc, requests.ConnectTimeout) or _never_sent(exc):
            raise TossUnavailable(f"Toss could not be reached: {exc}") from exc
        raise TossOutcomeUnknown(f"Toss connection broke: {exc}") from exc
    except requests.Timeout as exc:
        raise TossOutcomeUnknown(f"Toss did not answer in time: {exc}") from exc
    except requests.RequestException as exc:
        raise TossOutcomeUnknown(f"Toss request failed: {exc}") from exc
    return _answer(response)


def _never_sent(exc: requests.ConnectionError) -> bool:
    text = repr(exc)
    return any(s in text for s in ("NewConnectionError", "Connection refused", "NameResolutionError"))


def _answer(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 200 and isinstance(body, dict):
        return body
    code = body.get("code", "") if isinstance(body, dict) else ""
    message = body.get("message", "") if isinstance(body, dict) else response.text[:200]
    status = response.status_code
    if status >= 500 or code in SERVER_ERRORS or status == 200:
        raise TossOutcomeUnknown(message or f"Toss answered {status}", code=code, status=status)
    if status in (401, 403) and code in ("UNAUTHORIZED_KEY", "INCORRECT_BASIC_AUTH_FORMAT", "INVALID_API_KEY"):
        raise TossUnavailable(message, code=code, status=status)
    raise TossRejected(message, code=code, status=status)


def payment_confirm(*, payment_key: str, order_id: str, amount: int, idempotency_key: str) -> dict:
    """``POST /v1/payments/confirm``: approve a payment the customer authenticated in the widget."""
    body = {"paymentKey": payment_key, "orderId": order_id, "amount": amount}
    return _call("POST", "/v1/payments/confirm", json=body, idempotency_key=idempotency_key)


def payment_get(*, payment_key: str) -> dict:
    """``GET /v1/payments/{paymentKey}``."""
    return _call("GET", f"/v1/payments/{requests.utils.quote(payment_key, safe='')}")


def payment_get_by_order(*, order_id: str) -> dict:
    """``GET /v1/payments/orders/{orderId}``: the payment made for one of our order numbers."""
    return _call("GET", f"/v1/payments/orders/{requests.utils.quote(order_id, safe='')}")


def payment_cancel(
    *, payment_key: str, reason: str, idempotency_key: str, amount: int | None = None, refund_account=None
) -> dict:
    """``POST /v1/payments/{paymentKey}/cancel``: all of the balance (``amount=None``) or part of it."""
    body: dict = {"cancelReason": reason[:200]}
    if amount is not None:
        body["cancelAmount"] = amount
    if refund_account:
        body["refundReceiveAccount"] = refund_account
    path = f"/v1/payments/{requests.utils.quote(payment_key, safe='')}/cancel"
    return _call("POST", path, json=body, idempotency_key=idempotency_key)
