"""Taking money through Toss and giving it back: the only writer of ``Payment``, ``PaymentEvent`` and ``Refund``.

The rules that keep money right:

- **Intent first, then Toss, then the answer.** A confirm attempt (or a refund) is committed before Toss is
  called, under an ``Idempotency-Key`` derived from it (``confirm-<paymentKey>``, the refund's own key), so a
  retry after any failure, by the same request, a task or a reconciliation, can never charge or refund twice.
- **One place applies what Toss says** (``_apply``): confirm answers, look-ups, cancel answers and webhooks all
  end there, on the order's locked row and then the payment's (the same lock order as ``orders.services``).
- **An order is never charged for nothing.** A payment Toss approved for an order that expired or was canceled
  meanwhile is refunded at once; an order with a payment in flight is held from expiring until it resolves.
- Views, the API, admin actions and tasks only call these functions; follow-up work starts from
  ``transaction.on_commit``.
"""

import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from notifications import services as notifications
from notifications.models import OrderEmail
from orders import services as order_services
from orders.exceptions import IllegalTransition
from orders.models import REFUNDABLE, TRANSITIONS, Order, OrderLine
from shop import metrics

from . import selectors, toss
from .exceptions import (
    OrderNotPayable,
    PaymentAmountMismatch,
    PaymentOrderNotFound,
    PaymentRejected,
    RefundAccountRequired,
    RefundRefused,
)
from .models import Payment, PaymentEvent, Refund, RefundLine, WebhookEvent

logger = logging.getLogger(__name__)

P = Payment.Status
IN_FLIGHT = (P.IN_PROGRESS, P.WAITING_FOR_DEPOSIT)
MONEY_TAKEN = (P.DONE, P.PARTIAL_CANCELED)
PAID_ORDER = REFUNDABLE


@dataclass(frozen=True)
class ConfirmResult:
    """Where a confirm left things: ``paid``, ``waiting_for_deposit`` or ``processing`` (a task resolves it)."""

    payment: Payment
    state: str


def _confirm_key(payment_key: str) -> str:
    return f"confirm-{payment_key}"


# --- Confirm ---------------------------------------------------------------------------------------------
@metrics.counts_confirms
def payment_confirm(*, user, order_number: str, payment_key: str, amount: int) -> ConfirmResult:
    """Confirm at Toss a payment the customer authenticated in the widget, for their order ``order_number``.

    Refuses, with nothing charged: another customer's order (``PaymentOrderNotFound``), an amount that is not the
    order's total (``PaymentAmountMismatch``), an order not awaiting payment or with another payment under way
    (``OrderNotPayable``), Toss's own refusal (``PaymentRejected``). A replay of the same ``payment_key`` (a
    reload, two tabs, a week later) sends nothing to Toss and answers what is known.
    """
    order = Order.objects.filter(user=user, number=order_number).first()  # anyone else's: not found
    if order is None:
        raise PaymentOrderNotFound()
    if amount != order.total:
        raise PaymentAmountMismatch(expected=order.total, got=amount)
    payment, new = _attempt_begin(order=order, payment_key=payment_key, amount=amount)
    if not new:
        return _result(payment)
    return _confirm_send(payment)


