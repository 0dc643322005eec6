"""``{% payment_panel order %}``: the order page's payment section (widget, progress, virtual account, refunds)."""

from django import template

from .. import selectors
from ..forms import BANKS

register = template.Library()


@register.inclusion_tag("payments/panel.html", takes_context=True)
def payment_panel(context, order):
    request = context["request"]
    state = selectors.payment_state(order=order)
    widget = selectors.widget_config(order=order, request=request) if state.phase == "payable" else None
    needs_refund_account = bool(
        state.payment and state.payment.is_virtual_account and state.payment.status == "DONE" and order.can_cancel
    )
    return {
        "order": order,
        "state": state,
        "widget": widget,
        "needs_refund_account": needs_refund_account,
        "banks": BANKS[1:],
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
