import pytest

from tests.factories import ProductFactory, ProductImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(category_tree):
    _, _, laptops = category_tree
    products = [
        ProductFactory(name=f"한울 게이밍노트북 RTX 4060 {n}", category=laptops, price=1_290_000 + n * 10_000)
        for n in range(6)
    ]
    for product in products:
        ProductImageFactory(product=product)
    return category_tree, products


def test_a_shopper_walks_from_home_to_a_category_to_a_product(page, shoot, catalog):
    (root, _, laptops), products = catalog

    page.goto("/")
    assert page.get_by_role("heading", name="신상품").is_visible()
    shoot("home")

    page.get_by_role("navigation", name="카테고리").get_by_role("link", name=root.name).click()
    assert page.get_by_role("heading", name=root.name).is_visible()
    assert page.locator(".card").count() == len(products)
    page.get_by_role("link", name="높은 가격순").click()
    first_price = page.locator(".card .price").first.inner_text()
    assert first_price == "1,340,000원"
    shoot("category")

    page.locator(".card-link").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == products[-1].name
    assert page.locator(".price.big").inner_text() == "1,340,000원"
    assert page.get_by_text("재고 있음").is_visible()
    assert page.locator(".gallery img").first.evaluate("img => img.naturalWidth") > 0
    shoot("product")


def test_a_missing_product_shows_the_store_404_page(page, shoot, db):
    response = page.goto("/products/does-not-exist/")
    assert response.status == 404
    assert page.get_by_role("heading", name="페이지를 찾을 수 없습니다").is_visible()
    shoot("404")
