import pytest

from catalog.search import vocabulary
from catalog.search.index import refresh_frequencies
from tests.factories import IndexedProductFactory, ProductImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_search_vocabulary():
    """The live server's suggestions come from a vocabulary kept in memory: each test loads its own."""
    vocabulary.forget()
    yield
    vocabulary.forget()


def test_a_shopper_searches_for_a_bag_and_sees_results(page, shoot, category_tree):
    _, _, laptops = category_tree
    for name in ["한울 노트북가방 15.6인치", "누리 가죽가방 블랙", "다온 여행가방 30L"]:
        ProductImageFactory(product=IndexedProductFactory(name=name, category=laptops))
    IndexedProductFactory(name="한울 게이밍노트북 RTX 4060", category=laptops)

    page.goto("/")
    page.get_by_role("combobox", name="상품 검색").fill("가방")
    page.get_by_role("button", name="검색", exact=True).click()

    assert page.get_by_role("heading", level=1).inner_text() == "‘가방’ 검색 결과"
    assert page.locator(".search-total").inner_text() == "상품 3개"
    assert page.locator(".card").count() == 3
    assert "RTX" not in page.locator(".grid").inner_text()
    shoot("results")

    page.get_by_role("link", name="낮은 가격순").click()
    assert page.get_by_role("link", name="낮은 가격순").get_attribute("aria-current") == "true"
    assert page.locator(".card").count() == 3


def test_a_shopper_types_initials_and_picks_the_suggested_word(page, shoot):
    for name in ["한울 게이밍노트북", "누리 노트북 RTX 4060", "다온 노트북 파우치", "새봄 텐트"]:
        IndexedProductFactory(name=name, description="")
    refresh_frequencies()

    page.goto("/")
    page.get_by_role("combobox", name="상품 검색").press_sequentially("ㄴㅌㅂ")
    suggestion = page.get_by_role("option", name="노트북", exact=True)
    suggestion.wait_for()
    shoot("suggestions")
    suggestion.click()

    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("heading", level=1).inner_text() == "‘노트북’ 검색 결과"
    assert page.locator(".card").count() == 3
    shoot("results")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_empty_search_box_lists_popular_searches(page, shoot, client, width):
    IndexedProductFactory(name="한울 텐트", description="")
    refresh_frequencies()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/search/?q=텐트")
    page.goto("/")
    page.get_by_role("combobox", name="상품 검색").focus()
    page.get_by_role("option", name="텐트").wait_for()
    shoot(f"popular-{width}")
