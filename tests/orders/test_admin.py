import pytest
from django.urls import reverse

from catalog.models import Product
from orders import services
from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def paid_order(user, product, shipping):
    order = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 2)])
    return services.order_mark_paid(order=order)


def _change(admin_client, order, **data):
    return admin_client.post(reverse("admin:orders_order_change", args=[order.pk]), {**_inline_management(), **data})


def _inline_management():
    data = {}
    for prefix in ("lines", "events"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    return data


def test_the_order_list_filters_by_status(admin_client, paid_order):
    response = admin_client.get(reverse("admin:orders_order_changelist"), {"status__exact": "paid"})
    assert paid_order.number in response.content.decode()
    response = admin_client.get(reverse("admin:orders_order_changelist"), {"status__exact": "shipped"})
    assert paid_order.number not in response.content.decode()


def test_the_order_page_shows_lines_and_history(admin_client, paid_order):
    page = admin_client.get(reverse("admin:orders_order_change", args=[paid_order.pk])).content.decode()
    assert paid_order.lines.get().product_name in page
    assert "pending_payment" in page or "결제 대기" in page


def test_staff_move_an_order_through_the_state_machine(admin_client, paid_order, staff_user):
    _change(admin_client, paid_order, next_status="preparing")
    _change(admin_client, paid_order, next_status="shipped", new_courier="cj", new_tracking_number="CJ555")
    order = Order.objects.get(pk=paid_order.pk)
    assert (order.status, order.tracking_number) == ("shipped", "CJ555")
    assert order.events.last().actor == staff_user


def test_shipping_without_a_tracking_number_is_refused(admin_client, paid_order):
    services.order_mark_preparing(order=paid_order)
    response = _change(admin_client, paid_order, next_status="shipped")
    assert response.status_code == 200
    assert Order.objects.get(pk=paid_order.pk).status == "preparing"


def test_the_form_offers_only_legal_steps(admin_client, paid_order):
    response = _change(admin_client, paid_order, next_status="delivered")
    assert response.status_code == 200
    assert Order.objects.get(pk=paid_order.pk).status == "paid"


def test_the_bulk_action_skips_orders_it_cannot_move(admin_client, paid_order, user, product, shipping):
    unpaid = services.order_place(user=user, address=shipping, lines=[(product.skus.get().id, 1)])
    admin_client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "mark_preparing", "_selected_action": [paid_order.pk, unpaid.pk]},
    )
    assert dict(Order.objects.values_list("pk", "status")) == {paid_order.pk: "preparing", unpaid.pk: "pending_payment"}


def test_a_product_that_was_ordered_cannot_be_deleted_in_the_admin(admin_client, paid_order, product):
    url = reverse("admin:catalog_product_delete", args=[product.pk])
    page = admin_client.get(url).content.decode()
    assert "protected" in page.lower() or "보호" in page
    admin_client.post(url, {"post": "yes"})
    assert Product.objects.filter(pk=product.pk).exists()