def _attempt_begin(*, order: Order, payment_key: str, amount: int) -> tuple[Payment, bool]:
    """Record the attempt (and hold the order from expiring) before Toss hears of it; (payment, is_new)."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        existing = Payment.objects.filter(payment_key=payment_key).first()
        if existing is not None:
            if existing.order_id != locked.pk:
                raise OrderNotPayable(locked.status)
            return existing, False
        if locked.status != Order.Status.PENDING_PAYMENT:
            raise OrderNotPayable(locked.status)
        if Payment.objects.filter(order=locked, status__in=(*IN_FLIGHT, *MONEY_TAKEN)).exists():
            raise OrderNotPayable(locked.status, _("A payment for this order is already under way."))
        payment = Payment.objects.create(
            order=locked, payment_key=payment_key, total_amount=amount, balance_amount=0, status=P.IN_PROGRESS
        )
        _event(payment, PaymentEvent.Kind.CONFIRM_ATTEMPT, _confirm_key(payment_key), status=P.IN_PROGRESS)
        order_services.order_hold_for_payment(order=locked, until=_hold_until())
    return payment, True


def _hold_until():
    return timezone.now() + timedelta(minutes=settings.PAYMENT_HOLD_MINUTES)


def _confirm_send(payment: Payment, *, resolve_on_conflict: bool = True) -> ConfirmResult:
    try:
        data = toss.payment_confirm(
            payment_key=payment.payment_key,
            order_id=payment.order.number,
            amount=payment.total_amount,
            idempotency_key=_confirm_key(payment.payment_key),
        )
    except toss.TossRejected as exc:
        if exc.code in toss.ALREADY_DONE and resolve_on_conflict:
            return payment_resolve(payment=payment, confirm_again=False)
        if exc.code in toss.ALREADY_DONE:  # still being processed at Toss: a later look-up settles it
            _confirm_unknown(payment, exc)
            return _result(payment)
        _confirm_refused(payment, exc)
        raise PaymentRejected(exc.code) from exc
    except (toss.TossUnavailable, toss.TossOutcomeUnknown) as exc:
        _confirm_unknown(payment, exc)
        return _result(payment)
    payment = _apply(payment=payment, data=data, kind=PaymentEvent.Kind.CONFIRM_ANSWER)
    return _result(payment)


def _confirm_refused(payment: Payment, exc: toss.TossError) -> None:
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk, status=P.IN_PROGRESS).update(
            status=P.ABORTED, failure_code=exc.code[:60], failure_message=exc.toss_message[:300]
        )
        _event(
            payment,
            PaymentEvent.Kind.CONFIRM_REFUSED,
            f"confirm-refused-{payment.payment_key}",
            status=P.ABORTED,
            code=exc.code,
            message=exc.toss_message,
        )


def _confirm_unknown(payment: Payment, exc: toss.TossError) -> None:
    """Toss may or may not have approved: record it; a task (never this request) finds out."""
    logger.warning("confirm of %s: outcome unknown (%s)", payment.payment_key, exc)
    with transaction.atomic():
        _event(
            payment,
            PaymentEvent.Kind.CONFIRM_UNKNOWN,
            f"confirm-unknown-{payment.payment_key}-{timezone.now().timestamp()}",
            status=P.IN_PROGRESS,
            code=exc.code,
            message=str(exc),
        )
        transaction.on_commit(lambda: _schedule("payments.resolve", payment.pk, countdown=5))


def _result(payment: Payment) -> ConfirmResult:
    payment = Payment.objects.select_related("order").get(pk=payment.pk)
    if payment.status in MONEY_TAKEN and payment.order.status in PAID_ORDER:
        return ConfirmResult(payment, "paid")
    if payment.refunds.exists() or payment.status in (*MONEY_TAKEN, P.CANCELED):
        return ConfirmResult(payment, "refunded")
    if payment.status == P.WAITING_FOR_DEPOSIT:
        return ConfirmResult(payment, "waiting_for_deposit")
    if payment.status == P.IN_PROGRESS:
        return ConfirmResult(payment, "processing")
    if payment.status == P.ABORTED:
        raise PaymentRejected(payment.failure_code)
    raise OrderNotPayable(payment.order.status)


# --- Reading Toss ----------------------------------------------------------------------------------------
def payment_resolve(*, payment: Payment, confirm_again: bool = True) -> ConfirmResult:
    """Find out from Toss what became of a payment whose confirm has no answer yet, and apply it.

    Reads by order number (``GET /v1/payments/orders/{orderId}``), then by key if Toss's answer is about another
    payment of that order. A payment Toss never received the confirm for (still ``IN_PROGRESS`` there) is
    confirmed again under the same idempotency key while Toss's 10-minute window lasts. Raises ``toss.TossError``
    when Toss cannot tell; the order stays held meanwhile.
    """
    payment = Payment.objects.select_related("order").get(pk=payment.pk)
    try:
        data = toss.payment_get_by_order(order_id=payment.order.number)
        if data.get("paymentKey") != payment.payment_key:
            _apply_other(order=payment.order, data=data)
            data = toss.payment_get(payment_key=payment.payment_key)
    except (toss.TossUnavailable, toss.TossOutcomeUnknown):
        order_services.order_hold_for_payment(order=payment.order, until=_hold_until())
        raise
    except toss.TossRejected as exc:
        if exc.code != "NOT_FOUND_PAYMENT":
            raise
        data = {"paymentKey": payment.payment_key, "status": P.IN_PROGRESS}
    if data.get("status") in (P.IN_PROGRESS, P.READY):
        if timezone.now() - payment.created_at >= timedelta(minutes=10):
            data = {**data, "status": P.EXPIRED}
        elif confirm_again:
            return _confirm_send(payment, resolve_on_conflict=False)
        else:  # Toss is still working on our confirm: look again shortly
            _confirm_unknown(payment, toss.TossOutcomeUnknown("Toss is still processing the confirm"))
            return _result(payment)
    payment = _apply(payment=payment, data=data, kind=PaymentEvent.Kind.SYNC)
    return _result_or_none(payment)


def _result_or_none(payment):
    try:
        return _result(payment)
    except (PaymentRejected, OrderNotPayable):
        return ConfirmResult(payment, "failed")


def payment_sync(*, payment: Payment, kind: str = PaymentEvent.Kind.SYNC) -> Payment:
    """Read one payment from Toss by its key and apply what it says (webhooks, deposits, reconciliation)."""
    data = toss.payment_get(payment_key=payment.payment_key)
    return _apply(payment=payment, data=data, kind=kind)


def _apply_other(*, order: Order, data: dict) -> Payment | None:
    key = data.get("paymentKey")
    if not key:
        return None
    payment = Payment.objects.filter(payment_key=key, order=order).first()
    if payment is None:
        payment = _payment_seen(order=order, data=data)
    return _apply(payment=payment, data=data, kind=PaymentEvent.Kind.SYNC)


def _payment_seen(*, order: Order, data: dict) -> Payment:
    """A payment of ours Toss knows and we never recorded (e.g. read by order number): record it now."""
    try:
        with transaction.atomic():
            return Payment.objects.create(
                order=order,
                payment_key=data["paymentKey"],
                total_amount=_int(data.get("totalAmount")),
                balance_amount=0,
                status=P.IN_PROGRESS,
            )
    except IntegrityError:
        return Payment.objects.get(payment_key=data["paymentKey"])


# --- Applying Toss's answers -----------------------------------------------------------------------------
def _apply(*, payment: Payment, data: dict, kind: str) -> Payment:
    """Apply a Toss Payment object: copy it, log it, settle refunds it shows, and move the order accordingly."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        before = payment.status
        _copy(payment, data)
        payment.save()
        _event(
            payment,
            kind,
            f"{kind}-{payment.payment_key}-{payment.status}-{data.get('lastTransactionKey') or ''}",
            status=payment.status,
            amount=payment.balance_amount,
            data=_summary(data),
        )
        _refunds_settle(payment=payment, order=order, cancels=data.get("cancels") or [])
        order.refresh_from_db(fields=["status"])  # settling the last refund may have canceled it
        _order_follow(payment=payment, order=order, before=before)
    return payment


