"""The money rules as pure functions (pricing.rules)."""

from pricing import rules


def test_allocate_splits_by_largest_remainder_and_adds_up():
    assert rules.allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert sum(rules.allocate(1001, [3000, 7000, 1])) == 1001


def test_allocate_gives_nothing_to_a_zero_weight():
    assert rules.allocate(500, [1000, 0, 1000]) == [250, 0, 250]


def test_allocate_of_nothing_is_all_zero():
    assert rules.allocate(0, [5, 5]) == [0, 0]
    assert rules.allocate(10, [0, 0]) == [0, 0]


def test_percentage_discount_rounds_down_to_the_won():
    assert rules.coupon_discount(percent=True, value=15, cap=None, eligible_subtotal=12_345) == 1851


def test_percentage_discount_is_held_to_its_cap():
    assert rules.coupon_discount(percent=True, value=50, cap=10_000, eligible_subtotal=100_000) == 10_000


def test_fixed_discount_never_exceeds_the_goods():
    assert rules.coupon_discount(percent=False, value=5000, cap=None, eligible_subtotal=3000) == 3000


def test_shipping_base_fee_under_the_threshold():
    assert rules.shipping_fee(goods=49_999, base_fee=3000, free_threshold=50_000, surcharge=0) == 3000


def test_shipping_is_free_at_the_threshold():
    assert rules.shipping_fee(goods=50_000, base_fee=3000, free_threshold=50_000, surcharge=0) == 0


def test_free_shipping_does_not_waive_the_remote_area_surcharge():
    assert rules.shipping_fee(goods=80_000, base_fee=3000, free_threshold=50_000, surcharge=5000) == 5000


def test_no_items_no_shipping_fee():
    assert rules.shipping_fee(goods=0, base_fee=3000, free_threshold=50_000, surcharge=5000, items=False) == 0


def test_a_threshold_of_zero_never_waives_the_fee():
    assert rules.shipping_fee(goods=10**7, base_fee=3000, free_threshold=0, surcharge=0) == 3000


def test_line_paid_spreads_the_share_so_the_whole_line_pays_it_exactly():
    assert rules.line_paid(unit_price=1000, quantity=3, discount_share=100, units=3) == 2900
    assert rules.line_paid(unit_price=1000, quantity=3, discount_share=100, units=0) == 0
    assert rules.line_paid(unit_price=1000, quantity=3, discount_share=100, units=1) == 967
