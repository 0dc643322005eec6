"""Pricing in Chromium: a sale price, the free-shipping threshold crossed in the cart, a coupon at checkout, and
the discounted amount paid through the Toss widget stand-in; the order page shows the breakdown."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from orders.models import Order
from tests.factories import PASSWORD, AddressFactory, CouponFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STANDIN = (Path(__file__).parent / "toss_standin.js").read_text()


def _route_toss(page, toss, sent):
    def authenticate(route):
        body = json.loads(route.request.post_data)
        sent.append(body)
        key = toss.authenticate(order_id=body["orderId"], amount=body["amount"])
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"paymentKey": key}))

    page.route("https://js.tosspayments.com/v2/standard", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=STANDIN))  # fmt: skip
    page.route("https://api.tosspayments.com/_standin/authenticate", authenticate)


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()


def _fits(page, name, screenshot_dir):
    """At 390 px the page has no horizontal scroll; screenshots at both widths."""
    page.screenshot(path=screenshot_dir / f"pricing-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.screenshot(path=screenshot_dir / f"pricing-{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_coupon_and_free_shipping_lower_what_is_paid_through_toss(page, toss, user, shipping_fees, screenshot_dir):
    sent = []
    _route_toss(page, toss, sent)
    mouse = ProductFactory(name="무선 마우스", price=30_000, sale_price=27_000, stock=5)
    keyboard = ProductFactory(name="기계식 키보드", price=20_000, stock=5)
    CouponFactory(code="WELCOME3", value=3000, name="첫 구매 쿠폰")
    AddressFactory(user=user, recipient="김하늘", postal_code="06236")
    _log_in(page, user)

    page.goto(mouse.get_absolute_url())
    page.get_by_role("button", name="장바구니 담기").click()
    page.goto(keyboard.get_absolute_url())
    page.get_by_role("button", name="장바구니 담기").click()
    page.goto("/cart/")
    expect(page.locator(".money-summary .shipping-fee")).to_have_text("3,000원")
    expect(page.locator(".free-shipping-hint")).to_have_text("3,000원 더 담으면 무료배송")
    assert page.locator(".regular-price").first.inner_text() == "30,000원"
    _fits(page, "cart-under-threshold", screenshot_dir)

    page.locator(".cart-item", has_text="기계식 키보드").locator("input[name=quantity]").fill("2")
    page.locator(".cart-item", has_text="기계식 키보드").get_by_role("button", name="변경").click()
    expect(page.locator(".money-summary .shipping-fee")).to_have_text("무료")
    expect(page.locator(".cart-total")).to_have_text("67,000원")

    page.get_by_role("link", name="주문하기").click()
    expect(page.get_by_text("주문자 정보")).to_be_visible()
    page.get_by_label("쿠폰 코드").fill("welcome3")
    page.get_by_role("button", name="적용").click()
    expect(page.locator(".discount-amount")).to_have_text("−3,000원")
    expect(page.locator(".checkout-total")).to_have_text("64,000원")
    _fits(page, "checkout-with-coupon", screenshot_dir)
    page.get_by_role("button", name="주문하기").click()

    expect(page.locator(".order-status .status")).to_have_text("결제 대기")
    expect(page.locator(".order-total")).to_have_text("64,000원")
    assert page.locator(".money-summary .subtotal").inner_text() == "67,000원"
    assert page.locator(".money-summary .shipping-fee").inner_text() == "무료"
    pay = page.get_by_role("button", name="64,000원 결제하기")
    pay.wait_for(state="visible")
    expect(page.locator("#pay-button")).to_be_enabled()
    with page.expect_navigation():
        pay.click()
    expect(page.locator(".order-status .status")).to_have_text("결제 완료")
    assert sent[0]["amount"] == 64_000
    order = Order.objects.get(user=user)
    assert (order.subtotal, order.discount, order.shipping_fee, order.total) == (67_000, 3000, 0, 64_000)
    _fits(page, "order-paid", screenshot_dir)

    page.goto("/orders/")
    _fits(page, "my-orders", screenshot_dir)