def _copy(payment: Payment, data: dict) -> None:
    status = data.get("status")
    if status in P.values:
        payment.status = status
    payment.method = (data.get("method") or payment.method or "")[:20]
    if "totalAmount" in data:
        payment.total_amount = _int(data["totalAmount"])
    if "balanceAmount" in data:
        payment.balance_amount = _int(data["balanceAmount"])
    if data.get("approvedAt"):
        payment.approved_at = parse_datetime(data["approvedAt"])
    receipt = data.get("receipt") or {}
    if isinstance(receipt, dict) and receipt.get("url"):
        payment.receipt_url = str(receipt["url"])[:500]
    if data.get("secret"):
        payment.secret = str(data["secret"])[:100]
    failure = data.get("failure") or {}
    if isinstance(failure, dict) and failure.get("code"):
        payment.failure_code = str(failure["code"])[:60]
        payment.failure_message = str(failure.get("message", ""))[:300]
    if len(data) > 2:  # a whole Payment object, not the stub a failed look-up leaves
        payment.raw = data


def _summary(data: dict) -> dict:
    keys = ("status", "method", "totalAmount", "balanceAmount", "approvedAt", "lastTransactionKey")
    return {key: data[key] for key in keys if key in data}


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _order_follow(*, payment: Payment, order: Order, before: str) -> None:
    """What the order does about the payment's new status (inside ``_apply``'s transaction)."""
    status = payment.status
    if status == P.DONE and order.status == Order.Status.PENDING_PAYMENT:
        order_services.order_mark_paid(order=order, note=payment.method)
    elif status in MONEY_TAKEN and order.status in (Order.Status.EXPIRED, Order.Status.CANCELED):
        # Approved after the order ended (stock already back): the customer must not pay for nothing.
        if payment.balance_amount and not payment.refunds.filter(status=Refund.Status.REQUESTED).exists():
            _refund_intent(
                payment=payment,
                order=order,
                amount=payment.balance_amount,
                lines={},
                reason=_("The order had ended before the payment was approved."),
                actor=None,
                key=f"late-{payment.payment_key}",
                countdown=0,
            )
    elif status == P.WAITING_FOR_DEPOSIT and order.status == Order.Status.PENDING_PAYMENT:
        due = (payment.virtual_account or {}).get("due_date")
        order_services.order_hold_for_payment(order=order, until=due or _hold_until())
        _email_deposit_details(payment=payment, order=order)
    elif (
        status in (P.CANCELED, P.EXPIRED, P.ABORTED)
        and before == P.WAITING_FOR_DEPOSIT
        and order.status == Order.Status.PENDING_PAYMENT
    ):
        # A virtual account that was never paid: its order gives the stock back.
        order_services.order_transition(
            order=order, to_status=Order.Status.EXPIRED, note=_("The virtual account was not paid.")
        )
    elif (
        status == P.CANCELED
        and payment.balance_amount == 0
        and order.status in PAID_ORDER
        and Order.Status.CANCELED in TRANSITIONS.get(order.status, ())
    ):
        # Canceled at Toss (e.g. in its merchant console): the order is canceled here too.
        order_services.order_transition(
            order=order, to_status=Order.Status.CANCELED, note=_("Canceled at Toss Payments.")
        )


