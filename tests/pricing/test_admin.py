"""Staff's pricing pages: coupons and the surcharge table's CSV import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pricing.models import ShippingSurcharge
from pricing.selectors import surcharge_for
from tests.factories import CouponFactory

pytestmark = pytest.mark.django_db

URL = "/admin/pricing/shippingsurcharge/import/"
GOOD = "name,postal_code_from,postal_code_to,fee\n제주,63000,63644,3000\n울릉도,40200,40240,5000\n"


def _upload(admin_client, text):
    return admin_client.post(URL, {"file": SimpleUploadedFile("s.csv", text.encode())})


def test_the_import_previews_rows_without_writing(admin_client):
    response = _upload(admin_client, GOOD)
    assert response.status_code == 200
    assert response.context["plan"].ok
    assert not ShippingSurcharge.objects.exists()


def test_the_import_names_each_bad_rows_error(admin_client):
    text = "name,postal_code_from,postal_code_to,fee\n제주,6300,63644,3000\n섬,40240,40200,5000\n섬,40200,40240,x\n"
    plan = _upload(admin_client, text).context["plan"]
    assert [row.error != "" for row in plan.rows] == [True, True, True]
    assert not plan.ok
    assert "row-error" in _upload(admin_client, text).content.decode()


def test_the_import_refuses_a_wrong_header(admin_client):
    assert _upload(admin_client, "zip,fee\n63000,3000\n").context["plan"].error


def test_applying_the_import_replaces_the_table(admin_client):
    ShippingSurcharge.objects.create(name="old", postal_code_from="10000", postal_code_to="10001", fee=1)
    response = admin_client.post(URL, {"apply": "1", "text": GOOD})
    assert response.status_code == 302
    assert sorted(ShippingSurcharge.objects.values_list("name", flat=True)) == ["울릉도", "제주"]
    assert surcharge_for("40205") == 5000 and surcharge_for("10000") == 0


def test_applying_a_file_with_errors_changes_nothing(admin_client):
    ShippingSurcharge.objects.create(name="old", postal_code_from="10000", postal_code_to="10001", fee=1)
    admin_client.post(URL, {"apply": "1", "text": GOOD + "bad,1,2,3\n"})
    assert list(ShippingSurcharge.objects.values_list("name", flat=True)) == ["old"]


def test_staff_see_coupons_and_their_uses(admin_client):
    coupon = CouponFactory()
    assert admin_client.get("/admin/pricing/coupon/").status_code == 200
    assert admin_client.get(f"/admin/pricing/coupon/{coupon.pk}/change/").status_code == 200
    assert admin_client.get("/admin/pricing/coupon/add/").status_code == 200
