"""Option filters in a category's filter drawer (issue 16): a side panel at 1280 px, a closed drawer on a
390 px phone, in Korean and English, with no sideways scrolling. Screenshots: option-filters-<lang>-<width>-*."""

import pytest

from catalog import stock
from catalog.models import StockMovement
from tests.factories import CategoryFactory, product_with_options, sku_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOES = {"색상": ["블랙", "화이트", "네이비"], "사이즈": ["240", "250", "260", "270", "280"]}


@pytest.fixture
def shoes():
    category = CategoryFactory(name="러닝화", slug="running-shoes")
    with_black_260 = product_with_options(options=SHOES, category=category, name="한울 러닝화 에어 블랙 260 있음")
    without = product_with_options(options=SHOES, category=category, name="한울 러닝화 라이트 블랙 260 없음")
    stock.stock_set(sku=sku_of(without, "블랙", "260"), target=0, reason=StockMovement.Reason.CORRECTION)
    return category, with_black_260, without


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") == width


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_choosing_black_and_260_lists_what_can_be_bought_in_it(
    browser, live_server, shoes, screenshot_dir, width, language
):
    category, with_black_260, without = shoes
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    if language == "en":
        page.goto("/")
        page.get_by_role("button", name="English").click()
    page.goto(category.get_absolute_url())
    drawer = page.locator("details.filters")
    assert drawer.evaluate("d => d.open") is (width > 720)  # a closed drawer on a phone
    if width <= 720:
        page.locator("details.filters > summary").click()
    _fits(page, width)
    page.screenshot(path=screenshot_dir / f"option-filters-{language}-{width}-drawer.png", full_page=True)
    page.locator("label.facet-chip", has_text="블랙").click()
    page.locator("label.facet-chip", has_text="260").click()
    page.locator("details.filters button[type=submit]").click()
    page.wait_for_url("**option=*")
    cards = page.locator(".listing-results article.card")
    assert cards.count() == 1
    assert with_black_260.name in cards.first.inner_text()
    _fits(page, width)
    page.screenshot(path=screenshot_dir / f"option-filters-{language}-{width}-chosen.png", full_page=True)
    context.close()