def _email_deposit_details(*, payment: Payment, order: Order) -> None:
    """The customer is emailed the virtual account to pay into (once per payment)."""
    account = payment.virtual_account or {}
    due = account.get("due_date")
    notifications.order_email_record(
        order=order,
        kind=OrderEmail.Kind.AWAITING_DEPOSIT,
        key=payment.payment_key,
        context={
            "bank": account.get("bank", ""),
            "account_number": account.get("account_number", ""),
            "holder": account.get("holder", ""),
            "amount": payment.total_amount,
            "due_date": timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else "",
        },
    )


def _event(payment, kind, key, *, status="", amount=None, code="", message="", data=None) -> None:
    """Append to the log once per idempotency key (a repeat of the same fact is not a new event)."""
    try:
        with transaction.atomic():
            PaymentEvent.objects.create(
                payment=payment,
                kind=kind,
                idempotency_key=key[:300],
                status=status,
                amount=amount,
                code=(code or "")[:60],
                message=(message or "")[:300],
                data=data or {},
            )
    except IntegrityError:
        pass


# --- Refunds ---------------------------------------------------------------------------------------------
def order_cancel_and_refund(*, order: Order, actor, reason: str = "", refund_account=None, by_staff=False) -> Order:
    """Cancel an order; if it was paid, refund the whole remaining balance at Toss.

    Unpaid: canceled at once (a virtual account issued for it is canceled at Toss too). Paid: customers may
    cancel until staff start preparing, staff until it ships. The order is canceled and the refund recorded in
    one transaction; the refund is then sent to Toss under its own idempotency key (a double click or a retried
    task never refunds twice). A deposited virtual account needs ``refund_account`` {bank, accountNumber,
    holderName}.
    """
    reason = reason.strip() or (_("Canceled by staff.") if by_staff else _("Canceled by the customer."))
    allowed = (Order.Status.PAID, Order.Status.PREPARING) if by_staff else (Order.Status.PAID,)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == Order.Status.PENDING_PAYMENT:
            return _cancel_unpaid(order=locked, actor=actor, reason=reason)
        if locked.status not in allowed:
            raise IllegalTransition(number=locked.number, from_status=locked.status, to_status=Order.Status.CANCELED)
        payment = Payment.objects.select_for_update().filter(order=locked, status__in=MONEY_TAKEN).first()
        if payment is None:
            raise RefundRefused(_("No payment was found for this order."))
        if payment.is_virtual_account and not refund_account:
            raise RefundAccountRequired()
        lines = {line.id: line.kept_quantity for line in locked.lines.all() if line.kept_quantity}
        order_services.order_transition(order=locked, to_status=Order.Status.CANCELED, actor=actor, note=reason)
        refund = _refund_intent(
            payment=payment,
            order=locked,
            amount=payment.balance_amount - _pending_amount(payment),
            lines=lines,
            reason=reason,
            actor=actor,
            key=f"cancel-{locked.number}",
            refund_account=refund_account,
        )
    refund_execute_now(refund=refund)
    return Order.objects.get(pk=order.pk)


