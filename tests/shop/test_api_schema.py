import pytest
from django.core.management import call_command


def test_the_openapi_schema_is_valid_and_warning_free(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/orders/" in (tmp_path / "schema.yml").read_text()


@pytest.mark.django_db
def test_swagger_ui_is_served_offline(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
