"""Payment pages: Toss's success and fail returns, the customer's cancel with refund, and Toss's webhook."""

import hashlib
import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orders import selectors as order_selectors
from orders.models import Order
from shop.errors import error_message
from shop.exceptions import DomainError

from . import selectors, services, toss
from .forms import BANKS, RefundAccountForm, TossReturnForm

logger = logging.getLogger(__name__)

WEBHOOK_MAX_BYTES = 64 * 1024
STATE_MESSAGES = {
    "paid": (messages.SUCCESS, gettext_lazy("Payment complete. Thank you for your order.")),
    "waiting_for_deposit": (
        messages.INFO,
        gettext_lazy("Your virtual account is ready: deposit by the due date shown below."),
    ),
    "processing": (messages.INFO, gettext_lazy("We are confirming your payment. This page updates by itself.")),
    "refunded": (
        messages.WARNING,
        gettext_lazy("This order had ended, so the payment was canceled and is being refunded."),
    ),
}


def _refused(request, exc: DomainError, order=None):
    context = {"message": exc.message, "order": order}
    return render(request, "payments/refused.html", context, status=exc.http_status)


@login_required
@require_GET
def toss_success(request):
    """Toss's widget returns here after the customer authenticated; the server confirms (once) and shows it."""
    form = TossReturnForm(request.GET)
    if not form.is_valid():
        return render(request, "payments/refused.html", {"message": _("The payment link is not valid.")}, status=400)
    data = form.cleaned()
    order = selectors.order_of_customer(user=request.user, number=data["order_number"])
    try:
        result = services.payment_confirm(user=request.user, **data)
    except DomainError as exc:
        return _refused(request, exc, order)
    level, text = STATE_MESSAGES[result.state]
    messages.add_message(request, level, str(text))
    return redirect(result.payment.order)


@login_required
@require_GET
def toss_fail(request):
    """Toss's widget returns here when the customer gave up or the payment failed: nothing was charged."""
    code = request.GET.get("code", "")[:60]
    order = selectors.order_of_customer(user=request.user, number=request.GET.get("orderId", ""))
    context = {
        "message": toss.customer_message(code),
        "toss_message": request.GET.get("message", "")[:200],
        "code": code,
        "order": order,
    }
    return render(request, "payments/fail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def order_cancel(request, number):
    """The customer cancels an order: GET asks to confirm (saying what is refunded), POST cancels; a paid one is
    refunded in full (a deposited virtual account to the bank account given in the form)."""
    try:
        order = order_selectors.order_get_for_user(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None
    if request.method == "GET":
        if not order.can_cancel:
            return redirect(order)
        state = selectors.payment_state(order=order)
        needs_refund_account = bool(
            state.payment and state.payment.is_virtual_account and state.payment.status == "DONE"
        )
        context = {"order": order, "state": state, "needs_refund_account": needs_refund_account, "banks": BANKS[1:]}
        return render(request, "payments/cancel_confirm.html", context)
    form = RefundAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the refund account details."))
        return redirect(order)
    try:
        order = services.order_cancel_and_refund(
            order=order,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            refund_account=form.refund_account(),
        )
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Your order was canceled."))
    return redirect(order)


@csrf_exempt
@require_POST
def toss_webhook(request):
    """Toss's webhooks: kept as sent and answered 200 at once; a task re-reads the payment from Toss.

    Payment webhooks are unsigned, so nothing in the body is believed: a malformed, unknown or forged event is
    answered 200 too (Toss would only retry it) and changes nothing.
    """
    body = request.body[:WEBHOOK_MAX_BYTES]
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        logger.warning("Toss webhook: body is not JSON (%d bytes)", len(body))
        return JsonResponse({"received": False})
    services.webhook_receive(
        body=body,
        digest=hashlib.sha256(body).hexdigest(),
        transmission_id=request.headers.get("tosspayments-webhook-transmission-id", ""),
        data=data,
    )
    return JsonResponse({"received": True})
