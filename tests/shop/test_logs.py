"""Log lines say whose request they belong to: the request id, the user and the order, as JSON in production;
and a Celery task logs the id of the request that queued it."""

import io
import json
import logging

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from shop.logs import JsonFormatter, LogContextFilter
from shop.middleware import request_id_var


@pytest.fixture
def json_log():
    """The lines the request logger writes, formatted as production formats them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LogContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_json_log_line_carries_the_request_id_user_id_and_order_number(client, user, json_log):
    client.force_login(user)

    response = client.get("/orders/20990101-NOSUCH/", HTTP_X_REQUEST_ID="req-json-1")

    assert response.status_code == 404
    (line,) = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["request_id"] == "req-json-1"
    assert line["user_id"] == user.pk
    assert line["order_number"] == "20990101-NOSUCH"
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_a_customer_refused_for_stock_writes_no_warning_but_a_bad_request_does(json_log, user):
    from rest_framework.test import APIClient

    from tests.factories import ORDER_ADDRESS, ProductFactory

    api = APIClient()
    api.force_authenticate(user)
    sku = ProductFactory(stock=1).skus.get()

    refused = api.post(
        "/api/v1/orders/", {"lines": [{"sku_id": sku.id, "quantity": 2}], "address": ORDER_ADDRESS}, "json"
    )
    invalid = api.post("/api/v1/orders/", {"lines": []}, format="json")

    assert (refused.status_code, invalid.status_code) == (409, 400)
    assert [line["message"] for line in json_log()] == ["Bad Request: /api/v1/orders/"]


@pytest.mark.django_db
def test_an_anonymous_request_logs_no_user_id(client, json_log):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-json-2")

    (line,) = json_log()
    assert line["request_id"] == "req-json-2"
    assert "user_id" not in line and "order_number" not in line


def test_an_exception_is_logged_with_its_traceback_in_one_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("shop", logging.ERROR, __file__, 1, "failed", None, exc_info=True)
        record.exc_info = __import__("sys").exc_info()
    LogContextFilter().filter(record)

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]


def test_a_task_logs_the_request_id_of_the_request_that_queued_it():
    """Through a real broker round trip (kombu's in-memory transport) and a worker: the id travels as a header."""
    app = Celery("request-id-test", broker="memory://", backend="cache+memory://", set_as_current=False)
    seen = {}

    @app.task(name="tests.remember_request_id")
    def remember_request_id():
        seen["request_id"] = request_id_var.get()
        return seen["request_id"]

    token = request_id_var.set("req-from-web")
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = remember_request_id.delay()
            assert result.get(timeout=10) == "req-from-web"
    finally:
        request_id_var.reset(token)
    assert seen["request_id"] == "req-from-web"