def _cancel_unpaid(*, order: Order, actor, reason: str) -> Order:
    with transaction.atomic():
        canceled = order_services.order_cancel(order=order, actor=actor, note=reason)
        waiting = list(Payment.objects.filter(order=order, status=P.WAITING_FOR_DEPOSIT).values_list("pk", flat=True))
        for payment_id in waiting:
            transaction.on_commit(lambda pk=payment_id: _schedule("payments.void", pk))
    return canceled


def payment_void(*, payment: Payment) -> Payment:
    """Cancel at Toss a virtual account nobody paid into (its order was canceled); applies Toss's answer."""
    try:
        data = toss.payment_cancel(
            payment_key=payment.payment_key,
            reason=_("The order was canceled."),
            idempotency_key=f"void-{payment.payment_key}",
        )
    except toss.TossRejected as exc:
        if exc.code not in toss.ALREADY_DONE and exc.code != "NOT_CANCELABLE_PAYMENT":
            raise
        data = toss.payment_get(payment_key=payment.payment_key)
    return _apply(payment=payment, data=data, kind=PaymentEvent.Kind.CANCEL)


def refund_lines(*, order: Order, quantities: dict[int, int], reason: str, actor, key: str, refund_account=None):
    """Staff refund chosen units ({order line id: n}) of a paid order: a partial cancel at Toss.

    ``key`` identifies the staff member's submission (the form's nonce), so a double click refunds once. Each
    line's stock returns when Toss confirms the refund. Refunding every remaining unit cancels the order.
    """
    reason = reason.strip() or _("Partial refund by staff.")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        existing = Refund.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        if locked.status not in PAID_ORDER:
            raise RefundRefused(_("Only a paid order can be refunded."))
        payment = Payment.objects.select_for_update().filter(order=locked, status__in=MONEY_TAKEN).first()
        if payment is None:
            raise RefundRefused(_("No payment was found for this order."))
        if payment.is_virtual_account and not refund_account:
            raise RefundAccountRequired()
        quantities = {line_id: qty for line_id, qty in quantities.items() if qty}
        lines = {line.id: line for line in locked.lines.filter(id__in=list(quantities))}
        pending = _pending_quantities(payment)
        if not quantities or set(lines) != set(quantities):
            raise RefundRefused(_("Choose at least one line of this order to refund."))
        for line_id, qty in quantities.items():
            if qty < 0 or qty > lines[line_id].kept_quantity - pending.get(line_id, 0):
                raise RefundRefused(
                    _("%(name)s: at most %(max)d can be refunded.")
                    % {
                        "name": lines[line_id].product_name,
                        "max": lines[line_id].kept_quantity - pending.get(line_id, 0),
                    }
                )
        quote = selectors.refund_lines_quote(order=locked, payment=payment, quantities=quantities)
        if quote.amount <= 0:
            raise RefundRefused(_("Nothing is left to refund for these items: the shipping fee now due takes it all."))
        amount = quote.amount
        refund = _refund_intent(
            payment=payment,
            order=locked,
            amount=amount,
            lines=quantities,
            reason=reason,
            actor=actor,
            key=key,
            refund_account=refund_account,
            is_full=False,
        )
    return refund_execute_now(refund=refund)


