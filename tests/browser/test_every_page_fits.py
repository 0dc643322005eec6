"""Every customer page at 390 px and 1280 px, in Korean and English: no sideways scrolling, and no Korean on
the English pages except the data (product, category and customer names, addresses). Screenshots of each
page go to SCREENSHOT_DIR as fit-<language>-<width>-<page>.png."""

import re
from pathlib import Path

import pytest

from catalog.models import Category, Product, Sku
from orders import services as order_services
from tests.factories import (
    PASSWORD,
    AddressFactory,
    CategoryFactory,
    IndexedProductFactory,
    ProductImageFactory,
    product_with_options,
)
from tests.payments.conftest import HOME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STANDIN = (Path(__file__).parent / "toss_standin.js").read_text()
HANGUL = re.compile(r"[\uac00-\ud7a3]+")

ANONYMOUS_PAGES = {
    "home": "/",
    "category": "/categories/appliances/",
    "search": "/search/?q=노트북",
    "search-empty": "/search/",
    "cart-empty": "/cart/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "terms": "/terms/",
    "privacy": "/privacy/",
    "404": "/products/no-such-product/",
}
CUSTOMER_PAGES = {
    "cart": "/cart/",
    "checkout": "/checkout/",
    "orders": "/orders/",
    "profile": "/accounts/profile/",
    "addresses": "/accounts/addresses/",
    "address-new": "/accounts/addresses/new/",
}


@pytest.fixture
def store(category_tree, user):
    root, _, laptops = category_tree
    # Enough top-level categories that the category bar scrolls on a phone.
    for name, slug in [("패션의류", "fashion"), ("뷰티", "beauty"), ("식품", "food"), ("생활용품", "living"),
                       ("스포츠레저", "sports"), ("도서음반", "books"), ("가구인테리어", "furniture")]:  # fmt: skip
        CategoryFactory(name=name, slug=slug)
    laptops.info_notice_template = [["제조국", "대한민국"], ["품질보증기준", "구입일로부터 1년"]]
    laptops.save()
    # Indexed, so the search page (노트북) shows the same products with their long names.
    products = [
        IndexedProductFactory(
            name=f"한울 게이밍노트북 RTX 4060 울트라슬림 초경량 {n}세대",
            category=laptops,
            price=1_290_000 + n * 10_000,
            stock=5,
        )  # fmt: skip
        for n in range(5)
    ]
    IndexedProductFactory(name="한울 노트북 품절모델", category=laptops, price=990_000, stock=0)
    for product in products:
        ProductImageFactory(product=product)
    AddressFactory(user=user, is_default=True)
    order = order_services.order_place(user=user, address=HOME, lines=[(products[0].skus.get().id, 1)])
    return products[0], order


def _data_strings(user):
    """What the store shows but does not translate: names staff and customers typed."""
    strings = set(Product.objects.values_list("name", flat=True))
    strings |= set(Product.objects.values_list("description", flat=True))
    strings |= set(Category.objects.values_list("name", flat=True))
    for notice in Category.objects.values_list("info_notice_template", flat=True):
        strings |= {text for row in notice for text in row}
    strings |= {label for sku in Sku.objects.all() for label in [sku.option_label] if label}
    strings |= {user.name, HOME.recipient, HOME.address, "김하늘", "서울특별시 강남구 테헤란로 123", "4층"}
    return sorted((s for s in strings if s), key=len, reverse=True)


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("button[type=submit]").click()
    page.wait_for_url("**/")


def _check(page, name, path, *, language, width, data, screenshot_dir, problems):
    page.goto(path)
    page.wait_for_load_state("load")
    # A full-page capture draws a fixed element (the buy bar on a phone) where it sits on the first screen, over the
    # content there; in a window as tall as the page it rests at the end, where a shopper who scrolls down sees it.
    viewport = page.viewport_size
    page.set_viewport_size({"width": width, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.screenshot(path=screenshot_dir / f"fit-{language}-{width}-{name}.png", full_page=True)
    page.set_viewport_size(viewport)
    document_width = page.evaluate("document.documentElement.scrollWidth")
    if document_width != width:
        problems.append(f"{language} {width}px {name}: the document is {document_width}px wide")
    if language == "en":
        text = page.evaluate(
            "() => { const body = document.body.cloneNode(true);"
            " body.querySelectorAll('[lang=ko], script, .no-image, #payment-method, #agreement').forEach(e => e.remove());"
            " return body.innerText; }"
        )
        for value in data:
            text = text.replace(value, "")
        korean = HANGUL.findall(text)
        if korean:
            problems.append(f"en {width}px {name}: Korean text {korean[:8]}")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_customer_page_fits_the_screen_and_english_pages_are_english(
    browser, live_server, screenshot_dir, store, user, language, width
):
    product, order = store
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 844 if width < 800 else 900},
        locale="ko-KR" if language == "ko" else "en-US",
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    context.route("https://js.tosspayments.com/**", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=STANDIN))  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    data, problems = _data_strings(user), []
    check = {"language": language, "width": width, "data": data, "screenshot_dir": screenshot_dir}
    check["problems"] = problems
    pages = dict(ANONYMOUS_PAGES, product=product.get_absolute_url())
    for name, path in pages.items():
        _check(page, name, path, **check)
    _log_in(page, user)
    page.goto(product.get_absolute_url())
    page.locator(".purchase button.secondary").click()
    pages = dict(CUSTOMER_PAGES, order=order.get_absolute_url(), **{"product-logged-in": product.get_absolute_url()})
    for name, path in pages.items():
        _check(page, name, path, **check)
    context.close()
    assert problems == []


