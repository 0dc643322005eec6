"""Chromium picks the renditions the pages offer, and nothing moves while they load."""

import pytest
from django.core.files.base import ContentFile

from tests.catalog import images as files
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAYOUT_SHIFT = """() => new Promise(resolve => {
  new PerformanceObserver(list => resolve(list.getEntries().reduce((sum, e) => sum + e.value, 0)))
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(0), 500);
})"""


@pytest.fixture
def photographed(category_tree):
    _, _, laptops = category_tree
    products = ProductFactory.create_batch(8, category=laptops)
    for number, product in enumerate(products):
        ProductImageFactory(product=product, image=ContentFile(files.noisy_jpeg((1200, 900 + number)), "p.jpg"))
    return laptops, products


def test_cards_load_their_webp_card_rendition_without_layout_shift(page, shoot, photographed):
    laptops, _ = photographed
    page.goto(laptops.get_absolute_url())
    first_row = page.locator(".card img").first
    first_row.wait_for()
    page.wait_for_load_state("load")
    sources = page.locator(".card img").evaluate_all("imgs => imgs.slice(0, 6).map(i => [i.currentSrc, i.complete])")
    assert all("/card-360x" in src and src.endswith(".webp") and complete for src, complete in sources)
    assert page.evaluate(LAYOUT_SHIFT) == 0
    shoot("cards")


def test_the_product_page_shows_the_product_rendition_and_links_the_zoom(page, shoot, photographed):
    _, products = photographed
    page.goto(products[0].get_absolute_url())
    main = page.locator(".gallery img.main")
    page.wait_for_load_state("load")
    assert "/product-800x" in main.evaluate("img => img.currentSrc")
    assert main.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "/zoom-1200x" in page.locator("a.zoom-link").get_attribute("href")
    shoot("product")