def _pending_amount(payment: Payment) -> int:
    return selectors.refund_pending_amount(payment=payment)


def _pending_quantities(payment: Payment) -> dict[int, int]:
    return selectors.refund_pending_quantities(payment=payment)


def _refund_intent(
    *, payment, order, amount, lines, reason, actor, key, refund_account=None, is_full=True, countdown=30
):
    """Record a refund to make (in the caller's transaction) and queue its task: the web request usually sends
    it first (``refund_execute_now``); the task is there for when it could not."""
    refund = Refund.objects.create(
        payment=payment,
        order=order,
        amount=amount,
        is_full=is_full,
        reason=reason[:200],
        actor=actor,
        idempotency_key=key,
        refund_account=refund_account or None,
    )
    RefundLine.objects.bulk_create(
        RefundLine(refund=refund, order_line_id=line_id, quantity=qty) for line_id, qty in sorted(lines.items())
    )
    transaction.on_commit(lambda: _schedule("payments.refund", refund.pk, countdown=countdown))
    return refund


def refund_execute_now(*, refund: Refund) -> Refund:
    """Send a recorded refund to Toss now (the web request's try); if Toss cannot be asked, the task retries."""
    try:
        return refund_execute(refund=refund)
    except (toss.TossUnavailable, toss.TossOutcomeUnknown) as exc:
        logger.warning("refund %s: Toss did not answer (%s); the task retries", refund.pk, exc)
        return Refund.objects.get(pk=refund.pk)


def refund_execute(*, refund: Refund) -> Refund:
    """Send a requested refund to Toss under its idempotency key and apply the answer.

    Safe to call any number of times, concurrently too: Toss replays the first answer for the same key, and the
    refund completes (stock, order) once. Raises ``toss.TossUnavailable``/``TossOutcomeUnknown`` for a retry.
    """
    refund = Refund.objects.select_related("payment").get(pk=refund.pk)
    if refund.status != Refund.Status.REQUESTED:
        return refund
    Refund.objects.filter(pk=refund.pk).update(attempts=F("attempts") + 1)
    payment = refund.payment
    try:
        data = toss.payment_cancel(
            payment_key=payment.payment_key,
            reason=refund.reason,
            idempotency_key=refund.idempotency_key,
            amount=None if refund.is_full and refund.amount == payment.balance_amount else refund.amount,
            refund_account=refund.refund_account,
        )
    except toss.TossRejected as exc:
        if exc.code not in toss.ALREADY_DONE:
            return _refund_failed(refund, exc)
        data = toss.payment_get(payment_key=payment.payment_key)
        payment = _apply(payment=payment, data=data, kind=PaymentEvent.Kind.CANCEL)
        if payment.status == P.CANCELED:  # canceled at Toss by other means; ours matched no cancel there
            return _refund_failed(refund, exc)
        return Refund.objects.get(pk=refund.pk)
    _apply(payment=payment, data=data, kind=PaymentEvent.Kind.CANCEL)
    return Refund.objects.get(pk=refund.pk)


