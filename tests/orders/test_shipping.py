"""Shipping: a courier and tracking number by hand or by CSV (preview, per-row errors, all or none); the
customer's order page links to the courier's tracking page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders import services, shipment_import
from orders.couriers import courier_find, tracking_url
from orders.models import Order
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def preparing(user, shipping):
    def make():
        product = ProductFactory(stock=5)
        order = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
        services.order_mark_paid(order=order)
        return services.order_mark_preparing(order=order)

    return make


def test_couriers_are_found_by_korean_name_code_or_english_name():
    assert courier_find("CJ대한통운").code == "cj"
    assert courier_find(" 롯데 택배 ").code == "lotte"
    assert courier_find("HANJIN").code == "hanjin"
    assert courier_find("Korea Post").code == "epost"
    assert courier_find("없는택배") is None


def test_a_tracking_url_quotes_the_number():
    assert tracking_url("logen", "123/45") == "https://www.ilogen.com/web/personal/trace/123%2F45"
    assert tracking_url("", "123") == "" and tracking_url("cj", "") == ""


def test_shipping_records_the_courier_and_the_number(preparing, staff_user):
    order = services.order_mark_shipped(order=preparing(), courier="hanjin", tracking_number="4242", actor=staff_user)
    assert (order.status, order.courier, order.tracking_number) == ("shipped", "hanjin", "4242")
    assert "wblnumText2=4242" in order.tracking_url


def test_an_unknown_courier_is_refused(preparing):
    with pytest.raises(ValueError):
        services.order_mark_shipped(order=preparing(), courier="ups", tracking_number="1")


def test_the_customer_order_page_links_to_the_couriers_tracking_page(client, user, preparing):
    order = services.order_mark_shipped(order=preparing(), courier="cj", tracking_number="601234567890")
    client.force_login(user)
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'href="https://trace.cjlogistics.com/next/tracking.html?wblNo=601234567890"' in page


def test_the_csv_preview_names_each_rows_error(preparing, user, shipping):
    good = preparing()
    unpaid = services.order_place(user=user, address=shipping, lines=[(ProductFactory(stock=1).skus.get().id, 1)])
    text = (
        "주문번호,택배사,송장번호\n"
        f"{good.number},CJ대한통운,6012-3456-7890\n"
        f"{unpaid.number},롯데택배,1\n"
        "nope,한진택배,2\n"
        f"{good.number},우체국,3\n"
        "x,UPS,4\n"
        "only-two,columns\n"
    )
    plan = shipment_import.shipment_import_read(text=text)

    errors = {row.line: row.error for row in plan.rows}
    assert errors[2] == "" and plan.rows[0].tracking_number == "601234567890"
    assert "only an order being prepared" in errors[3] or "상품 준비 중" in errors[3]
    assert all(errors[line] for line in (4, 5, 6, 7))
    assert not plan.ok


def test_a_csv_with_an_error_ships_nothing(preparing):
    first, second = preparing(), preparing()
    services.order_mark_shipped(order=second, courier="cj", tracking_number="1")
    text = f"order_number,courier,tracking_number\n{first.number},cj,11\n{second.number},cj,22\n"

    with pytest.raises(shipment_import.ShipmentImportRefused):
        shipment_import.shipment_import_apply(text=text, actor=None)

    assert Order.objects.get(pk=first.pk).status == Order.Status.PREPARING


def test_staff_ship_many_orders_from_the_admin_after_a_preview(admin_client, preparing):
    orders = [preparing(), preparing()]
    text = "order_number,courier,tracking_number\n" + "".join(
        f"{o.number},로젠택배,9{i}\n" for i, o in enumerate(orders)
    )
    url = reverse("admin:orders_order_ship_import")

    preview = admin_client.post(url, {"file": SimpleUploadedFile("ship.csv", text.encode("utf-8-sig"))})
    assert preview.status_code == 200 and 'name="apply"' in preview.content.decode()
    assert all(Order.objects.get(pk=o.pk).status == "preparing" for o in orders)

    response = admin_client.post(url, {"text": text, "apply": "1"})

    assert response.status_code == 302
    shipped = Order.objects.filter(pk__in=[o.pk for o in orders])
    assert sorted(shipped.values_list("status", "courier")) == [("shipped", "logen")] * 2
