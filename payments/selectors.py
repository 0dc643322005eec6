"""Reads of payments: what an order's page and the API show about its payment and refunds."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from orders.models import Order
from pricing.refunds import RefundQuote, refund_quote

from .models import Payment, Refund, RefundLine


@dataclass
class PaymentState:
    """An order's payment as a customer sees it: the payment that counts, every refund, and what to do next."""

    order: Order
    payment: Payment | None
    refunds: list[Refund] = field(default_factory=list)
    # processing: a confirm awaits its answer; waiting_for_deposit: a virtual account; payable: show the widget.
    phase: str = ""

    @property
    def paid_amount(self) -> int:
        return self.payment.total_amount if self.payment and self.payment.approved_at else 0

    @property
    def refunded_amount(self) -> int:
        return sum(refund.amount for refund in self.refunds if refund.status == Refund.Status.DONE)

    @property
    def balance_amount(self) -> int:
        return self.payment.balance_amount if self.payment else 0


def order_of_customer(*, user, number: str) -> Order | None:
    """The customer's order with this number, or None (someone else's is None too)."""
    return Order.objects.filter(user=user, number=number[:64]).first()


def payment_state(*, order: Order) -> PaymentState:
    """The payment that counts for an order (taken, in flight, or the latest attempt) and its refunds."""
    payments = list(Payment.objects.filter(order=order).order_by("-id"))
    rank = {
        Payment.Status.DONE: 0,
        Payment.Status.PARTIAL_CANCELED: 0,
        Payment.Status.CANCELED: 1,
        Payment.Status.WAITING_FOR_DEPOSIT: 1,
        Payment.Status.IN_PROGRESS: 2,
    }
    payment = min(payments, key=lambda p: rank.get(p.status, 9), default=None)
    refunds = list(Refund.objects.filter(order=order).prefetch_related("lines__order_line").order_by("id"))
    phase = ""
    if payment is not None and payment.status == Payment.Status.IN_PROGRESS:
        phase = "processing"
    elif payment is not None and payment.status == Payment.Status.WAITING_FOR_DEPOSIT:
        phase = "waiting_for_deposit"
    elif order.status == Order.Status.PENDING_PAYMENT:
        phase = "payable"
    return PaymentState(order=order, payment=payment, refunds=refunds, phase=phase)


def refund_pending_amount(*, payment: Payment) -> int:
    """Won of refunds recorded and not yet answered by Toss."""
    pending = payment.refunds.filter(status=Refund.Status.REQUESTED).aggregate(total=Sum("amount"))["total"]
    return pending or 0


def refund_pending_quantities(*, payment: Payment) -> dict[int, int]:
    """Units ({order line id: n}) of refunds recorded and not yet answered by Toss."""
    rows = RefundLine.objects.filter(refund__payment=payment, refund__status=Refund.Status.REQUESTED)
    pending: dict[int, int] = {}
    for line_id, qty in rows.values_list("order_line_id", "quantity"):
        pending[line_id] = pending.get(line_id, 0) + qty
    return pending


def refund_lines_quote(*, order: Order, payment: Payment, quantities: dict[int, int]) -> RefundQuote:
    """What refunding ``quantities`` ({order line id: n}) of a paid order gives back now (``pricing.refunds``):
    with refunds already made or on their way counted, the shipping fee kept when the kept units fall under the
    free-shipping threshold, never negative and never more than is left of the payment."""
    pending = refund_pending_quantities(payment=payment)
    lines = list(order.lines.all())
    refunded = {line.id: line.refunded_quantity + pending.get(line.id, 0) for line in lines}
    remaining = payment.balance_amount - refund_pending_amount(payment=payment)
    return refund_quote(order=order, lines=lines, refunded=refunded, requested=quantities, remaining=remaining)


def order_name(order: Order) -> str:
    """What Toss shows as the purchase: "무선청소기 외 2건" (at most 100 characters)."""
    lines = list(order.lines.order_by("id").values_list("product_name", flat=True))
    if not lines:
        return order.number
    first = lines[0][:80]
    if len(lines) == 1:
        return first
    return _("%(name)s and %(count)d more") % {"name": first, "count": len(lines) - 1}


def widget_config(*, order: Order, request) -> dict:
    """What the Toss widget needs on the order page: keys, amount and the absolute return URLs."""
    user = order.user
    return {
        "client_key": settings.TOSS_CLIENT_KEY,
        "customer_key": user.payment_customer_key,
        "amount": order.total,
        "order_id": order.number,
        "order_name": order_name(order),
        "success_url": request.build_absolute_uri(reverse("payments:toss-success")),
        "fail_url": request.build_absolute_uri(reverse("payments:toss-fail")),
        "customer_email": user.email,
        "customer_name": user.name or user.email.split("@")[0],
        "script_url": settings.TOSS_WIDGET_URL,
    }