def _refund_failed(refund: Refund, exc: toss.TossError) -> Refund:
    logger.error("refund %s refused by Toss: %s %s", refund.pk, exc.code, exc.toss_message)
    Refund.objects.filter(pk=refund.pk, status=Refund.Status.REQUESTED).update(
        status=Refund.Status.FAILED, failure_code=exc.code[:60], failure_message=exc.toss_message[:300]
    )
    metrics.refund_finished(refund, done=False)
    return Refund.objects.get(pk=refund.pk)


def _refunds_settle(*, payment: Payment, order: Order, cancels: list) -> None:
    """Match Toss's ``cancels[]`` to our refunds (inside ``_apply``): ours complete, unknown ones are recorded."""
    known = set(
        Refund.objects.filter(payment=payment).exclude(transaction_key=None).values_list("transaction_key", flat=True)
    )
    for cancel in cancels:
        if not isinstance(cancel, dict) or cancel.get("cancelStatus", "DONE") != "DONE":
            continue
        key = cancel.get("transactionKey")
        if not key or key in known:
            continue
        amount = _int(cancel.get("cancelAmount"))
        refund = (
            Refund.objects.select_for_update()
            .filter(payment=payment, status=Refund.Status.REQUESTED, amount=amount)
            .order_by("id")
            .first()
        )
        if refund is None:
            refund = Refund.objects.create(
                payment=payment,
                order=order,
                amount=amount,
                is_full=payment.balance_amount == 0,
                reason=str(cancel.get("cancelReason", ""))[:200] or _("Canceled at Toss Payments."),
                idempotency_key=f"toss-{key}",
                status=Refund.Status.REQUESTED,
            )
        _refund_complete(refund=refund, order=order, transaction_key=key)
        known.add(key)


def _refund_complete(*, refund: Refund, order: Order, transaction_key: str) -> None:
    Refund.objects.filter(pk=refund.pk).update(
        status=Refund.Status.DONE, transaction_key=transaction_key, completed_at=timezone.now()
    )
    metrics.refund_finished(refund, done=True)
    notifications.order_email_record(
        order=order,
        kind=OrderEmail.Kind.REFUNDED,
        key=str(refund.pk),
        context={"amount": refund.amount, "reason": refund.reason},
    )
    if refund.is_full:
        return  # the order was canceled (and its stock returned) when this refund was requested
    quantities = dict(refund.lines.values_list("order_line_id", "quantity"))
    if quantities:
        order_services.order_lines_refund(
            order=order,
            quantities=quantities,
            actor=refund.actor,
            note=_("Refunded: %(reason)s") % {"reason": refund.reason},
        )
    order.refresh_from_db(fields=["status"])
    everything_back = not OrderLine.objects.filter(order=order, quantity__gt=F("refunded_quantity")).exists()
    if everything_back and Order.Status.CANCELED in TRANSITIONS.get(order.status, ()):
        order_services.order_transition(
            order=order, to_status=Order.Status.CANCELED, actor=refund.actor, note=_("Every item was refunded.")
        )


# --- Webhooks --------------------------------------------------------------------------------------------
def webhook_receive(*, body: bytes, digest: str, transmission_id: str, data) -> WebhookEvent | None:
    """Keep a webhook as sent (once per body) and have a task process it; None for a repeat."""
    event_type = data.get("eventType", "DEPOSIT_CALLBACK" if "secret" in data else "") if isinstance(data, dict) else ""
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                digest=digest,
                transmission_id=transmission_id[:100],
                event_type=str(event_type)[:40],
                body=data if isinstance(data, dict | list) else {},
            )
            transaction.on_commit(lambda: _schedule("payments.webhook", event.pk))
    except IntegrityError:
        return None
    return event


