"""What a refund of some of an order's units gives back, from the breakdown the order stored when placed.

The rule: after a refund the customer has paid exactly what the units they keep cost (each line's price less its
share of the discount, ``rules.line_paid``) plus the shipping fee those units would have been charged (the base
fee comes back when they drop under the free-shipping threshold; the 제주·도서산간 surcharge stays while anything
is kept). So the refund is what is left of the payment less that, never negative, never more than is left; a
full cancel keeps nothing and refunds everything, shipping included. Refunds telescope: however an order is
refunded, line by line or at once, they add up to what was paid.
"""

from dataclasses import dataclass

from . import rules


@dataclass(frozen=True)
class RefundQuote:
    amount: int
    # The shipping fee kept back because the units kept fall under the free-shipping threshold (0 if none).
    shipping_kept: int
    # What the units kept cost, shipping included.
    charge_after: int


def order_charge(*, order, lines, kept: dict[int, int]) -> int:
    """What an order's kept units ({line id: units}) cost, the shipping fee they would be charged included."""
    goods = sum(_line_paid(line, kept.get(line.id, 0)) for line in lines)
    return goods + _shipping(order, goods=goods, items=any(kept.get(line.id, 0) for line in lines))


def refund_quote(*, order, lines, refunded: dict[int, int], requested: dict[int, int], remaining: int) -> RefundQuote:
    """The refund for ``requested`` units ({line id: units}) of ``lines`` when ``refunded`` units are already
    refunded or on their way and ``remaining`` won of the payment are left to refund."""
    kept = {line.id: line.quantity - refunded.get(line.id, 0) - requested.get(line.id, 0) for line in lines}
    charge = order_charge(order=order, lines=lines, kept=kept)
    goods = sum(_line_paid(line, kept[line.id]) for line in lines)
    fee_now = _shipping(order, goods=goods, items=any(kept.values()))
    shipping_kept = max(0, fee_now - order.shipping_fee) if any(kept.values()) else 0
    return RefundQuote(amount=max(0, remaining - charge), shipping_kept=shipping_kept, charge_after=charge)


def _line_paid(line, units: int) -> int:
    return rules.line_paid(
        unit_price=line.unit_price, quantity=line.quantity, discount_share=line.discount_share, units=units
    )


def _shipping(order, *, goods: int, items: bool) -> int:
    return rules.shipping_fee(
        goods=goods,
        base_fee=order.shipping_base_fee,
        free_threshold=order.free_shipping_threshold,
        surcharge=order.shipping_surcharge,
        items=items,
    )
