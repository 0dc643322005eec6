"""Properties of the money rules over random carts, coupons and refunds (hypothesis; no database)."""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing import rules
from pricing.refunds import order_charge, refund_quote

BASE_FEE, THRESHOLD = 3000, 50000

carts = st.lists(st.tuples(st.integers(0, 300_000), st.integers(1, 5)), min_size=1, max_size=6)
coupons = st.one_of(
    st.none(),
    st.tuples(st.just(False), st.integers(1, 100_000), st.none()),
    st.tuples(st.just(True), st.integers(1, 100), st.one_of(st.none(), st.integers(1, 50_000))),
)


def _order(cart, coupon, surcharge):
    """An order as placement prices it: lines with their discount shares and the stored breakdown."""
    totals = [price * quantity for price, quantity in cart]
    subtotal = sum(totals)
    discount = 0
    if coupon is not None:
        percent, value, cap = coupon
        discount = rules.coupon_discount(percent=percent, value=value, cap=cap, eligible_subtotal=subtotal)
    shares = rules.allocate(discount, totals)
    fee = rules.shipping_fee(
        goods=subtotal - discount, base_fee=BASE_FEE, free_threshold=THRESHOLD, surcharge=surcharge
    )
    lines = [
        SimpleNamespace(id=i, unit_price=price, quantity=quantity, discount_share=share)
        for i, ((price, quantity), share) in enumerate(zip(cart, shares, strict=True))
    ]
    order = SimpleNamespace(
        shipping_fee=fee, shipping_surcharge=surcharge, shipping_base_fee=BASE_FEE, free_shipping_threshold=THRESHOLD
    )
    return order, lines, subtotal - discount + fee


@given(amount=st.integers(0, 10**8), weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=20))
def test_shares_always_add_up_and_never_exceed_their_line(amount, weights):
    amount = min(amount, sum(weights))
    shares = rules.allocate(amount, weights)
    assert sum(shares) == (amount if sum(weights) else 0)
    assert all(0 <= share <= weight for share, weight in zip(shares, weights, strict=True))


@given(cart=carts, coupon=coupons, surcharge=st.sampled_from([0, 3000, 5000]))
def test_the_whole_order_costs_its_total(cart, coupon, surcharge):
    order, lines, total = _order(cart, coupon, surcharge)
    assert order_charge(order=order, lines=lines, kept={line.id: line.quantity for line in lines}) == total


@settings(max_examples=300)
@given(
    cart=carts,
    coupon=coupons,
    surcharge=st.sampled_from([0, 3000, 5000]),
    steps=st.lists(st.tuples(st.integers(0, 5), st.integers(1, 5)), max_size=12),
)
def test_refunds_never_exceed_what_was_paid_and_a_full_refund_returns_it_all(cart, coupon, surcharge, steps):
    order, lines, total = _order(cart, coupon, surcharge)
    refunded = {line.id: 0 for line in lines}
    paid_back = 0
    for index, units in steps:
        line = lines[index % len(lines)]
        units = min(units, line.quantity - refunded[line.id])
        if not units:
            continue
        quote = refund_quote(
            order=order, lines=lines, refunded=refunded, requested={line.id: units}, remaining=total - paid_back
        )
        assert 0 <= quote.amount <= total - paid_back
        if quote.amount:  # a refund of nothing is refused, so its units stay with the customer
            refunded[line.id] += units
            paid_back += quote.amount
    rest = {line.id: line.quantity - refunded[line.id] for line in lines}
    last = refund_quote(order=order, lines=lines, refunded=refunded, requested=rest, remaining=total - paid_back)
    assert paid_back + last.amount == total
