import pytest

from catalog.models import Sku
from orders.models import Order
from tests.factories import PASSWORD, AddressFactory, product_with_options, sku_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()


def _sneakers():
    product = product_with_options(
        name="한울 러닝화", price=89_000, options={"색상": ["블랙", "화이트"], "사이즈": ["250", "260"]}, stock=4
    )
    Sku.objects.filter(pk=sku_of(product, "블랙", "260").pk).update(price_delta=3_000)
    Sku.objects.filter(pk=sku_of(product, "블랙", "250").pk).update(stock=0)
    return product


def test_a_customer_chooses_size_260_and_black_adds_it_to_the_cart_and_checks_out(page, shoot, user):
    AddressFactory(user=user)
    product = _sneakers()
    _log_in(page, user)
    page.goto(product.get_absolute_url())
    page.locator(".option-value", has_text="260").click()
    page.locator(".option-value", has_text="블랙").click()
    assert page.locator("[data-sku-price]").inner_text() == "92,000원"
    shoot("product-option-chosen")
    page.get_by_role("button", name="장바구니 담기").click()
    assert page.get_by_text("블랙 / 260: 장바구니에 1개").is_visible()

    page.goto("/cart/")
    assert page.locator(".cart-total").inner_text() == "92,000원"
    page.get_by_role("link", name="주문하기").click()
    page.get_by_role("button", name="주문하기").click()

    assert page.locator(".order-status .status").inner_text() == "결제 대기"
    line = Order.objects.get(user=user).lines.get()
    assert (line.sku_id, line.option_label, line.unit_price) == (
        sku_of(product, "블랙", "260").id,
        "블랙 / 260",
        92_000,
    )
    assert Sku.objects.get(pk=line.sku_id).stock == 3


def test_a_sold_out_option_cannot_be_chosen(page, shoot, user):
    product = _sneakers()
    _log_in(page, user)
    page.goto(product.get_absolute_url())
    page.locator(".option-value", has_text="블랙").click()
    sold_out = page.locator(".option-value", has_text="250")
    assert sold_out.locator("input").is_disabled()
    assert sold_out.get_by_text("품절").is_visible()
    shoot("product-option-sold-out")
    assert page.locator(".option-value", has_text="260").locator("input").is_enabled()


def test_on_a_phone_the_option_names_in_the_buy_bar_are_readable(browser, live_server):
    product = _sneakers()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR")
    page = context.new_page()
    page.goto(product.get_absolute_url())
    for name in ["블랙", "화이트", "250", "260"]:
        label = page.locator(".purchase .option-value > span", has_text=name)
        assert label.is_visible()
        assert label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14
    page.locator(".option-value", has_text="블랙").click()
    assert page.locator(".option-value", has_text="250").get_by_text("품절").is_visible()
    context.close()
