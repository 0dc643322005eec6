"""The fuzz tests' world: a small store with one of everything, a client per role, and the URL patterns."""

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.admindocs.views import simplify_regex
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, settings

from accounts.models import Address
from orders.models import CartItem
from tests.factories import AddressFactory, CategoryFactory, OrderFactory, ProductFactory, UserFactory

ROLES = ("anonymous", "customer", "staff")


def fuzz_settings(max_examples):
    """Repeatable (derandomized, no example database) and bounded; no shrinking: a failing request is
    reported as it was sent, and CI stays fast."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )


PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")
JSON_TYPES = ("application/json", "application/problem+json")
JSON_PREFIXES = ("/api/", "/_allauth/")


def url_routes():
    """Every URL pattern of the site as a path with ``<converter:name>`` placeholders, read at run time."""
    routes = []

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, route)
            else:
                routes.append(simplify_regex(route))

    walk(get_resolver(), "")
    return sorted(set(routes))


@dataclass
class World:
    customer: object
    staff: object
    values: dict  # placeholder name -> real values that resolve to the customer's or the store's objects

    def __post_init__(self):
        self.clients = {}

    def client(self, role):
        """A client logged in as ``role``, kept across requests and logged in again if a request logged it out."""
        client = self.clients.get(role)
        session = client and client.cookies.get(django_settings.SESSION_COOKIE_NAME)
        if client is None or (role != "anonymous" and (session is None or session.value != client.logged_in_as)):
            client = self.clients[role] = Client()
            if role != "anonymous":
                client.force_login(getattr(self, role))
            client.logged_in_as = (
                client.cookies[django_settings.SESSION_COOKIE_NAME].value if role != "anonymous" else None
            )
        return client

    def fill(self, route, pick):
        """The route with each placeholder replaced by ``pick(converter, name, real_values)``."""

        def replace(match):
            converter, name = match.groups()
            return quote(str(pick(converter, name, self.values.get(name, self.values["id"]))), safe="")

        return PLACEHOLDER.sub(replace, route)


@pytest.fixture(scope="module")
def _world_rows(django_db_setup, django_db_blocker):
    """The world's rows, made once a module in a transaction rolled back after its last test. Each test runs in
    a savepoint inside it (pytest-django's ``db``), so every test starts from these same rows, as if they were
    made for it. Building them takes 30-50 ms, which each of the 300-odd URL patterns paid."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # pbkdf2 would take ~0.5 s a user here: the suite's test hasher (tests/conftest.py) is not set yet.
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                rows = _world_rows_make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield rows
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(db, _world_rows):
    """The world, with clients of its own: the sessions of earlier tests were rolled back with them."""
    return World(**_world_rows)


def _world_rows_make():
    category = CategoryFactory(slug="laptops")
    product = ProductFactory(category=category, slug="laptop")
    draft = ProductFactory(category=category, slug="draft", status="draft")
    customer = UserFactory(email="customer@example.com")
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    address = AddressFactory(user=customer, is_default=True)
    order = OrderFactory(user=customer)
    sku = product.skus.get()
    item = CartItem.objects.create(user=customer, sku=sku, quantity=1)
    ids = [product.id, sku.id, draft.id, address.id, item.id, order.id, customer.id, category.id]
    values = {
        "id": ids,
        "slug": [product.slug, category.slug, draft.slug],
        "number": [order.number],
        "app_label": ["catalog", "orders", "accounts"],
        "path": ["x.png", "../settings.py"],
        "url": ["nothing/here/"],
        "key": ["abc"],
        "uidb36": ["1"],
        "content_type_id": ids,
        "object_id": ids,
    }
    assert Address.objects.filter(user=customer).exists()
    return {"customer": customer, "staff": staff, "values": values}


def send(client, method, path, *, query=None, body=None, headers=None):
    """One request through the test client; ``body`` is (content type, bytes) or ("form", dict)."""
    kwargs = {"headers": headers} if headers else {}
    if body is not None:
        content_type, data = body
        if content_type == "form":
            kwargs["data"] = data
            if method not in ("GET", "POST"):
                kwargs["content_type"] = "application/x-www-form-urlencoded"
                kwargs["data"] = "&".join(f"{quote(str(k))}={quote(str(v))}" for k, v in data.items())
        else:
            kwargs["data"], kwargs["content_type"] = data, content_type
    if query:
        path = path + "?" + "&".join(f"{quote(str(k), safe='')}={quote(str(v), safe='')}" for k, v in query.items())
    return getattr(client, method.lower())(path, **kwargs)


def assert_answered_well(response, method, path):
    """No server error; under the APIs, every error is JSON in that API's shape."""
    where = f"{method} {path[:200]}"
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    if response.status_code < 400 or not path.startswith(JSON_PREFIXES):
        return
    content_type = response.get("Content-Type", "")
    assert content_type.startswith(JSON_TYPES), f"{where} answered {response.status_code} as {content_type}"
    body = json.loads(response.content)
    if path.startswith("/api/"):
        assert {"code", "message"} <= set(body), f"{where} answered {body}"
    else:
        assert body.get("status") == response.status_code, f"{where} answered {body}"
