"""The public catalog endpoints of the JSON API: categories, product lists, product detail."""

import pytest
from rest_framework.test import APIClient

from catalog.images import RENDITION_SIZES
from catalog.models import Product
from shop.api.throttling import AnonThrottle
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, product_with_options, sku_of

pytestmark = pytest.mark.django_db

HIDDEN_STATUSES = [Product.Status.HIDDEN, Product.Status.DRAFT]


@pytest.fixture
def api():
    return APIClient()


def names(response):
    return [product["name"] for product in response.json()["results"]]


def walk(api, url, **params):
    """Every page of a list, following ``next``; returns the names in order."""
    seen, after = [], None
    for _ in range(50):
        body = api.get(url, {**params, **({"after": after} if after else {})}).json()
        seen += [product["name"] for product in body["results"]]
        after = body["next"]
        if after is None:
            return seen
    raise AssertionError("the pages never ended")


def test_the_category_tree_nests_active_categories_in_display_order(api, category_tree):
    root, middle, leaf = category_tree
    CategoryFactory(name="숨김", is_active=False, parent=root)
    CategoryFactory(name="먼저", position=0, parent=root)
    middle.position = 1
    middle.save()
    tree = api.get("/api/v1/categories/").json()
    assert [node["slug"] for node in tree] == ["appliances"]
    assert [child["name"] for child in tree[0]["children"]] == ["먼저", "컴퓨터"]
    assert tree[0]["children"][1]["children"][0] == {"id": leaf.id, "slug": "laptops", "name": "노트북", "children": []}


def test_a_category_lists_its_subcategories_products(api, category_tree):
    root, _, leaf = category_tree
    ProductFactory(name="깊은곳의 노트북", category=leaf)
    ProductFactory(name="다른 곳")
    assert names(api.get(f"/api/v1/categories/{root.slug}/products/")) == ["깊은곳의 노트북"]


def test_the_product_list_needs_no_token(api, product):
    response = api.get("/api/v1/products/")
    assert response.status_code == 200
    assert names(response) == [product.name]


def test_a_product_card_says_price_category_stock_and_image(api, settings):
    product = ProductFactory(name="카드", price=15_000, stock=3)
    ProductImageFactory(product=product, alt="앞모습")
    card = api.get("/api/v1/products/").json()["results"][0]
    assert card["price"] == 15_000
    assert card["category"] == {"id": product.category_id, "slug": product.category.slug, "name": product.category.name}
    assert (card["stock_state"], card["stock_left"]) == ("low_stock", 3)
    assert card["image"]["alt"] == "앞모습"
    assert card["image"]["urls"]["original"].startswith("http://testserver/media/products/")


@pytest.mark.parametrize(
    ("status", "stock", "state", "left"),
    [
        (Product.Status.ON_SALE, 50, "in_stock", None),
        (Product.Status.ON_SALE, 5, "low_stock", 5),
        (Product.Status.ON_SALE, 0, "sold_out", None),
        (Product.Status.SOLD_OUT, 50, "sold_out", None),
    ],
)
def test_the_stock_state_is_the_storefronts(api, status, stock, state, left):
    ProductFactory(status=status, stock=stock)
    card = api.get("/api/v1/products/").json()["results"][0]
    assert (card["stock_state"], card["stock_left"]) == (state, left)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("new", ["중간", "싼것", "비싼것"]),
        ("price_asc", ["싼것", "중간", "비싼것"]),
        ("price_desc", ["비싼것", "중간", "싼것"]),
        ("name", ["비싼것", "싼것", "중간"]),
    ],
)
def test_the_list_sorts_like_the_category_page(api, sort, expected):
    for name, price in [("비싼것", 30000), ("싼것", 10000), ("중간", 20000)]:
        ProductFactory(name=name, price=price)
    assert names(api.get("/api/v1/products/", {"sort": sort})) == expected


