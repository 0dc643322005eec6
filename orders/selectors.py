"""Reads of orders: a customer's list (keyset-paginated) and one order with its lines and history."""

from django.db.models import Prefetch

from shop import cursors

from .models import Order, OrderEvent, OrderLine


def order_list_for_user(*, user, after: str | None = None, limit: int = 20) -> tuple[list[Order], str | None]:
    """A customer's orders, newest first, ``limit`` at a time; returns them and the cursor of the next page.

    The cursor (``shop.cursors``, signed for this customer) holds the last order's id; the next page starts
    below it (keyset, no OFFSET scan). Raises ``InvalidCursor`` for one that was not made for this customer.
    """
    scope = f"orders.{user.pk}"
    queryset = Order.objects.filter(user=user).order_by("-id").prefetch_related(_lines())
    if after:
        (last_id,) = cursors.cursor_decode(after, scope=scope, types=(int,))
        queryset = queryset.filter(id__lt=last_id)
    orders = list(queryset[: limit + 1])
    next_cursor = cursors.cursor_encode((orders[limit - 1].id,), scope=scope) if len(orders) > limit else None
    return orders[:limit], next_cursor


def order_get_for_user(*, user, number: str) -> Order:
    """One of the customer's orders with lines and history; ``Order.DoesNotExist`` for anyone else's."""
    events = Prefetch("events", queryset=OrderEvent.objects.select_related("actor"), to_attr="event_list")
    return Order.objects.prefetch_related(_lines(), events).get(user=user, number=number)


def _lines():
    # Plain lists (``line_list``, ``event_list``), as order_place leaves on the order it creates.
    return Prefetch("lines", queryset=OrderLine.objects.all(), to_attr="line_list")


def order_export_for_user(*, user) -> list[dict]:
    """The customer's orders as JSON-ready data, oldest first (the personal data export, accounts.personal_data)."""
    orders = Order.objects.filter(user=user).order_by("id").prefetch_related(_lines())
    return [
        {
            "number": order.number,
            "status": order.status,
            "total": order.total,
            "placed_at": order.created_at.isoformat(),
            "recipient": order.recipient,
            "phone": order.phone,
            "postal_code": order.postal_code,
            "address": order.address,
            "address_detail": order.address_detail,
            "memo": order.memo,
            "tracking_number": order.tracking_number,
            "lines": [
                {
                    "product": line.product_name,
                    "options": line.option_label,
                    "unit_price": line.unit_price,
                    "quantity": line.quantity,
                    "refunded_quantity": line.refunded_quantity,
                }
                for line in order.line_list
            ],
        }
        for order in orders
    ]
