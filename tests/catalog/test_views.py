import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Product
from catalog.search.index import refresh_frequencies
from tests.factories import CategoryFactory, IndexedProductFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def test_home_shows_new_arrivals_and_categories(client, category_tree):
    root, _, leaf = category_tree
    ProductFactory(name="한울 게이밍노트북", category=leaf)
    page = client.get("/").content.decode()
    assert "한울 게이밍노트북" in page
    assert root.name in page


def test_home_never_shows_hidden_or_draft_products(client):
    ProductFactory(name="숨긴상품", status=Product.Status.HIDDEN)
    ProductFactory(name="준비중상품", status=Product.Status.DRAFT)
    page = client.get("/").content.decode()
    assert "숨긴상품" not in page
    assert "준비중상품" not in page


def test_category_page_includes_products_of_subcategories(client, category_tree):
    root, _, leaf = category_tree
    ProductFactory(name="깊은곳의 노트북", category=leaf)
    response = client.get(reverse("catalog:category", kwargs={"slug": root.slug}))
    assert response.status_code == 200
    assert "깊은곳의 노트북" in response.content.decode()


def test_category_page_shows_the_breadcrumb(client, category_tree):
    root, middle, leaf = category_tree
    page = client.get(leaf.get_absolute_url()).content.decode()
    assert page.index(root.name) < page.index(middle.name) < page.rindex(leaf.name)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["싼것", "중간", "비싼것"]),
        ("price_desc", ["비싼것", "중간", "싼것"]),
        ("name", ["비싼것", "싼것", "중간"]),
    ],
)
def test_category_page_sorts(client, sort, expected):
    category = CategoryFactory()
    for name, price in [("중간", 20000), ("싼것", 10000), ("비싼것", 30000)]:
        ProductFactory(name=name, price=price, category=category)
    products = client.get(category.get_absolute_url(), {"sort": sort}).context["results"].products
    assert [p.name for p in products] == expected


def test_category_page_paginates(client, settings):
    settings.CATALOG_PAGE_SIZE = 2
    category = CategoryFactory()
    ProductFactory.create_batch(5, category=category)
    response = client.get(category.get_absolute_url(), {"page": 3})
    assert len(response.context["results"].products) == 1
    assert list(response.context["results"].page_numbers) == [1, 2, 3]


def test_category_page_with_junk_page_number_shows_a_page(client):
    category = CategoryFactory()
    ProductFactory(category=category)
    assert client.get(category.get_absolute_url(), {"page": "x'; DROP", "sort": "<script>"}).status_code == 200


def test_unknown_category_is_a_404_page(client):
    response = client.get("/categories/no-such-thing/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_inactive_category_is_a_404(client):
    category = CategoryFactory(is_active=False)
    assert client.get(category.get_absolute_url()).status_code == 404


def test_product_page_shows_price_in_won_and_stock(client):
    product = ProductFactory(name="한울 노트북", price=12900, stock=3)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "12,900원" in page
    assert "3개 남음" in page


def test_product_page_says_sold_out(client):
    product = ProductFactory(stock=0, status=Product.Status.SOLD_OUT)
    assert "품절" in client.get(product.get_absolute_url()).content.decode()


def test_product_page_shows_images_and_related_products(client):
    product = ProductFactory()
    ProductImageFactory(product=product)
    ProductFactory(name="같은 카테고리 상품", category=product.category)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "<img" in page
    assert "같은 카테고리 상품" in page


@pytest.mark.parametrize("status", [Product.Status.HIDDEN, Product.Status.DRAFT])
def test_hidden_and_draft_product_pages_are_404(client, status):
    product = ProductFactory(status=status)
    assert client.get(product.get_absolute_url()).status_code == 404


def test_unknown_product_is_a_404(client):
    assert client.get("/products/nothing-here/").status_code == 404


def test_english_is_shipped_too(client):
    product = ProductFactory(price=12900)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(product.get_absolute_url()).content.decode()
    assert "₩12,900" in page
    assert "In stock" in page


def test_korean_is_the_default_whatever_the_browser_says(client):
    product = ProductFactory(price=12900)
    page = client.get(product.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "12,900원" in page


@pytest.mark.parametrize("count", [3, 30])
def test_category_listing_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, settings, count):
    settings.CATALOG_PAGE_SIZE = 50
    category = CategoryFactory()
    for product in ProductFactory.create_batch(count, category=category):
        ProductImageFactory(product=product)
    # + the SKUs, for what is in stock; + the sold-out products' ids, listed after those in stock; + the ids
    # of each phase before the page's rows; + the option facets (two); + a count per phase
    with django_assert_max_num_queries(12):
        response = client.get(category.get_absolute_url())
    assert len(response.context["results"].products) == count


@pytest.mark.parametrize("count", [2, 20])
def test_home_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    for product in ProductFactory.create_batch(count):
        ProductImageFactory(product=product)
    with django_assert_max_num_queries(5):  # + the SKUs, for what is in stock
        client.get("/")


def test_a_storefront_page_reads_the_category_tree_once(client, category_tree):
    """The page's view and the navigation share one read of the tree."""
    root, _, leaf = category_tree
    product, *_ = [IndexedProductFactory(category=leaf, name=f"{brand} 가방") for brand in ("한울", "누리", "다온")]
    refresh_frequencies()  # a search that finds enough suggests nothing (a suggestion reads the categories too)
    for url in (
        reverse("catalog:category", args=[root.slug]),
        product.get_absolute_url(),
        reverse("catalog:search") + "?q=가방",
    ):
        with CaptureQueriesContext(connection) as log:
            assert client.get(url).status_code == 200
        reads = [q["sql"] for q in log.captured_queries if TREE_READ in q["sql"].replace('"', "").replace("`", "")]
        assert len(reads) == 1, url


TREE_READ = "FROM catalog_category WHERE catalog_category.is_active"
