import pytest
from django.urls import reverse

from accounts.models import Address
from catalog.models import Sku
from orders import services
from orders.forms import new_checkout_token
from orders.models import CartItem, Order
from tests.factories import AddressFactory, OrderFactory, UserFactory, stock_of

pytestmark = pytest.mark.django_db


def _checkout(client, data, **extra):
    """POST the checkout form as its page would: with a one-time token of its own."""
    return client.post(reverse("orders:checkout"), {"token": new_checkout_token(), **data}, **extra)


def test_checkout_needs_a_log_in(client):
    response = client.get(reverse("orders:checkout"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client, customer):
    assert client.get(reverse("orders:checkout")).url == reverse("orders:cart")


def test_checkout_reviews_the_lines_and_total(client, in_cart):
    page = client.get(reverse("orders:checkout")).content.decode()
    assert "한울 노트북" in page
    assert "2,580,000원" in page


def test_checkout_with_a_new_address_places_the_order_and_saves_the_address(
    client, customer, in_cart, new_address_data
):
    response = _checkout(client, {"choice": "new", "save_address": "on", **new_address_data})
    order = Order.objects.get(user=customer)
    assert response.url == order.get_absolute_url()
    assert (order.recipient, order.address_detail, order.total) == ("이바다", "101동 1203호", 2_580_000)
    assert Address.objects.get(user=customer).recipient == "이바다"
    assert stock_of(in_cart) == 3
    assert not CartItem.objects.filter(user=customer).exists()


def test_checkout_with_a_saved_address_copies_it(client, customer, in_cart):
    saved = AddressFactory(user=customer, recipient="박산", detail="2층")
    _checkout(client, {"choice": str(saved.id)})
    order = Order.objects.get(user=customer)
    assert (order.recipient, order.address_detail) == ("박산", "2층")
    assert Address.objects.filter(user=customer).count() == 1


def test_checkout_with_an_invalid_new_address_shows_errors_and_takes_nothing(
    client, customer, in_cart, new_address_data
):
    data = {**new_address_data, "phone": "12345", "postal_code": "abc"}
    response = _checkout(client, {"choice": "new", **data})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"phone", "postal_code"}
    assert not Order.objects.exists()
    assert stock_of(in_cart) == 5


def test_checkout_cannot_ship_to_someone_elses_address(client, customer, in_cart):
    other = AddressFactory()
    response = _checkout(client, {"choice": str(other.id)})
    assert response.status_code == 200
    assert not Order.objects.exists()


def test_checkout_out_of_stock_names_the_line_and_what_is_left(client, customer, in_cart):
    saved = AddressFactory(user=customer)
    Sku.objects.filter(product=in_cart).update(stock=1)
    response = _checkout(client, {"choice": str(saved.id)}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "한울 노트북" in text
    assert "1" in text
    assert not Order.objects.exists()


def test_the_order_page_shows_awaiting_payment_and_history(client, customer, in_cart):
    order = services.order_place(user=customer, address=services.ShippingAddress.from_address(AddressFactory()))
    page = client.get(order.get_absolute_url()).content.decode()
    assert "결제 대기" in page
    assert "2,580,000원" in page
    assert reverse("payments:order-cancel", args=[order.number]) in page


def test_someone_elses_order_page_is_a_404(client, customer):
    assert client.get(OrderFactory().get_absolute_url()).status_code == 404


def test_a_customer_cancels_an_unpaid_order_from_its_page(client, customer, in_cart):
    order = services.order_place(user=customer, address=services.ShippingAddress.from_address(AddressFactory()))
    client.post(reverse("payments:order-cancel", args=[order.number]))
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELED
    assert stock_of(in_cart) == 5


def test_a_shipped_order_has_no_cancel_button_and_refuses_a_cancel(client, customer, in_cart):
    order = services.order_place(user=customer, address=services.ShippingAddress.from_address(AddressFactory()))
    for step in ("paid", "preparing"):
        order = services.order_transition(order=order, to_status=step)
    services.order_mark_shipped(order=order, tracking_number="CJ1")
    assert (
        reverse("payments:order-cancel", args=[order.number])
        not in client.get(order.get_absolute_url()).content.decode()
    )
    response = client.post(reverse("payments:order-cancel", args=[order.number]), follow=True)
    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED


def test_my_orders_lists_newest_first_and_pages_by_cursor(client, customer, settings):
    settings.ORDERS_PAGE_SIZE = 2
    orders = [OrderFactory(user=customer) for _ in range(3)]
    OrderFactory(user=UserFactory())
    first = client.get(reverse("orders:list"))
    assert [o.number for o in first.context["orders"]] == [orders[2].number, orders[1].number]
    second = client.get(reverse("orders:list"), {"after": first.context["next_cursor"]})
    assert [o.number for o in second.context["orders"]] == [orders[0].number]
    assert second.context["next_cursor"] is None
