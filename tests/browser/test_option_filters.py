"""Option filters in the filter drawer of a category page and of the results page (issue 16): a side panel at
1280 px, a closed drawer on a 390 px phone whose chosen filters show as chips above the results, in Korean and
English, with no sideways scrolling. Screenshots: option-filters-<lang>-<width>-* and search-options-*."""

import pytest

from catalog import stock
from catalog.models import StockMovement
from catalog.search import index
from tests.factories import CategoryFactory, product_with_options, sku_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOES = {"색상": ["블랙", "화이트", "네이비"], "사이즈": ["240", "250", "260", "270", "280"]}


@pytest.fixture
def shoes():
    category = CategoryFactory(name="러닝화", slug="running-shoes")
    with_black_260 = product_with_options(options=SHOES, category=category, name="한울 러닝화 에어 블랙 260 있음")
    without = product_with_options(options=SHOES, category=category, name="한울 러닝화 라이트 블랙 260 없음")
    stock.stock_set(sku=sku_of(without, "블랙", "260"), target=0, reason=StockMovement.Reason.CORRECTION)
    index.index_products(product_ids=[with_black_260.id, without.id])
    index.refresh_frequencies()
    return category, with_black_260, without


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") == width


def _open_page(browser, live_server, width, language):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    if language == "en":
        page.goto("/")
        page.get_by_role("button", name="English").click()
    return context, page


def _open_filters(page, width):
    drawer = page.locator("details.filters")
    assert drawer.evaluate("d => d.open") is (width > 720)  # a closed drawer on a phone
    if width <= 720:
        page.locator("details.filters > summary").click()


def _choose_black_260(page):
    page.locator("label.facet-chip", has_text="블랙").click()
    page.locator("label.facet-chip", has_text="260").click()
    page.locator("details.filters button[type=submit]").click()
    page.wait_for_url("**option=*")


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_choosing_black_and_260_lists_what_can_be_bought_in_it(
    browser, live_server, shoes, screenshot_dir, width, language
):
    category, with_black_260, without = shoes
    context, page = _open_page(browser, live_server, width, language)
    page.goto(category.get_absolute_url())
    _open_filters(page, width)
    _fits(page, width)
    page.screenshot(path=screenshot_dir / f"option-filters-{language}-{width}-drawer.png", full_page=True)
    _choose_black_260(page)
    cards = page.locator(".listing-results article.card")
    assert cards.count() == 1
    assert with_black_260.name in cards.first.inner_text()
    assert page.locator(".chosen-filters .chip-label").all_inner_texts() == ["색상: 블랙", "사이즈: 260"]
    _fits(page, width)
    page.screenshot(path=screenshot_dir / f"option-filters-{language}-{width}-chosen.png", full_page=True)
    context.close()


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_search_results_filter_by_option_and_show_the_chosen_filters_as_chips(
    browser, live_server, shoes, screenshot_dir, width, language
):
    _, with_black_260, without = shoes
    context, page = _open_page(browser, live_server, width, language)
    page.goto("/search/?q=러닝화&min_price=10000")
    _fits(page, width)
    page.screenshot(path=screenshot_dir / f"search-options-{language}-{width}-results.png", full_page=True)
    _open_filters(page, width)
    _choose_black_260(page)
    cards = page.locator(".listing-results article.card")
    assert cards.count() == 1
    assert with_black_260.name in cards.first.inner_text()
    # On a phone the drawer is closed again: the chips above the results say what is chosen.
    chips = page.locator(".chosen-filters .chip-label")
    assert chips.first.is_visible()
    price = "10,000원 이상" if language == "ko" else "From ₩10,000"
    assert chips.all_inner_texts() == [price, "색상: 블랙", "사이즈: 260"]
    assert page.locator(".filter-count").inner_text() == "3"
    _fits(page, width)
    page.screenshot(path=screenshot_dir / f"search-options-{language}-{width}-chosen.png", full_page=True)
    page.locator(".chosen-filters .filter-chip", has_text="사이즈: 260").click()
    page.wait_for_url(lambda url: "260" not in url)
    assert cards.count() == 2
    assert chips.all_inner_texts() == [price, "색상: 블랙"]
    _fits(page, width)
    context.close()
