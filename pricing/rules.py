"""The money rules, each stated once, as pure functions of integers of won (no database here).

``pricing.quotes`` applies them to a cart or an order read from the database; ``pricing.refunds`` to what a
partial refund gives back. A line's unit price itself (sale price in its period, plus the SKU's price difference)
is ``catalog.models.Sku.price``.
"""

from collections.abc import Sequence


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` over ``weights`` in proportion, in whole won, by largest remainder: the parts add up to
    ``amount`` exactly, and ties go to the earlier weight. All zero weights: the whole amount to none of them."""
    total = sum(weights)
    if total == 0 or amount == 0:
        return [0] * len(weights)
    floors = [amount * weight // total for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in remainders[: amount - sum(floors)]:
        floors[i] += 1
    return floors


def coupon_discount(*, percent: bool, value: int, cap: int | None, eligible_subtotal: int) -> int:
    """A coupon's discount on what it applies to: a fixed amount, or a percentage rounded down to the won and
    held to its cap; never more than the goods it applies to."""
    discount = eligible_subtotal * value // 100 if percent else value
    if cap is not None:
        discount = min(discount, cap)
    return max(0, min(discount, eligible_subtotal))


def shipping_fee(*, goods: int, base_fee: int, free_threshold: int, surcharge: int, items: bool = True) -> int:
    """The base fee unless the goods (after discount) reach the free-shipping threshold, plus the postal
    code's surcharge (제주, 도서산간), which free shipping does not waive. Nothing to ship (no ``items``), no fee."""
    if not items:
        return 0
    base = 0 if free_threshold and goods >= free_threshold else base_fee
    return base + surcharge


def line_paid(*, unit_price: int, quantity: int, discount_share: int, units: int) -> int:
    """What ``units`` of a line's ``quantity`` cost after the line's share of the discount. The share is spread
    over the units so that any sequence of partial refunds of a line adds up to its whole share exactly."""
    return unit_price * units - discount_share * units // quantity
