"""What search engines and link previews read: titles, descriptions, canonical URLs, Open Graph, JSON-LD,
robots.txt and the sitemap."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product
from shop.sitemaps import PRODUCTS_PER_SITEMAP, IdRangePaginator
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def _meta(html, key):
    match = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def _json_ld(html):
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html)]


def _product_ld(html):
    return next(block for block in _json_ld(html) if block["@type"] == "Product")


def test_every_page_has_a_description_a_canonical_url_and_a_favicon(client, product):
    for path in ("/", product.category.get_absolute_url(), product.get_absolute_url(), "/search/?q=노트북"):
        html = client.get(path, {"sort": "price_asc"}).content.decode()
        assert _meta(html, "description"), path
        assert f'<link rel="canonical" href="http://testserver{path.split("?")[0]}">' in html
        assert 'rel="icon" href="/static/img/favicon.svg"' in html


def test_the_product_page_carries_open_graph_with_an_absolute_image_and_the_price(client):
    image = ProductImageFactory(product=ProductFactory(name="한울 노트북", price=219_700))
    html = client.get(image.product.get_absolute_url()).content.decode()
    assert _meta(html, "og:title") == "한울 노트북"
    assert _meta(html, "og:type") == "product"
    assert _meta(html, "og:image").startswith("http://testserver/")
    assert _meta(html, "product:price:amount") == "219700"
    assert _meta(html, "product:price:currency") == "KRW"
    assert _meta(html, "twitter:card") == "summary_large_image"


def test_the_product_page_has_product_offer_and_breadcrumb_json_ld_with_the_csp_nonce(client, category_tree):
    _, _, laptops = category_tree
    product = ProductFactory(name="노트북 </script><script>alert(1)</script>", price=12_900, category=laptops)
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert html.count(f'<script type="application/ld+json" nonce="{nonce}">') == 2
    item, breadcrumb = _json_ld(html)
    assert item["@type"] == "Product" and item["name"] == product.name
    assert item["offers"] == {
        "@type": "Offer",
        "url": f"http://testserver{product.get_absolute_url()}",
        "priceCurrency": "KRW",
        "price": 12_900,
        "availability": "https://schema.org/InStock",
        "itemCondition": "https://schema.org/NewCondition",
    }
    assert [entry["name"] for entry in breadcrumb["itemListElement"]] == [
        "홈",
        "가전",
        "컴퓨터",
        "노트북",
        product.name,
    ]
    assert "<script>alert(1)" not in html


def test_a_sold_out_product_is_out_of_stock_in_its_offer(client):
    product = ProductFactory(stock=0)
    assert _json_ld(client.get(product.get_absolute_url()).content.decode())[0]["offers"]["availability"].endswith(
        "OutOfStock"
    )


def test_robots_txt_allows_the_store_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /checkout/" in body and "Disallow: /admin/" in body
    assert "Disallow: /products/" not in body and "Disallow: /search/" not in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_the_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"
    assert finders.find("img/favicon.ico") and finders.find("img/favicon.svg")


def test_the_sitemap_index_lists_sections_and_product_pages(client, settings):
    ProductFactory.create_batch(3)
    html = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in html
    assert "http://testserver/sitemap-products.xml" in html
    assert "http://testserver/sitemap-pages.xml" in html


def test_a_products_sitemap_page_lists_visible_products_only(client):
    visible = ProductFactory()
    hidden = ProductFactory(status=Product.Status.HIDDEN)

    def page_of(product):
        # Pages are id ranges; on MariaDB ids keep counting across the suite's rolled-back tests.
        number = (product.id - 1) // PRODUCTS_PER_SITEMAP + 1
        return client.get("/sitemap-products.xml", {"p": number}).content.decode()

    assert f"http://testserver{visible.get_absolute_url()}" in page_of(visible)
    assert hidden.get_absolute_url() not in page_of(hidden)


def test_products_sitemap_pages_are_id_ranges_read_without_count_or_offset():
    products = ProductFactory.create_batch(5, category=CategoryFactory())
    paginator = IdRangePaginator(Product.objects.visible(), 2)
    last_id = max(p.id for p in products)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.num_pages == -(-last_id // 2)
        rows = list(paginator.page(paginator.num_pages).object_list)
    assert products[-1] in rows
    sql = " ".join(query["sql"] for query in queries.captured_queries).upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_a_sitemap_page_past_the_end_is_a_404(client):
    ProductFactory()
    assert client.get("/sitemap-products.xml", {"p": 999_999}).status_code == 404


def test_a_reviewed_product_tells_search_engines_its_rating(client):
    from reviews.models import ProductRating

    product = ProductFactory()
    ProductRating.objects.create(product=product, count=4, total=18, average=450, count_4=2, count_5=2)
    data = _product_ld(client.get(product.get_absolute_url()).content.decode())
    assert data["aggregateRating"] == {
        "@type": "AggregateRating", "ratingValue": 4.5, "reviewCount": 4, "bestRating": 5, "worstRating": 1,
    }  # fmt: skip


def test_an_unreviewed_product_claims_no_rating(client):
    product = ProductFactory()
    assert "aggregateRating" not in _product_ld(client.get(product.get_absolute_url()).content.decode())
