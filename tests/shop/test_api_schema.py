"""The OpenAPI schema: valid, warning-free, every operation tagged and identified stably, every error described."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

# Operation ids are the names generated clients call: one that disappears or changes breaks the app.
STABLE_OPERATION_IDS = {
    "addresses_create",
    "addresses_destroy",
    "addresses_list",
    "addresses_partial_update",
    "addresses_retrieve",
    "addresses_set_default_create",
    "addresses_update",
    "cart_items_create",
    "cart_items_destroy",
    "cart_items_update",
    "cart_retrieve",
    "catalog_categories_list",
    "catalog_category_products_list",
    "catalog_products_list",
    "catalog_products_retrieve",
    "catalog_search",
    "me_retrieve",
    "orders_cancel",
    "orders_create",
    "orders_list",
    "orders_payment_retrieve",
    "orders_retrieve",
    "payments_toss_confirm",
}


def _spectacular(*arguments):
    # A subprocess: drf-spectacular reports each warning once per process, so in-process a warning another test
    # triggered first would go unnoticed.
    return subprocess.run(
        [sys.executable, "manage.py", "spectacular", *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def schema():
    generated = _spectacular("--format", "openapi-json")
    assert generated.returncode == 0, generated.stderr
    return json.loads(generated.stdout)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_the_openapi_schema_is_valid_and_warning_free():
    validated = _spectacular("--validate", "--fail-on-warn", "--file", "/dev/null")
    assert validated.returncode == 0, validated.stderr


def test_operation_ids_are_unique_and_none_disappears(schema):
    ids = [operation["operationId"] for _, _, operation in _operations(schema)]
    assert len(ids) == len(set(ids))
    assert set(ids) >= STABLE_OPERATION_IDS


def test_every_operation_is_tagged_with_a_described_area(schema):
    areas = {tag["name"] for tag in schema["tags"]}
    assert areas == {"catalog", "accounts", "orders", "payments", "pricing", "reviews", "wishlist"}
    for path, method, operation in _operations(schema):
        assert set(operation["tags"]) <= areas, (method, path, operation["tags"])


def test_every_error_is_described_in_the_error_shape(schema):
    for path, method, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert response.get("description"), (method, path, status)
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_every_protected_operation_documents_its_401(schema):
    for path, method, operation in _operations(schema):
        if {} not in operation.get("security", [{}]):
            assert "401" in operation["responses"], (method, path)


def test_every_operation_with_input_documents_its_400(schema):
    for path, method, operation in _operations(schema):
        has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        if has_query or "requestBody" in operation:
            assert "400" in operation["responses"], (method, path)


@pytest.mark.django_db
def test_swagger_ui_is_served_offline(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()


@pytest.mark.django_db
def test_redoc_is_served_offline(client):
    response = client.get("/api/v1/redoc/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "redoc" in page.lower()
    assert "cdn" not in page.lower()
    assert "/api/v1/schema/" in page


def test_every_error_response_has_an_example_in_the_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    examples = response["content"]["application/json"]["examples"]
                    assert examples, (method, path, status)
                    for example in examples.values():
                        assert set(example["value"]) == {"code", "message", "details"}, (method, path, status)


# Operations that take files (a review's photos) are documented as multipart too; every other body is JSON only.
UPLOADS = {("/api/v1/reviews/", "post")}


def test_request_bodies_are_documented_as_json_only(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                expected = {"application/json"} | ({"multipart/form-data"} if (path, method) in UPLOADS else set())
                assert set(operation["requestBody"]["content"]) == expected, (method, path)
