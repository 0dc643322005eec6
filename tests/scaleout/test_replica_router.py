"""Where shop/replicas.py sends each read, without a replica server: the router is asked directly inside a request
served by its middleware (the real replication is tests/scaleout/test_read_replicas.py, on MariaDB)."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from catalog.models import Category, Product, SearchToken
from orders.models import Order
from shop import replicas

pytestmark = pytest.mark.django_db(transaction=True)
ROUTER = replicas.ReplicaRouter()


@pytest.fixture(autouse=True)
def _replica_answers(monkeypatch, settings):
    settings.REPLICA_PIN_SECONDS = 5
    monkeypatch.setattr(replicas, "replica_available", lambda: True)


def _serve(view, cookies=None):
    """Run view() inside the middleware; returns (what the view returned, the response)."""
    seen = {}
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})

    def get_response(request):
        seen["result"] = view()
        return HttpResponse()

    response = replicas.ReplicaReadsMiddleware(get_response)(request)
    return seen["result"], response


def test_catalog_and_search_reads_of_a_request_go_to_the_replica():
    result, response = _serve(lambda: [ROUTER.db_for_read(m) for m in (Product, Category, SearchToken)])
    assert result == ["replica"] * 3
    assert replicas.PIN_COOKIE not in response.cookies


def test_orders_are_read_from_the_primary_even_in_a_request():
    result, _ = _serve(lambda: ROUTER.db_for_read(Order))
    assert result == "default"


def test_reads_after_the_request_s_own_write_go_to_the_primary_and_pin_the_customer():
    def view():
        before = ROUTER.db_for_read(Product)
        Category.objects.create(name="가방", slug="bags")
        return before, ROUTER.db_for_read(Product)

    result, response = _serve(view)
    assert result == ("replica", "default")
    assert response.cookies[replicas.PIN_COOKIE]["max-age"] == 5


def test_a_pinned_customer_reads_the_primary_and_is_not_pinned_again_without_a_write():
    result, response = _serve(lambda: ROUTER.db_for_read(Product), cookies={replicas.PIN_COOKIE: "1"})
    assert result == "default"
    assert replicas.PIN_COOKIE not in response.cookies


def test_reads_inside_a_transaction_go_to_the_primary():
    def view():
        with transaction.atomic():
            return ROUTER.db_for_read(Product)

    assert _serve(view)[0] == "default"


def test_reads_outside_a_web_request_go_to_the_primary():
    assert ROUTER.db_for_read(Product) == "default"


def test_reads_inside_primary_reads_go_to_the_primary():
    def view():
        with replicas.primary_reads():
            inside = ROUTER.db_for_read(Product)
        return inside, ROUTER.db_for_read(Product)

    assert _serve(view)[0] == ("default", "replica")


class _RecordingRouter(replicas.ReplicaRouter):
    """Where the real router would send each read; every read still goes to the primary (no replica server)."""

    routed: list = []

    def db_for_read(self, model, **hints):
        self.routed.append((model.__name__, super().db_for_read(model, **hints)))
        return "default"


def test_an_order_is_priced_from_the_primary_though_its_lines_are_read_before_its_transaction(settings):
    """A replica lags: an order priced from it would charge yesterday's price, or sell a product just hidden."""
    from orders import services
    from tests.factories import ORDER_ADDRESS, ProductFactory, UserFactory

    settings.DATABASE_ROUTERS = ["tests.scaleout.test_replica_router._RecordingRouter"]
    _RecordingRouter.routed = []
    sku, user = ProductFactory(stock=5).skus.get(), UserFactory()
    order, _ = _serve(lambda: services.checkout(user=user, new_address=ORDER_ADDRESS, lines=[(sku.id, 1)]))
    assert order.lines.get().sku_id == sku.id
    assert ("Sku", "default") in _RecordingRouter.routed
    assert not [read for read in _RecordingRouter.routed if read[1] == "replica"], _RecordingRouter.routed
