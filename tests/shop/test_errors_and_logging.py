import logging

import pytest


@pytest.mark.urls("tests.shop.urls_failing")
def test_a_500_page_leaks_nothing(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get("/fail/", HTTP_X_REQUEST_ID="req-500-test")
    page = response.content.decode()
    assert response.status_code == 500
    assert "잠시 후 다시 시도해 주세요" in page
    assert "hunter2" not in page
    assert "Traceback" not in page
    assert any(getattr(r, "request_id", None) == "req-500-test" for r in caplog.records), (
        "the error is logged with its request id"
    )
