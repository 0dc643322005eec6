"""Read replicas on real MariaDB replication: a private primary and replica (tests/scaleout/mariadb_pair.py)
behind one gunicorn instance of the store with DATABASE_REPLICA_URL set (shop/replicas.py).

Replication is stopped to make the replica lag on purpose: then the replica's stale answers show which server
a read went to.
"""

import json
import subprocess
import sys

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection

from tests.factories import ORDER_ADDRESS

from .mariadb_pair import caught_up, replicated_pair
from .servers import ROOT, start_gunicorn, store_environment, wait_for_store

# django_db: pytest-django creates the test database (whose schema the primary copies) only for tests that ask.
pytestmark = [pytest.mark.mariadb, pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture(scope="module")
def replicated_store(django_db_setup, django_db_blocker, tmp_path_factory):
    """The store on a primary with the test database's schema and a replica following it; and the seed data."""
    directory = tmp_path_factory.mktemp("replicas")
    primary, replica = replicated_pair(directory)
    server = None
    try:
        with django_db_blocker.unblock():
            schema = subprocess.run(
                ["mariadb-dump", "--no-defaults", "-h", "127.0.0.1", "-u", "root", "--no-data",
                 connection.settings_dict["NAME"]], capture_output=True, text=True, check=True, timeout=120,
            ).stdout  # fmt: skip
        primary.sql("CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        subprocess.run(["mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", str(primary.port), "-u", "root", "shop"],
                       input=schema, text=True, check=True, timeout=120)  # fmt: skip
        env = store_environment(
            database_url=primary.url("shop"),
            redis_url=django_settings.REDIS_URL,
            secret_key=django_settings.SECRET_KEY,
            DATABASE_REPLICA_URL=replica.url("shop"),
            REPLICA_RETRY_SECONDS="1",
        )
        seed = subprocess.run([sys.executable, "-m", "tests.scaleout.seed"], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=True, timeout=120)  # fmt: skip
        data = json.loads(seed.stdout.strip().splitlines()[-1])
        assert caught_up(primary, replica)
        server, url = start_gunicorn(env=env, log=directory / "web.log", threads=2)
        wait_for_store(server, url)
        yield {"url": url, "primary": primary, "replica": replica, **data}
    finally:
        if server is not None:
            server.stop()
        replica.stop()
        primary.stop()


def _product(http, store):
    response = http.get(f"{store['url']}/api/v1/products/{store['slug']}/", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["product"]


def _search(store, words):
    response = requests.get(f"{store['url']}/api/v1/search/", params={"q": words}, timeout=30)
    assert response.status_code == 200, response.text
    return response.text


def test_catalog_reads_of_a_visitor_are_served_by_the_replica(replicated_store):
    store, primary, replica = replicated_store, replicated_store["primary"], replicated_store["replica"]
    replica.sql("STOP SLAVE")
    try:
        primary.sql(f"UPDATE catalog_product SET name = '새 이름' WHERE id = {store['product_id']}", database="shop")
        primary.sql(f"DELETE FROM catalog_searchtoken WHERE product_id = {store['product_id']}", database="shop")
        assert _product(requests, store)["name"] == "원래 이름"  # the replica has not seen the change
        assert store["slug"] in _search(store, "원래")  # nor the product leaving the search index
    finally:
        replica.sql("START SLAVE")
    assert caught_up(primary, replica)
    assert _product(requests, store)["name"] == "새 이름"
    assert store["slug"] not in _search(store, "원래")


def test_a_customer_sees_their_own_order_and_its_effect_at_once_while_the_replica_lags(replicated_store):
    store, primary, replica = replicated_store, replicated_store["primary"], replicated_store["replica"]
    customer = requests.Session()
    customer.headers["X-Session-Token"] = store["token"]
    replica.sql("STOP SLAVE")
    try:
        body = {"lines": [{"product_id": store["product_id"], "quantity": 1}], "address": ORDER_ADDRESS}
        placed = customer.post(f"{store['url']}/api/v1/orders/", json=body, timeout=30)
        assert placed.status_code == 201, placed.text
        number = placed.json()["number"]

        assert customer.get(f"{store['url']}/api/v1/orders/{number}/", timeout=30).status_code == 200
        assert number in customer.get(f"{store['url']}/api/v1/orders/", timeout=30).text
        assert _product(customer, store)["stock_state"] == "sold_out"  # the customer's next request: the primary
        assert _product(requests, store)["stock_state"] != "sold_out"  # anyone else: the lagging replica
        assert replica.sql(f"SELECT COUNT(*) FROM orders_order WHERE number = '{number}'", database="shop") == "0"
    finally:
        replica.sql("START SLAVE")
    assert caught_up(primary, replica)
    assert _product(requests, store)["stock_state"] == "sold_out"


def test_the_catalog_is_served_from_the_primary_while_the_replica_is_down(replicated_store):
    store, primary, replica = replicated_store, replicated_store["primary"], replicated_store["replica"]
    _product(requests, store)  # the store now keeps a connection to the replica
    replica.stop()
    primary.sql(f"UPDATE catalog_product SET name = '장애 중 이름' WHERE id = {store['product_id']}", database="shop")

    assert _product(requests, store)["name"] == "장애 중 이름"
    assert requests.get(f"{store['url']}/", timeout=30).status_code == 200
    assert requests.get(f"{store['url']}/search/", params={"q": "이름"}, timeout=30).status_code == 200
