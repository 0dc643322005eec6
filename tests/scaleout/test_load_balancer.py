"""Two gunicorn instances of the store behind a real HAProxy (round-robin), on one MariaDB and one Redis.

A customer's whole journey alternates between the instances, so every step needs what an earlier step left
on the other one (session, cart, CSRF secret, the sign-up awaiting its e-mail confirmation, the checkout token,
the order awaiting payment): nothing the store needs lives in one process's memory. Concurrent buyers spread
over both instances oversell nothing.
"""

import email
import itertools
import re
import threading
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection

from catalog.models import Sku
from orders.models import Order
from payments.models import Payment
from tests.accounts.conftest import SIGNUP_DETAILS
from tests.factories import ORDER_ADDRESS, ProductFactory, UserFactory, stock_of
from tests.payments.fake_toss import FakeToss

from .servers import start_gunicorn, start_haproxy, store_environment, wait_for_store

pytestmark = [pytest.mark.mariadb, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="module")
def toss_fake():
    fake = FakeToss().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def balanced_store(django_db_setup, django_db_blocker, toss_fake, tmp_path_factory):
    """HAProxy on a loopback port in front of two gunicorn instances (one worker, four threads each)."""
    directory = tmp_path_factory.mktemp("balanced")
    mail = directory / "mail"
    mail.mkdir()
    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
    env = store_environment(
        database_url=f"mysql://root@127.0.0.1:3306/{database}",
        redis_url=django_settings.REDIS_URL,
        secret_key=django_settings.SECRET_KEY,
        TOSS_API_BASE=toss_fake.url,
        TOSS_SECRET_KEY=toss_fake.secret_key,
        EMAIL_URL=f"filemail:///{mail}",
    )
    instances = [start_gunicorn(env=env, log=directory / f"web{n}.log") for n in (1, 2)]
    balancer = None
    try:
        for process, url in instances:
            wait_for_store(process, url)
        balancer, url = start_haproxy([url for _, url in instances], directory=directory)
        yield url, mail
    finally:
        for process in [balancer, *(p for p, _ in instances)]:
            if process is not None:
                process.stop()


class Customer:
    """A browser: one cookie jar, every request through the balancer, remembering which instance answered."""

    def __init__(self, base):
        self.base, self.http, self.served_by = base, requests.Session(), []

    def _record(self, response):
        for step in [*response.history, response]:
            self.served_by.append(step.headers["X-Served-By"])
        return response

    def get(self, path, **kwargs):
        return self._record(self.http.get(self.base + path, timeout=30, **kwargs))

    def post(self, path, data, **kwargs):
        data = {**data, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")}
        return self._record(self.http.post(self.base + path, data=data, headers={"Referer": self.base}, timeout=30,
                                           **kwargs))  # fmt: skip


def _confirmation_path(mail: Path, address: str) -> str:
    for path in sorted(mail.iterdir()):
        for entry in path.read_text().split("-" * 79):
            message = email.message_from_string(entry.strip())
            if address not in (message["To"] or ""):
                continue
            for part in message.walk():
                body = part.get_payload(decode=True)
                found = body and re.search(rb"/accounts/confirm-email/[^/\s]+/", body)
                if found:
                    return found.group().decode()
    raise AssertionError(f"no confirmation mail to {address}")


def test_a_customer_journey_alternating_between_two_instances_signs_up_orders_and_pays(balanced_store, toss_fake):
    base, mail = balanced_store
    product = ProductFactory(price=12_900, stock=5, name="여행용 가방")
    shopper = Customer(base)

    assert shopper.get(f"/products/{product.slug}/").status_code == 200
    address = "journey@example.com"
    signup = shopper.post(
        "/accounts/signup/", {"email": address, "password1": PASSWORD, "password2": PASSWORD, **SIGNUP_DETAILS}
    )
    assert signup.status_code == 200 and "/accounts/confirm-email/" in signup.url
    confirm = _confirmation_path(mail, address)
    assert shopper.get(confirm).status_code == 200
    assert shopper.post(confirm, {}).status_code == 200
    assert shopper.post("/cart/add/", {"product_id": product.id, "quantity": 2}).status_code == 200
    assert "여행용 가방" in shopper.get("/cart/").text

    checkout_page = shopper.get("/checkout/")
    token = re.search(r'name="token" value="([^"]+)"', checkout_page.text).group(1)
    form = {"choice": "new", **ORDER_ADDRESS, "token": token}
    placed = shopper.post("/checkout/", form)
    number = re.search(r"/orders/([^/]+)/$", placed.url).group(1)
    resubmitted = shopper.post("/checkout/", form)  # the same page submitted again, to the other instance
    assert resubmitted.url == placed.url

    widget = dict(re.findall(r'data-(amount|order-id|success-url)="([^"]+)"', placed.text))
    total = 25_800 + 3_000  # two bags, and the production shipping fee under the free-shipping threshold
    assert (widget["order-id"], widget["amount"]) == (number, str(total))
    payment_key = toss_fake.authenticate(order_id=number, amount=total)
    paid = shopper.get(widget["success-url"].removeprefix(base).replace("&amp;", "&"),
                       params={"paymentKey": payment_key, "orderId": number, "amount": total})  # fmt: skip
    assert paid.status_code == 200 and paid.url.endswith(f"/orders/{number}/")
    assert number in shopper.get("/orders/").text

    order = Order.objects.get(number=number)
    assert (order.user.email, order.status, order.total) == (address, Order.Status.PAID, total)
    assert Payment.objects.get(order=order).status == Payment.Status.DONE
    assert toss_fake.executed["confirm", payment_key] == 1
    assert stock_of(product) == 3
    assert Order.objects.count() == 1
    assert set(shopper.served_by) == {"web1", "web2"}
    assert all(a != b for a, b in itertools.pairwise(shopper.served_by)), shopper.served_by


def _session_token(user):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})  # fmt: skip
    session.create()
    return session.session_key


def test_twenty_concurrent_buyers_over_both_instances_take_exactly_the_five_in_stock(balanced_store):
    base, _ = balanced_store
    product = ProductFactory(price=9_900, stock=5)
    tokens = [_session_token(UserFactory()) for _ in range(20)]
    barrier, outcomes = threading.Barrier(len(tokens)), []

    def buy(token):
        body = {"lines": [{"product_id": product.id, "quantity": 1}], "address": ORDER_ADDRESS}
        barrier.wait(timeout=30)
        response = requests.post(f"{base}/api/v1/orders/", json=body, headers={"X-Session-Token": token}, timeout=60)
        outcomes.append((response.status_code, response.headers["X-Served-By"], response.json().get("code")))

    threads = [threading.Thread(target=buy, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _, _ in outcomes)
    assert statuses == [201] * 5 + [409] * 15, outcomes
    assert {code for status, _, code in outcomes if status == 409} == {"out_of_stock"}
    assert {server for _, server, _ in outcomes} == {"web1", "web2"}
    assert Order.objects.count() == 5
    assert Sku.objects.get(product=product).stock == 0
