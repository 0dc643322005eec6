import pytest

from tests.factories import IndexedProductFactory, ProductImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_shopper_searches_for_a_bag_and_sees_results(page, shoot, category_tree):
    _, _, laptops = category_tree
    for name in ["한울 노트북가방 15.6인치", "누리 가죽가방 블랙", "다온 여행가방 30L"]:
        ProductImageFactory(product=IndexedProductFactory(name=name, category=laptops))
    IndexedProductFactory(name="한울 게이밍노트북 RTX 4060", category=laptops)

    page.goto("/")
    page.get_by_role("searchbox", name="상품 검색").fill("가방")
    page.get_by_role("button", name="검색", exact=True).click()

    assert page.get_by_role("heading", level=1).inner_text() == "‘가방’ 검색 결과"
    assert page.locator(".search-total").inner_text() == "상품 3개"
    assert page.locator(".card").count() == 3
    assert "RTX" not in page.locator(".grid").inner_text()
    shoot("results")

    page.get_by_role("link", name="낮은 가격순").click()
    assert page.get_by_role("link", name="낮은 가격순").get_attribute("aria-current") == "true"
    assert page.locator(".card").count() == 3
