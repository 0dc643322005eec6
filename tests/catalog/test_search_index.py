"""The search index follows every kind of product edit, in the same transaction, and can be rebuilt."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog import demo, services, tasks
from catalog.models import Product, SearchToken, SearchTokenStat
from catalog.search.query import SearchFilters, product_search
from tests.factories import CategoryFactory, IndexedProductFactory, ProductFactory

pytestmark = pytest.mark.django_db


def found(typed):
    return [product.name for product in product_search(query=typed).products]


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def product_form(product=None, **changes):
    data = {
        "name": "한울 여행가방",
        "slug": "travel-bag",
        "category": CategoryFactory().id if product is None else product.category_id,
        "description": "가볍습니다.",
        "price": 39_000,
        "status": Product.Status.ON_SALE,
    }
    for prefix in ("images", "options", "skus"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0})
    if product is not None:
        data.update(name=product.name, slug=product.slug, description=product.description)
    return {**data, **changes}


def test_a_product_added_in_the_admin_is_found(admin_client):
    response = admin_client.post(reverse("admin:catalog_product_add"), product_form())
    assert response.status_code == 302
    assert found("가방") == ["한울 여행가방"]


def test_a_product_renamed_in_the_admin_is_found_by_its_new_name_only(admin_client):
    product = IndexedProductFactory(name="한울 여행가방")
    url = reverse("admin:catalog_product_change", args=[product.id])
    response = admin_client.post(url, product_form(product, name="한울 캠핑의자"))
    assert response.status_code == 302
    assert (found("가방"), found("의자")) == ([], ["한울 캠핑의자"])


def test_a_price_changed_in_the_admin_is_what_a_price_range_finds(admin_client):
    product = IndexedProductFactory(name="한울 여행가방", price=45_000)
    url = reverse("admin:catalog_product_change", args=[product.id])
    assert admin_client.post(url, product_form(product, price=62_000)).status_code == 302
    in_range = [p.name for p in product_search(query="가방", filters=SearchFilters(min_price=60_000)).products]
    old_range = product_search(query="가방", filters=SearchFilters(max_price=50_000)).products
    assert (in_range, old_range) == (["한울 여행가방"], [])


def test_a_product_hidden_in_the_admin_form_leaves_the_results(admin_client):
    product = IndexedProductFactory(name="한울 여행가방")
    url = reverse("admin:catalog_product_change", args=[product.id])
    admin_client.post(url, product_form(product, status=Product.Status.HIDDEN))
    assert found("가방") == []


def test_the_bulk_hide_and_publish_actions_update_the_index(admin_client):
    product = IndexedProductFactory(name="한울 여행가방")
    changelist = reverse("admin:catalog_product_changelist")
    admin_client.post(changelist, {"action": "hide", "_selected_action": [product.id]})
    hidden = found("가방")
    admin_client.post(changelist, {"action": "publish", "_selected_action": [product.id]})
    assert (hidden, found("가방")) == ([], ["한울 여행가방"])


def test_a_product_deleted_in_the_admin_leaves_the_index(admin_client):
    product = IndexedProductFactory(name="한울 여행가방")
    admin_client.post(reverse("admin:catalog_product_delete", args=[product.id]), {"post": "yes"})
    assert not SearchToken.objects.filter(product_id=product.id).exists()
    assert found("가방") == []


def test_a_draft_published_by_the_service_becomes_searchable():
    draft = IndexedProductFactory(name="한울 여행가방", status=Product.Status.DRAFT)
    services.product_set_status(product_ids=[draft.id], status=Product.Status.ON_SALE)
    assert found("가방") == ["한울 여행가방"]


def test_the_demo_import_fills_the_index():
    demo.create_products(count=30, with_images=False)
    visible = Product.objects.visible().count()
    assert product_search(query="카테고리").total == visible


def test_the_rebuild_command_restores_the_index_and_drops_stale_rows():
    kept = ProductFactory(name="한울 여행가방")  # saved without the service: not indexed yet
    hidden = IndexedProductFactory(name="숨긴 가방")
    Product.objects.filter(id=hidden.id).update(status=Product.Status.HIDDEN)  # left stale on purpose
    call_command("search_rebuild", stdout=io.StringIO())
    assert found("가방") == [kept.name]
    assert SearchTokenStat.objects.get(token="h가방").products == 1


def test_the_frequency_task_recounts_every_token():
    IndexedProductFactory(name="한울 가방")
    IndexedProductFactory(name="누리 가방")
    tasks.search_refresh_frequencies()
    assert SearchTokenStat.objects.get(token="h가방").products == 2
    call_command("search_refresh_frequencies", stdout=io.StringIO())
    assert SearchTokenStat.objects.get(token="w누리").products == 1
