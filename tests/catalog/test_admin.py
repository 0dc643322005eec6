import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import stock
from catalog.models import Product, Sku, StockMovement
from tests.admin_forms import admin_page_data
from tests.catalog import images as image_files
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, png_bytes, stock_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _inline_management(prefix="images", total=1):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_staff_adds_a_product_with_an_image_through_the_admin(staff_client):
    category = CategoryFactory()
    form = {
        "name": "한울 무선청소기",
        "slug": "hanul-vacuum",
        "category": category.id,
        "description": "가벼운 무선청소기",
        "price": "189000",
        "status": Product.Status.ON_SALE,
        **_inline_management(),
        **_inline_management("options", total=0),
        **_inline_management("skus", total=0),
        "images-0-upload": SimpleUploadedFile("vacuum.png", png_bytes(), content_type="image/png"),
        "images-0-alt": "청소기 정면",
        "images-0-position": "0",
    }
    response = staff_client.post("/admin/catalog/product/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    product = Product.objects.get(slug="hanul-vacuum")
    assert (product.price, [(sku.code, sku.stock) for sku in product.skus.all()]) == (189000, [(f"P{product.id}", 0)])
    image = product.images.get()
    assert image.is_primary, "the only image becomes the primary one"
    assert staff_client.get(image.image.url).status_code == 200


def test_admin_refuses_a_negative_price(staff_client):
    form = {
        "name": "잘못된 상품",
        "slug": "bad",
        "category": CategoryFactory().id,
        "price": "-1",
        "status": Product.Status.DRAFT,
        **_inline_management(total=0),
        **_inline_management("options", total=0),
        **_inline_management("skus", total=0),
    }
    response = staff_client.post("/admin/catalog/product/add/", form)
    assert response.status_code == 200
    assert not Product.objects.filter(slug="bad").exists()


def test_admin_product_list_filters_out_of_stock(staff_client):
    ProductFactory(name="다 팔린 상품", stock=0)
    ProductFactory(name="넉넉한 상품", stock=50)
    page = staff_client.get("/admin/catalog/product/", {"stock": "0"}).content.decode()
    assert "다 팔린 상품" in page
    assert "넉넉한 상품" not in page


def test_admin_product_list_searches_and_shows_thumbnails(staff_client):
    ProductImageFactory(product=ProductFactory(name="검색될 노트북"))
    page = staff_client.get("/admin/catalog/product/", {"q": "노트북"}).content.decode()
    assert "검색될 노트북" in page
    assert "<img" in page


def test_admin_bulk_publish_and_hide(staff_client):
    drafts = ProductFactory.create_batch(2, status=Product.Status.DRAFT)
    ids = [str(p.id) for p in drafts]
    staff_client.post("/admin/catalog/product/", {"action": "publish", "_selected_action": ids})
    assert set(Product.objects.values_list("status", flat=True)) == {Product.Status.ON_SALE}
    staff_client.post("/admin/catalog/product/", {"action": "hide", "_selected_action": ids})
    assert set(Product.objects.values_list("status", flat=True)) == {Product.Status.HIDDEN}


def test_the_product_list_has_no_editable_stock(staff_client):
    ProductFactory(stock=3)
    page = staff_client.get("/admin/catalog/product/").content.decode()
    assert "form-0-stock" not in page


def test_a_staff_save_of_a_product_page_opened_before_a_sale_leaves_the_sold_units_sold(staff_client):
    product = ProductFactory(stock=10)
    url = f"/admin/catalog/product/{product.id}/change/"
    opened = admin_page_data(staff_client.get(url))
    stock.stock_take(quantities={product.skus.get().id: 3}, reference="sale")
    response = staff_client.post(url, {**opened, "price": "15000"})
    assert response.status_code == 302, response.context and response.context["errors"]
    assert (stock_of(product), Product.objects.get(pk=product.pk).price) == (7, 15000)


def test_a_staff_save_of_a_sku_page_opened_before_a_sale_leaves_the_sold_units_sold(staff_client):
    sku = ProductFactory(stock=10).skus.get()
    url = f"/admin/catalog/sku/{sku.id}/change/"
    opened = admin_page_data(staff_client.get(url))
    stock.stock_take(quantities={sku.id: 3}, reference="sale")
    assert staff_client.post(url, opened).status_code == 302
    assert Sku.objects.get(pk=sku.pk).stock == 7


def test_staff_adjust_stock_by_a_delta_with_a_reason(staff_client):
    sku = ProductFactory(stock=10).skus.get()
    url = f"/admin/catalog/sku/{sku.id}/change/"
    opened = admin_page_data(staff_client.get(url))
    staff_client.post(url, {**opened, "adjust_by": "20", "reason": "received", "note": "입고"})
    staff_client.post(url, {**opened, "adjust_by": "-2", "reason": "damaged", "note": "파손"})
    moves = list(StockMovement.objects.filter(sku=sku).order_by("id").values_list("delta", "reason", "note"))
    assert Sku.objects.get(pk=sku.pk).stock == 28
    assert moves[1:] == [(20, "received", "입고"), (-2, "damaged", "파손")]


def test_a_counted_stock_is_applied_as_a_delta_from_the_stock_at_saving(staff_client):
    sku = ProductFactory(stock=10).skus.get()
    url = f"/admin/catalog/sku/{sku.id}/change/"
    opened = admin_page_data(staff_client.get(url))
    stock.stock_take(quantities={sku.id: 3}, reference="sale")
    staff_client.post(url, {**opened, "set_to": "5", "reason": "correction"})
    assert Sku.objects.get(pk=sku.pk).stock == 5
    assert StockMovement.objects.filter(sku=sku).latest("id").delta == -2


def test_an_adjustment_below_zero_is_refused_and_changes_nothing(staff_client):
    sku = ProductFactory(stock=1).skus.get()
    url = f"/admin/catalog/sku/{sku.id}/change/"
    response = staff_client.post(url, {**admin_page_data(staff_client.get(url)), "adjust_by": "-2"})
    assert Sku.objects.get(pk=sku.pk).stock == 1
    assert "-2" in response.context["adminform"].form.errors["adjust_by"][0]


def test_stock_movements_are_listed_read_only(staff_client):
    sku = ProductFactory(stock=4).skus.get()
    page = staff_client.get("/admin/catalog/stockmovement/").content.decode()
    assert sku.code in page
    assert staff_client.get("/admin/catalog/stockmovement/add/").status_code == 403


def test_admin_category_list_reads_as_a_tree(staff_client, category_tree):
    page = staff_client.get("/admin/catalog/category/").content.decode()
    assert "가전 &gt; 컴퓨터 &gt; 노트북" in page


def test_customers_cannot_open_the_admin(client, user):
    client.force_login(user)
    assert client.get("/admin/catalog/product/").status_code == 302


def _product_form_with_upload(category, upload):
    return {
        "name": "업로드 상품",
        "slug": "upload-product",
        "category": category.id,
        "price": "10000",
        "status": Product.Status.ON_SALE,
        **_inline_management(),
        **_inline_management("options", total=0),
        **_inline_management("skus", total=0),
        "images-0-upload": upload,
        "images-0-position": "0",
    }


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", image_files.encoded("JPEG")),
        ("logo.png", image_files.png_with_transparency()),
        ("photo.webp", image_files.encoded("WEBP")),
    ],
)
def test_admin_accepts_jpeg_transparent_png_and_webp(staff_client, name, data):
    form = _product_form_with_upload(CategoryFactory(), SimpleUploadedFile(name, data))
    assert staff_client.post("/admin/catalog/product/add/", form).status_code == 302
    image = Product.objects.get(slug="upload-product").images.get()
    assert image.width == 64


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("document.jpg", image_files.pdf()),
        ("cut.jpg", image_files.truncated_jpeg()),
        ("huge.png", image_files.png_bomb()),
    ],
    ids=["pdf-named-jpg", "truncated", "20000x20000"],
)
def test_admin_shows_a_form_error_for_files_that_are_not_acceptable_images(staff_client, name, data):
    form = _product_form_with_upload(CategoryFactory(), SimpleUploadedFile(name, data, content_type="image/jpeg"))
    response = staff_client.post("/admin/catalog/product/add/", form)
    assert response.status_code == 200
    images = next(i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "images")
    errors = images.formset.errors
    assert errors[0]["upload"]
    assert not Product.objects.filter(slug="upload-product").exists()


def test_admin_deleting_an_inline_image_deletes_its_objects(staff_client, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    image = ProductImageFactory()
    product = image.product
    keys = image.storage_keys()
    form = {
        "name": product.name,
        "slug": product.slug,
        "category": product.category_id,
        "description": product.description,
        "price": str(product.price),
        "status": product.status,
        **_inline_management(total=1),
        **_inline_management("options", total=0),
        **_inline_management("skus", total=0),
        "images-INITIAL_FORMS": "1",
        "images-0-id": str(image.id),
        "images-0-product": str(product.id),
        "images-0-position": "0",
        "images-0-is_primary": "on",
        "images-0-DELETE": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/catalog/product/{product.id}/change/", form)
    assert response.status_code == 302
    assert not product.images.exists()
    assert not any(default_storage.exists(key) for key in keys)


def test_admin_product_list_never_shows_originals(staff_client):
    ready = ProductImageFactory(product=ProductFactory(name="준비된 상품"))
    waiting = ProductImageFactory(product=ProductFactory(name="처리 중 상품"), with_renditions=False)
    page = staff_client.get("/admin/catalog/product/").content.decode()
    assert ready.rendition("thumb")["webp"] in page
    assert ready.image.name not in page and waiting.image.name not in page
