"""재입고 알림: subscribe to a sold-out product or option; when stock comes back (after the commit), each
subscriber is emailed once, over real SMTP."""

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from catalog import stock
from catalog.models import StockMovement
from tests.factories import ProductFactory, UserFactory, product_with_options, sku_of
from tests.notifications.conftest import smtp  # noqa: F401 (the SMTP server fixture)
from wishlist import services
from wishlist.exceptions import NotSoldOut
from wishlist.models import RestockSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold_out(db):
    return ProductFactory(name="품절 텀블러", stock=0)


def _restock(sku, commit, n=5):
    with commit(execute=True):
        stock.stock_adjust(sku=sku, delta=n, reason=StockMovement.Reason.RECEIVED, note="입고")


def test_an_item_in_stock_cannot_be_subscribed(user, product):
    with pytest.raises(NotSoldOut):
        services.restock_subscribe(user=user, product_id=product.pk)


def test_each_subscriber_is_emailed_once_when_stock_returns(smtp, sold_out, django_capture_on_commit_callbacks):  # noqa: F811
    customers = [UserFactory(), UserFactory()]
    for customer in customers:
        services.restock_subscribe(user=customer, product_id=sold_out.pk)

    _restock(sold_out.skus.get(), django_capture_on_commit_callbacks)
    _restock(sold_out.skus.get(), django_capture_on_commit_callbacks)

    assert sorted(m["To"] for m in smtp.messages) == sorted(c.email for c in customers)
    assert "재입고" in smtp.messages[0]["Subject"] and "품절 텀블러" in smtp.messages[0]["Subject"]
    assert RestockSubscription.objects.filter(notified_at=None).count() == 0


def test_a_rolled_back_restock_emails_nobody(smtp, user, sold_out, django_capture_on_commit_callbacks):  # noqa: F811
    services.restock_subscribe(user=user, product_id=sold_out.pk)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        stock.stock_adjust(sku=sold_out.skus.get(), delta=5, reason=StockMovement.Reason.RECEIVED)
        raise RuntimeError
    assert smtp.messages == []


def test_a_canceled_order_giving_stock_back_is_a_restock(smtp, user, django_capture_on_commit_callbacks):  # noqa: F811
    from orders import services as order_services
    from tests.payments.conftest import HOME

    product = ProductFactory(stock=1)
    order = order_services.order_place(user=UserFactory(), address=HOME, lines=[(product.skus.get().id, 1)])
    services.restock_subscribe(user=user, product_id=product.pk)

    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(order=order)

    assert [m["To"] for m in smtp.messages if "재입고" in m["Subject"]] == [user.email]


def test_an_option_alert_waits_for_that_option(smtp, user, django_capture_on_commit_callbacks):  # noqa: F811
    product = product_with_options(options={"색상": ["블랙", "화이트"]}, stock=0)
    black, white = sku_of(product, "블랙"), sku_of(product, "화이트")
    services.restock_subscribe(user=user, product_id=product.pk, sku_id=black.pk)

    _restock(white, django_capture_on_commit_callbacks)
    assert smtp.messages == []
    _restock(black, django_capture_on_commit_callbacks)
    assert len(smtp.messages) == 1 and "블랙" in smtp.messages[0].get_body(("plain",)).get_content()


def test_a_failed_send_is_retried_and_still_sent_once(smtp, user, sold_out, django_capture_on_commit_callbacks):  # noqa: F811
    services.restock_subscribe(user=user, product_id=sold_out.pk)
    smtp.refuse(1)

    _restock(sold_out.skus.get(), django_capture_on_commit_callbacks)

    assert len(smtp.messages) == 1
    assert RestockSubscription.objects.get().notified_at is not None


def test_a_second_run_of_the_task_sends_nothing_new(smtp, user, sold_out, django_capture_on_commit_callbacks):  # noqa: F811
    services.restock_subscribe(user=user, product_id=sold_out.pk)
    _restock(sold_out.skus.get(), django_capture_on_commit_callbacks)

    assert services.restock_notify(sku_ids=[sold_out.skus.get().pk]) == 0
    assert len(smtp.messages) == 1


def test_the_product_page_offers_the_alert_and_the_form_subscribes(client, user, sold_out):
    client.force_login(user)
    page = client.get(sold_out.get_absolute_url()).content.decode()
    assert reverse("wishlist:restock", args=[sold_out.pk]) in page

    client.post(reverse("wishlist:restock", args=[sold_out.pk]), {"next": sold_out.get_absolute_url()})

    assert RestockSubscription.objects.filter(user=user, product=sold_out, sku=None).exists()
    assert "restock-subscribed" in client.get(sold_out.get_absolute_url()).content.decode()


def test_the_api_subscribes_and_refuses_what_is_in_stock(user, sold_out, product):
    api = APIClient()
    api.force_authenticate(user)
    url = reverse("api:restock-alerts")

    assert api.post(url, {"product_id": sold_out.pk}, format="json").status_code == 201
    refused = api.post(url, {"product_id": product.pk}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "not_sold_out"