def test_filters_take_a_price_range_and_in_stock_only(api):
    ProductFactory(name="싼것", price=1_000)
    ProductFactory(name="맞는것", price=5_000)
    ProductFactory(name="품절", price=5_000, stock=0)
    ProductFactory(name="비싼것", price=9_000)
    response = api.get("/api/v1/products/", {"min_price": 2_000, "max_price": 8_000, "in_stock": "true"})
    assert names(response) == ["맞는것"]


@pytest.mark.parametrize("sort", ["new", "price_asc", "price_desc", "name"])
def test_cursor_pages_walk_every_product_once_in_order(api, settings, sort):
    settings.CATALOG_PAGE_SIZE = 2
    for n in range(7):
        ProductFactory(name=f"상품 {n % 3} {n}", price=1_000 * (n % 3))
    settings.CATALOG_PAGE_SIZE = 100
    everything = names(api.get("/api/v1/products/", {"sort": sort}))
    settings.CATALOG_PAGE_SIZE = 2
    assert walk(api, "/api/v1/products/", sort=sort) == everything
    assert len(everything) == 7


def test_a_page_says_the_total_and_every_page_the_same(api, settings):
    settings.CATALOG_PAGE_SIZE = 2
    ProductFactory.create_batch(3)
    first = api.get("/api/v1/products/").json()
    second = api.get("/api/v1/products/", {"after": first["next"]}).json()
    assert (first["total"], first["total_capped"], second["total"]) == (3, False, 3)
    assert second["next"] is None


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_hidden_and_draft_products_are_in_no_list(api, status):
    hidden = ProductFactory(status=status)
    assert names(api.get("/api/v1/products/")) == []
    assert names(api.get(f"/api/v1/categories/{hidden.category.slug}/products/")) == []


