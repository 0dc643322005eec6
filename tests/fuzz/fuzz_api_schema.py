"""Property-based fuzzing of the live OpenAPI schema with schemathesis (``make fuzz``).

Every operation of ``/api/v1/schema/`` (read from the running app, not from a file) is called with generated
requests, valid and invalid, authenticated as a customer by an ``X-Session-Token`` made on the server; every
check schemathesis has runs on each answer: no 5xx, the body matches the schema, every status it returns is
documented, the content type is the documented one, and invalid input is refused. Not the reverse
(``positive_data_acceptance``): rules across fields or against the data (min_price at most max_price, a cursor
this server signed, a SKU of that product with stock) cannot be written in OpenAPI, so a request valid by the
schema alone is rightly refused with a documented 400. Then a stateful run follows
the links schemathesis infers (a created address read, changed and deleted by its id).

The app is called in process through Django's test handler, on the test database of this run (so it works on
SQLite and on MariaDB + Redis alike and leaves nothing behind); the seed and the number of examples per
operation are fixed, so a CI run is repeatable. The file is not named ``test_*``: ``make test`` does not run it,
``make fuzz`` does.
"""

import os
from importlib import import_module

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import override_settings
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import positive_data_acceptance

from orders.models import CartItem
from tests.factories import (
    AddressFactory,
    CategoryFactory,
    OrderFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
)

SEED = 20261201
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "10"))
EXAMPLES = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def app(environ, start_response):
    """The store as a WSGI app through Django's test handler, which keeps the test's database connection open
    between requests (the plain WSGI handler closes it after each one, losing the test's transaction)."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = [*response.items(), *(("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values())]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return [response.content]


@pytest.fixture(scope="module")
def customer_token(django_db_setup, django_db_blocker, tmp_path_factory):
    """A customer with an address, a cart line and an order, and their session token, made in the session
    store as allauth's log-in would (no password round trip).

    Made once for the module and committed (each operation's test then runs in a transaction rolled back after
    it): an image's renditions take a while to make. ``make fuzz`` runs this module alone, on a test database
    dropped at the end.
    """
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        customer = UserFactory(email="fuzz@example.com")
        category = CategoryFactory(slug="laptops")
        product = ProductFactory(category=category, slug="laptop")
        ProductImageFactory(product=product)
        ProductFactory(category=category, slug="bag")
        AddressFactory(user=customer, is_default=True)
        OrderFactory(user=customer)
        CartItem.objects.create(user=customer, sku=product.skus.get(), quantity=1)
        session = import_module(django_settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(customer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = customer.get_session_auth_hash()
        session.create()
    CustomerToken.token = session.session_key
    return session.session_key


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    """Throttles answer 429 long before the examples run out; they have tests of their own."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "100000/min")}


# Loaded when the module is collected, from the app itself (the schema view reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)


@schema.auth()
class CustomerToken:
    """Every request carries the customer's X-Session-Token; schemathesis knows it as the authentication, so its
    check that a request without valid credentials is refused (401) removes or spoils it."""

    token = None

    def get(self, case, context):
        return CustomerToken.token

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "X-Session-Token": data}


@pytest.mark.django_db
@schema.parametrize()
@seed(SEED)
@EXAMPLES
def test_every_operation_answers_as_documented(case, customer_token):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@pytest.mark.django_db
def test_workflows_across_operations_answer_as_documented(customer_token):
    """Stateful: sequences that feed one answer into the next request (links schemathesis infers from the
    schema, such as an address created, then read, changed and deleted by its id)."""
    workflow = schema.as_state_machine()

    class CustomerWorkflow(workflow):
        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

    print("state machine bundles:", list(workflow.bundles))
    run_state_machine_as_test(
        CustomerWorkflow,
        settings=settings(EXAMPLES, max_examples=STATEFUL_EXAMPLES, stateful_step_count=6),
    )
