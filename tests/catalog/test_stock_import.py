import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import stock
from catalog.models import Sku, StockMovement
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

URL = "/admin/catalog/sku/import/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _upload(client, text):
    return client.post(URL, {"file": SimpleUploadedFile("stock.csv", text.encode(), content_type="text/csv")})


def test_a_csv_is_previewed_with_an_error_for_each_bad_row_and_changes_nothing(staff_client):
    sku = ProductFactory(stock=5).skus.get()
    text = f"sku_code,delta\n{sku.code},+20\nNOPE,3\n{sku.code},x\n"
    response = _upload(staff_client, text)
    rows = response.context["plan"].rows
    assert [(row.line, bool(row.error)) for row in rows] == [(2, False), (3, True), (4, True)]
    assert "Apply" not in response.content.decode()
    assert Sku.objects.get(pk=sku.pk).stock == 5


def test_a_clean_csv_of_counted_stock_is_applied_as_deltas_with_import_movements(staff_client):
    first, second = ProductFactory(stock=5).skus.get(), ProductFactory(stock=1).skus.get()
    text = f"sku_code,stock\n{first.code},12\n{second.code},0\n"
    preview = _upload(staff_client, text)
    assert preview.context["plan"].ok
    stock.stock_take(quantities={first.id: 2}, reference="sale between preview and apply")
    staff_client.post(URL, {"apply": "1", "text": text, "name": "stock.csv"})
    assert [Sku.objects.get(pk=s.pk).stock for s in (first, second)] == [12, 0]
    moves = StockMovement.objects.filter(reason="import", reference="stock.csv").order_by("sku_id")
    assert list(moves.values_list("sku_id", "delta")) == [(first.id, 9), (second.id, -1)]


def test_a_delta_that_a_sale_made_impossible_refuses_the_whole_file(staff_client):
    first, second = ProductFactory(stock=5).skus.get(), ProductFactory(stock=2).skus.get()
    text = f"sku_code,delta\n{first.code},10\n{second.code},-2\n"
    assert _upload(staff_client, text).context["plan"].ok
    stock.stock_take(quantities={second.id: 1})
    staff_client.post(URL, {"apply": "1", "text": text, "name": "stock.csv"})
    assert [Sku.objects.get(pk=s.pk).stock for s in (first, second)] == [5, 1]


def test_a_file_without_the_header_is_refused(staff_client):
    response = _upload(staff_client, "P1,3\n")
    assert response.context["plan"].error
