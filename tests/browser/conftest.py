"""Playwright driving Debian's Chromium against pytest-django's live server.

Every test gets a fresh page; screenshots go to SCREENSHOT_DIR (reports/screenshots by default), which CI keeps.
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def shoot(page, screenshot_dir, request):
    """shoot("name") saves a full-page screenshot named after the test and the step."""

    def save(step):
        page.screenshot(path=screenshot_dir / f"{request.node.name}-{step}.png", full_page=True)

    return save