def webhook_process(*, event: WebhookEvent) -> str:
    """Act on a stored webhook without trusting its body: find our payment, re-read it from Toss, apply that.

    ``PAYMENT_STATUS_CHANGED`` names a payment (key or order number); ``DEPOSIT_CALLBACK`` is genuine only if
    its ``secret`` equals the one Toss gave us for that order's payment. Anything else changes nothing.
    """
    if event.processed_at is not None:
        return event.outcome
    payment, outcome = _webhook_payment(event.body)
    if payment is not None:
        payment = payment_sync(payment=payment, kind=PaymentEvent.Kind.WEBHOOK)
        outcome = f"applied: {payment.status}"
    else:
        logger.warning("webhook %s ignored: %s", event.pk, outcome)
    WebhookEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now(), outcome=outcome[:200])
    metrics.webhook_processed(event.event_type, outcome)
    return outcome


def _webhook_payment(body) -> tuple[Payment | None, str]:
    if not isinstance(body, dict):
        return None, "not an object"
    if body.get("eventType") == "PAYMENT_STATUS_CHANGED":
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        key, order_id = str(data.get("paymentKey", "")), str(data.get("orderId", ""))
        payment = Payment.objects.filter(payment_key=key, order__number=order_id).first() if key else None
        if payment is None and key and order_id:
            order = Order.objects.filter(number=order_id).first()
            if order is not None and _toss_confirms(key, order_id):
                payment = _payment_seen(order=order, data={"paymentKey": key})
        return payment, "unknown payment" if payment is None else ""
    if "secret" in body and "orderId" in body and "eventType" not in body:
        secret = str(body.get("secret", ""))
        for payment in Payment.objects.filter(order__number=str(body["orderId"])).exclude(secret=""):
            if secret and hmac.compare_digest(payment.secret, secret):
                return payment, ""
        return None, "deposit callback with a wrong secret"
    return None, f"unhandled event {str(body.get('eventType', ''))[:40]}"


def _toss_confirms(payment_key: str, order_id: str) -> bool:
    try:
        return toss.payment_get(payment_key=payment_key).get("orderId") == order_id
    except toss.TossRejected:
        return False


# --- Reconciliation --------------------------------------------------------------------------------------
def payments_reconcile(*, now=None, limit: int = 200) -> int:
    """Resolve what is left open: confirms unanswered for a while, refunds not yet sent, virtual accounts past
    their due date. Each through the services above; returns how many were looked at."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER_SECONDS)
    seen = 0
    for payment in Payment.objects.filter(status=P.IN_PROGRESS, updated_at__lt=stale).order_by("updated_at")[:limit]:
        seen += 1
        _quietly(payment_resolve, payment=payment)
    for refund in Refund.objects.filter(status=Refund.Status.REQUESTED, created_at__lt=stale).order_by("id")[:limit]:
        seen += 1
        _quietly(refund_execute, refund=refund)
    for payment in Payment.objects.filter(status=P.WAITING_FOR_DEPOSIT).select_related("order")[:limit]:
        due = (payment.virtual_account or {}).get("due_date")
        if due is None or due < now:
            seen += 1
            _quietly(payment_sync, payment=payment)
    return seen


def _quietly(function, **kwargs):
    try:
        result = function(**kwargs)
        metrics.reconcile_fixed(function.__name__)
        return result
    except toss.TossError as exc:
        logger.warning("reconcile: %s(%s): %s", function.__name__, kwargs, exc)
    except PaymentRejected:
        pass
    return None


def _schedule(task_name: str, *args, countdown: int = 0) -> None:
    """Queue a payments task; a broker that cannot take it is logged, and the beat reconciliation catches up."""
    from config.celery import app

    try:
        app.send_task(task_name, args=args, countdown=countdown)
    except Exception as exc:  # kombu raises a variety of transport errors; none may fail the request
        logger.warning("could not queue %s%s: %s", task_name, args, exc)


@transaction.atomic
def payment_records_erase(*, order_ids) -> int:
    """Deletes the payments and refunds of orders whose retention period is over (accounts.closure erases those
    orders of closed accounts); events and refunded lines go with them."""
    order_ids = list(order_ids)
    RefundLine.objects.filter(refund__order_id__in=order_ids).delete()
    Refund.objects.filter(order_id__in=order_ids).delete()
    deleted, _by_model = Payment.objects.filter(order_id__in=order_ids).delete()
    return deleted
