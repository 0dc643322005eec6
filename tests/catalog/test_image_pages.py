"""How pages show product images: renditions with srcset, no layout shift, originals only where allowed."""

import re

import pytest
from django.core.files.base import ContentFile

from tests.catalog import images as files
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def _cards(page: str) -> list[str]:
    return re.findall(r'<article class="card">.*?</article>', page, flags=re.S)


def test_a_card_offers_webp_and_jpeg_renditions_with_sizes_and_dimensions(client):
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((1000, 1000)), "p.jpg"))
    card = _cards(client.get(image.product.category.get_absolute_url()).content.decode())[0]
    assert '<source type="image/webp" srcset="' in card
    assert "360w" in card and "800w" in card
    assert 'sizes="(max-width: 720px) 50vw, 200px"' in card
    assert 'width="360" height="360"' in card


def test_a_card_never_references_an_original(client):
    category = CategoryFactory()
    ready = ProductImageFactory(product=ProductFactory(category=category))
    waiting = ProductImageFactory(product=ProductFactory(category=category), with_renditions=False)
    cards = "".join(_cards(client.get(category.get_absolute_url()).content.decode()))
    assert "original" not in cards
    assert ready.image.name not in cards and waiting.image.name not in cards
    assert 'class="no-image' in cards, "a card whose renditions are not ready shows the placeholder"


def test_only_the_first_row_of_a_listing_loads_eagerly(client, settings):
    category = CategoryFactory()
    for product in ProductFactory.create_batch(8, category=category):
        ProductImageFactory(product=product)
    cards = _cards(client.get(category.get_absolute_url()).content.decode())
    assert ['loading="lazy"' in card for card in cards] == [False] * 6 + [True] * 2


def test_the_product_page_shows_the_original_until_renditions_are_ready(client):
    image = ProductImageFactory(with_renditions=False)
    page = client.get(image.product.get_absolute_url()).content.decode()
    assert f'src="/media/{image.image.name}" width="8" height="8"' in page


def test_the_product_page_shows_its_main_rendition_at_once_and_links_the_zoom(client):
    image = ProductImageFactory(image=ContentFile(files.noisy_jpeg((2000, 1000)), "p.jpg"))
    page = client.get(image.product.get_absolute_url()).content.decode()
    assert 'fetchpriority="high"' in page
    assert "800w" in page and "1600w" in page
    assert f'href="/media/{image.rendition("zoom")["jpeg"]}"' in page