def test_an_unknown_or_inactive_category_is_a_404(api):
    inactive = CategoryFactory(is_active=False)
    for slug in ("no-such-category", inactive.slug):
        response = api.get(f"/api/v1/categories/{slug}/products/")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "zzz"},
        {"min_price": "abc"},
        {"min_price": -1},
        {"max_price": 100_000_001},
        {"min_price": 5_000, "max_price": 1_000},
        {"in_stock": "maybe"},
    ],
)
def test_bad_list_parameters_are_a_400_in_the_error_shape(api, params):
    response = api.get("/api/v1/products/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body) == {"code", "message", "details"}


def test_a_product_page_has_images_breadcrumb_and_related_products(api, category_tree):
    root, middle, leaf = category_tree
    product = ProductFactory(name="본품", category=leaf, description="설명")
    ProductImageFactory(product=product, is_primary=False, alt="둘째", position=2)
    ProductImageFactory(product=product, is_primary=True, alt="대표")
    ProductFactory(name="이웃", category=leaf)
    ProductFactory(name="숨은 이웃", category=leaf, status=Product.Status.HIDDEN)
    ProductFactory(name="남남")
    body = api.get(f"/api/v1/products/{product.slug}/").json()
    assert body["product"]["description"] == "설명"
    assert [image["alt"] for image in body["product"]["images"]] == ["대표", "둘째"]
    assert all(image["urls"]["original"].startswith("http://testserver/") for image in body["product"]["images"])
    assert [category["slug"] for category in body["breadcrumb"]] == [root.slug, middle.slug, leaf.slug]
    assert [related["name"] for related in body["related"]] == ["이웃"]


def test_an_image_on_a_cdn_keeps_its_own_absolute_url(api, settings):
    settings.MEDIA_URL = "https://cdn.example.com/media/"
    product = ProductFactory()
    ProductImageFactory(product=product)
    image = api.get(f"/api/v1/products/{product.slug}/").json()["product"]["images"][0]
    assert image["urls"]["original"].startswith("https://cdn.example.com/media/products/")


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_a_hidden_or_draft_product_is_a_404_like_a_missing_one(api, status):
    hidden = ProductFactory(status=status)
    for slug in (hidden.slug, "no-such-product"):
        response = api.get(f"/api/v1/products/{slug}/")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_sold_out_product_still_has_a_page(api):
    product = ProductFactory(status=Product.Status.SOLD_OUT)
    body = api.get(f"/api/v1/products/{product.slug}/").json()
    assert body["product"]["stock_state"] == "sold_out"


def test_anonymous_callers_are_throttled(api, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    codes = [api.get("/api/v1/categories/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert api.get("/api/v1/categories/").json()["code"] == "throttled"


def test_the_catalog_runs_a_constant_number_of_queries(api, django_assert_max_num_queries):
    def fetch():
        api.get("/api/v1/products/")

    ProductImageFactory.create_batch(2)
    with django_assert_max_num_queries(10) as few:
        fetch()
    ProductImageFactory.create_batch(10)
    with django_assert_max_num_queries(len(few)):
        fetch()


def test_the_catalog_still_answers_when_the_throttles_cache_is_down(api, settings, product):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    assert api.get("/api/v1/products/").status_code == 200


def test_a_product_with_options_lists_its_skus_with_price_and_availability(client):
    product = product_with_options(options={"색상": ["블랙", "화이트"], "사이즈": ["260"]}, stock=3, price=59_000)

    body = client.get(f"/api/v1/products/{product.slug}/").json()["product"]

    assert [option["name"] for option in body["options"]] == ["색상", "사이즈"]
    assert body["options"][0]["values"] == ["블랙", "화이트"]
    labels = {sku["options"]: sku for sku in body["skus"]}
    assert set(labels) == {"블랙 / 260", "화이트 / 260"}
    assert labels["블랙 / 260"]["price"] == 59_000 and labels["블랙 / 260"]["available"] == 3
    assert labels["화이트 / 260"]["id"] == sku_of(product, "화이트", "260").id


def test_a_product_image_lists_every_rendition_size_as_absolute_urls(api):
    product = ProductFactory()
    ProductImageFactory(product=product)
    image = api.get(f"/api/v1/products/{product.slug}/").json()["product"]["images"][0]
    names = [size.name for size in RENDITION_SIZES]
    edges = {size.name: size.edge for size in RENDITION_SIZES}
    assert [rendition["name"] for rendition in image["renditions"]] == names
    assert set(image["urls"]) == {"original", *names}
    for rendition in image["renditions"]:
        assert rendition["webp"].startswith("http://testserver/media/products/") and rendition["webp"].endswith(".webp")
        assert rendition["jpeg"].startswith("http://testserver/media/products/") and rendition["jpeg"].endswith(".jpg")
        assert image["urls"][rendition["name"]] == rendition["webp"]
        assert 0 < max(rendition["width"], rendition["height"]) <= edges[rendition["name"]]


def test_a_product_card_image_has_its_renditions_too(api):
    product = ProductFactory()
    ProductImageFactory(product=product)
    card = api.get("/api/v1/products/").json()["results"][0]
    assert card["image"]["urls"]["card"].startswith("http://testserver/media/products/")
    assert card["image"]["width"] > 0


def test_an_image_whose_renditions_are_not_made_yet_offers_the_original_only(api):
    product = ProductFactory()
    ProductImageFactory(product=product, with_renditions=False)
    image = api.get(f"/api/v1/products/{product.slug}/").json()["product"]["images"][0]
    assert set(image["urls"]) == {"original"}
    assert image["renditions"] == []


def test_rendition_urls_on_a_cdn_stay_as_the_cdn_makes_them(api, settings):
    settings.MEDIA_URL = "https://cdn.example.com/media/"
    product = ProductFactory()
    ProductImageFactory(product=product)
    image = api.get(f"/api/v1/products/{product.slug}/").json()["product"]["images"][0]
    assert all(url.startswith("https://cdn.example.com/media/products/") for url in image["urls"].values())
