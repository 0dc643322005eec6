"""The surcharge table each process keeps (pricing.selectors): read once a minute, not once an order, and a staff
change seen at once by the process that made it."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pricing.models import ShippingSurcharge
from pricing.selectors import surcharge_for
from pricing.services import surcharges_replace
from pricing.surcharge_import import SurchargeRow

pytestmark = pytest.mark.django_db


def _surcharge_reads(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, sum("pricing_shippingsurcharge" in query["sql"] for query in queries.captured_queries)


def test_the_table_is_read_once_for_many_quotes(surcharges):
    assert _surcharge_reads(lambda: [surcharge_for("63100"), surcharge_for("40205"), surcharge_for("06236")]) == (
        [3000, 5000, 0],
        1,
    )
    assert _surcharge_reads(lambda: surcharge_for("63100")) == (3000, 0)


def test_a_staff_edit_applies_to_the_next_quote_at_once(admin_client, surcharges):
    assert surcharge_for("63100") == 3000
    jeju = ShippingSurcharge.objects.get(name="제주")
    change = {"name": "제주", "postal_code_from": "63000", "postal_code_to": "63644", "fee": 4000}
    assert admin_client.post(f"/admin/pricing/shippingsurcharge/{jeju.pk}/change/", change).status_code == 302
    assert surcharge_for("63100") == 4000
    added = {"name": "백령도", "postal_code_from": "23100", "postal_code_to": "23116", "fee": 7000}
    assert admin_client.post("/admin/pricing/shippingsurcharge/add/", added).status_code == 302
    assert surcharge_for("23101") == 7000
    delete = f"/admin/pricing/shippingsurcharge/{jeju.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert surcharge_for("63100") == 0
    bulk = {
        "action": "delete_selected",
        "_selected_action": list(ShippingSurcharge.objects.values_list("pk", flat=True)),
        "post": "yes",
    }
    assert admin_client.post("/admin/pricing/shippingsurcharge/", bulk).status_code == 302
    assert surcharge_for("23101") == 0


def test_a_replaced_table_applies_at_once(surcharges):
    assert surcharge_for("63100") == 3000
    surcharges_replace(rows=[SurchargeRow(line=1, name="울릉도", start="40200", end="40240", fee=6000)])
    assert (surcharge_for("63100"), surcharge_for("40205")) == (0, 6000)


def test_a_change_another_process_made_applies_once_the_table_is_older_than_the_setting(settings, surcharges):
    settings.PRICING_SURCHARGE_CACHE_SECONDS = 1
    assert surcharge_for("63100") == 3000
    # A change not made through the admin or the import is, to this process, the same as another process's.
    ShippingSurcharge.objects.filter(name="제주").update(fee=4500)
    assert surcharge_for("63100") == 3000
    time.sleep(1.1)
    assert surcharge_for("63100") == 4500


def test_zero_seconds_reads_the_table_for_every_quote(settings, surcharges):
    settings.PRICING_SURCHARGE_CACHE_SECONDS = 0
    assert _surcharge_reads(lambda: [surcharge_for("63100"), surcharge_for("63100")]) == ([3000, 3000], 2)


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_a_read_racing_a_change_does_not_keep_the_rows_from_before_it(surcharges):
    """A quote in another thread that read the table before a replacement committed must not keep those rows:
    the replacement forgets the table again at its COMMIT."""
    read_before_commit = threading.Event()
    done = threading.Event()

    def quote_meanwhile():
        try:
            surcharge_for("63100")  # reads the committed table: still 3,000
            read_before_commit.set()
        finally:
            connection.close()
            done.set()

    with transaction.atomic():
        surcharges_replace(rows=[SurchargeRow(line=1, name="제주", start="63000", end="63644", fee=4000)])
        threading.Thread(target=quote_meanwhile).start()
        assert done.wait(10) and read_before_commit.is_set()
    assert surcharge_for("63100") == 4000
