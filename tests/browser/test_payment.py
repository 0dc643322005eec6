"""The whole purchase in Chromium, offline: Toss's widget script is a stand-in served by Playwright's routing
(the page itself names Toss's URL), and the server confirms against the local Toss fake."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from orders import services as order_services
from orders.models import Order
from payments.models import Payment
from tests.accounts import conftest as accounts_fixtures
from tests.factories import PASSWORD, ProductFactory, ProductImageFactory, stock_of
from tests.payments.conftest import HOME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STANDIN = (Path(__file__).parent / "toss_standin.js").read_text()


@pytest.fixture
def widget(page, toss):
    """Route Toss's widget script to the stand-in; its authenticate call to the Toss fake. Returns what it sent."""
    sent = []

    def authenticate(route):
        body = json.loads(route.request.post_data)
        sent.append(body)
        key = toss.authenticate(order_id=body["orderId"], amount=body["amount"])
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"paymentKey": key}))

    page.route("https://js.tosspayments.com/v2/standard", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=STANDIN))  # fmt: skip
    page.route("https://api.tosspayments.com/_standin/authenticate", authenticate)
    return sent


def test_a_new_customer_buys_pays_with_toss_and_a_replayed_return_changes_nothing(
    page, shoot, widget, toss, mailoutbox
):
    product = ProductFactory(name="무선청소기 에어", price=349_000, stock=5)
    ProductImageFactory(product=product)
    other = ProductFactory(name="청소기 필터", price=12_000, stock=5)

    csp_violations = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and csp_violations.append(message.text)
    )
    page.goto(product.get_absolute_url())
    page.get_by_role("button", name="장바구니 담기").click()
    page.goto(other.get_absolute_url())
    page.get_by_role("button", name="장바구니 담기").click()

    page.goto("/accounts/signup/")
    page.get_by_label("이메일").fill("buyer@example.com")
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_label("비밀번호 (확인)").fill(PASSWORD)
    page.get_by_label("이름").fill("이바다")
    page.get_by_label("휴대폰 번호").fill("010-9876-5432")
    page.get_by_label("이용약관에 동의합니다 (필수)").check()
    page.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    page.get_by_label("만 14세 이상입니다 (필수)").check()
    page.get_by_role("button", name="이메일로 가입하기").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(accounts_fixtures.CONFIRM_LINK.search(mailoutbox[-1].body).group(0))
    page.locator("main form").get_by_role("button").click()
    page.wait_for_url("**/")

    page.goto("/cart/")
    page.get_by_role("link", name="주문하기").click()
    page.get_by_label("새 배송지").check()
    page.get_by_label("받는 분").fill("이바다")
    page.get_by_label("연락처").fill("010-9876-5432")
    page.get_by_label("우편번호").fill("48058")
    page.locator("#id_address").fill("부산광역시 해운대구 센텀중앙로 55")
    page.get_by_role("button", name="주문하기").click()

    assert page.locator(".order-status .status").inner_text() == "결제 대기"
    pay = page.get_by_role("button", name="361,000원 결제하기")
    pay.wait_for(state="visible")
    expect(page.locator("#pay-button")).to_be_enabled()
    shoot("order-awaiting-payment")
    with page.expect_navigation():  # to the success URL, which redirects to the paid order
        pay.click()

    expect(page.locator(".order-status .status")).to_have_text("결제 완료")
    assert page.url.endswith(f"/orders/{Order.objects.get(user__email='buyer@example.com').number}/")
    assert page.get_by_text("결제가 완료되었습니다").is_visible()
    assert page.locator(".payment-paid").inner_text() == "361,000원"
    shoot("paid")

    order = Order.objects.get(user__email="buyer@example.com")
    customer = User.objects.get(email="buyer@example.com")
    assert widget[0]["orderId"] == order.number and widget[0]["amount"] == 361_000
    assert widget[0]["orderName"] == "무선청소기 에어 외 1건"
    assert widget[0]["customerKey"] == customer.payment_customer_key
    assert widget[0]["successUrl"].startswith("http") and widget[0]["successUrl"].endswith("/payments/toss/success/")

    payment = Payment.objects.get()
    page.goto(
        f"/payments/toss/success/?paymentType=NORMAL&orderId={order.number}&paymentKey={payment.payment_key}&amount=361000"
    )
    assert page.locator(".order-status .status").inner_text() == "결제 완료"
    assert toss.executed["confirm", payment.payment_key] == 1
    assert Payment.objects.count() == 1
    assert stock_of(product) == 4
    assert not csp_violations, csp_violations


def test_on_a_phone_the_order_page_shows_the_widget_and_the_pay_button_fits(browser, live_server, user, screenshot_dir):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR")
    phone = context.new_page()
    phone.route("https://js.tosspayments.com/v2/standard", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=STANDIN))  # fmt: skip
    product = ProductFactory(name="블루투스 이어폰", price=89_000, stock=3)
    order = order_services.order_place(user=user, address=HOME, lines=[(product.skus.get().id, 1)])
    phone.goto("/accounts/login/")
    phone.fill("input[name=login]", user.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("form").filter(has=phone.locator("input[name=password]")).locator("button[type=submit]").click()
    phone.goto(order.get_absolute_url())
    button = phone.get_by_role("button", name="89,000원 결제하기")
    button.wait_for(state="visible")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=screenshot_dir / "payment-order-page-390px.png", full_page=True)
    context.close()