def test_on_a_phone_the_header_is_one_line_and_the_buy_bar_stays_at_the_bottom(browser, live_server, store, user):
    product, _ = store
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR")
    page = context.new_page()
    _log_in(page, user)
    page.goto(product.get_absolute_url())
    logo, menu = page.locator(".logo").bounding_box(), page.locator(".account-menu summary").bounding_box()
    assert abs(logo["y"] + logo["height"] / 2 - (menu["y"] + menu["height"] / 2)) < 8
    bar = page.locator(".purchase").bounding_box()
    assert bar["y"] + bar["height"] == pytest.approx(844, abs=1)
    add, buy = page.locator(".purchase button.secondary").bounding_box(), page.locator(".purchase button.primary")
    assert buy.bounding_box()["height"] == add["height"]
    assert page.locator(".category-nav .container").evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.locator(".category-nav").evaluate("e => getComputedStyle(e, '::after').display") == "flex"
    page.locator(".account-menu summary").click()
    assert page.get_by_role("button", name="로그아웃").is_visible()
    context.close()


def _overlap(a, b):
    """How many pixels of height two boxes share, where they also share some width."""
    if a["x"] >= b["x"] + b["width"] or b["x"] >= a["x"] + a["width"]:
        return 0
    return max(0, min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]))


def _nothing_behind_the_buy_bar(page, screenshot_dir, name):
    """The delivery lines (and a customer's "in your cart" line), brought into view, and the footer at the end of
    the page are clear of the bar; the bar is still at the bottom of the screen, its buttons on top."""
    # Two frames: the bar's size observer has run.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    for line in page.locator(".delivery, .in-cart").all():
        line.evaluate("e => { window.scrollTo(0, 0); e.scrollIntoView({block: 'end'}); }")
        bar, box = page.locator(".purchase").bounding_box(), line.bounding_box()
        assert _overlap(box, bar) == 0, (box, bar)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.screenshot(path=screenshot_dir / f"{name}-bottom.png")
    bar, footer = page.locator(".purchase").bounding_box(), page.locator(".site-footer").bounding_box()
    assert _overlap(footer, bar) == 0, (footer, bar)
    assert bar["y"] + bar["height"] == pytest.approx(844, abs=1)
    button = page.locator(".purchase button.primary")
    assert button.evaluate("b => { const r = b.getBoundingClientRect();"
                           " return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b; }")  # fmt: skip


@pytest.mark.parametrize("customer", [False, True], ids=["anonymous", "customer"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_on_a_phone_nothing_on_the_product_page_stays_behind_the_buy_bar(
    browser, live_server, screenshot_dir, store, user, language, customer
):
    product, _ = store
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    if customer:
        _log_in(page, user)
        page.goto(product.get_absolute_url())
        page.locator(".purchase button.secondary").click()
    page.goto(product.get_absolute_url())
    page.wait_for_load_state("load")
    name = f"buy-bar-{language}-390-{'customer' if customer else 'anonymous'}"
    _nothing_behind_the_buy_bar(page, screenshot_dir, name)
    context.close()


def test_on_a_phone_the_room_for_the_buy_bar_grows_with_the_option_picker(browser, live_server, screenshot_dir, db):
    product = product_with_options(
        name="한울 러닝화", price=89_000, options={"색상": ["블랙", "화이트", "네이비", "그레이"],
                                                   "사이즈": ["240", "250", "260", "270", "280"]}, stock=4
    )  # fmt: skip
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR")
    page = context.new_page()
    page.goto(product.get_absolute_url())
    page.wait_for_load_state("load")
    _nothing_behind_the_buy_bar(page, screenshot_dir, "buy-bar-ko-390-options")
    context.close()


def test_on_a_phone_a_link_reached_with_tab_does_not_stay_behind_the_buy_bar(browser, live_server, store):
    product, _ = store
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="ko-KR")
    page = context.new_page()
    page.goto(product.get_absolute_url())
    page.wait_for_load_state("load")
    wish = page.locator(".product-actions .wish")
    page.evaluate("y => window.scrollBy(0, y)", wish.bounding_box()["y"] - 800)
    assert _overlap(wish.bounding_box(), page.locator(".purchase").bounding_box()) > 0
    page.locator(".purchase button.primary").focus()
    page.keyboard.press("Tab")
    assert wish.evaluate("e => e === document.activeElement")
    assert _overlap(wish.bounding_box(), page.locator(".purchase").bounding_box()) == 0
    context.close()
