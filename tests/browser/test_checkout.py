import pytest

from orders.models import Order
from tests.factories import PASSWORD, ProductFactory, ProductImageFactory, stock_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_adds_to_cart_checks_out_with_a_new_address_and_sees_the_order_awaiting_payment(page, shoot, user):
    product = ProductFactory(name="한울 게이밍노트북", price=1_290_000, stock=3)
    ProductImageFactory(product=product)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()

    page.goto(product.get_absolute_url())
    page.fill(".purchase input[name=quantity]", "2")
    shoot("product")
    page.get_by_role("button", name="장바구니 담기").click()
    assert page.locator(".cart-count").inner_text() == "2"
    assert page.get_by_text("장바구니에 2개").is_visible()
    shoot("product-in-cart")

    page.goto("/cart/")
    assert page.locator(".cart-total").inner_text() == "2,580,000원"
    shoot("cart")
    page.get_by_role("link", name="주문하기").click()

    page.get_by_label("새 배송지").check()
    page.get_by_label("받는 분").fill("이바다")
    page.get_by_label("연락처").fill("010-9876-5432")
    page.get_by_label("우편번호").fill("48058")
    page.locator("#id_address").fill("부산광역시 해운대구 센텀중앙로 55")
    page.get_by_label("상세 주소").fill("101동 1203호")
    shoot("checkout")
    page.get_by_role("button", name="주문하기").click()

    assert page.locator(".order-status .status").inner_text() == "결제 대기"
    assert page.locator(".order-total").inner_text() == "2,580,000원"
    assert Order.objects.get(user=user).recipient == "이바다"
    assert page.get_by_text("이바다").is_visible()
    assert page.get_by_role("link", name="주문 취소").is_visible()
    shoot("order")
    order = Order.objects.get(user=user)
    assert page.url.endswith(order.get_absolute_url())
    assert stock_of(product) == 1
