"""Fixtures and service markers shared by the whole suite.

Tests marked ``mariadb``, ``redis`` or ``rabbitmq`` are deselected when that service is not configured
(DATABASE_URL is not mysql://, REDIS_URL or RABBITMQ_URL unset) and run when it is: a configured service that is down fails them, never skips.
With SERVICE_TESTS_REPORT=path, the run writes how many marked tests passed, so .ci/run can check they ran.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from catalog import stock
from config.celery import app as celery_app
from pricing import selectors as pricing_selectors
from tests.factories import CategoryFactory, ProductFactory, UserFactory

# Tasks the code queues go to an in-memory broker that nobody consumes: tests run tasks by calling them, and the
# development broker folder (var/celery) is never written by a test run.
celery_app.conf.broker_url = "memory://"

SERVICE_MARKERS = ("mariadb", "redis", "rabbitmq")
CHROMIUM = "/usr/bin/chromium"


def _service_configured(marker):
    if marker == "mariadb":
        return os.environ.get("DATABASE_URL", "").startswith("mysql")
    if marker == "rabbitmq":
        return bool(os.environ.get("RABBITMQ_URL"))
    return bool(os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        needs = [m for m in SERVICE_MARKERS if item.get_closest_marker(m)]
        missing_browser = item.get_closest_marker("browser") and not Path(CHROMIUM).exists()
        if missing_browser and os.environ.get("REQUIRE_BROWSER"):
            raise pytest.UsageError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        if all(_service_configured(m) for m in needs) and not missing_browser:
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


_service_outcomes = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if not any(m in report.keywords for m in SERVICE_MARKERS):
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _service_outcomes[report.outcome] += 1


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("SERVICE_TESTS_REPORT")
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(_service_outcomes))


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Cheap password hashing, a clean cache (allauth's rate limits live there) and a private media folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    # What this process remembers of sold-out flags (catalog.stock, for orders.gate) went with the cache.
    stock._flag_seen.clear()
    # The surcharge table this process read (pricing.selectors) may hold a rolled-back test's rows.
    pricing_selectors.surcharge_table_clear()
    # No shipping fee unless a test asks for one (the ``shipping_fees`` fixture): the tests from before pricing count
    # goods alone, and the pricing tests say which fee and threshold they mean.
    settings.SHIPPING_BASE_FEE = 0


@pytest.fixture
def shipping_fees(settings):
    """Shipping as the store charges it by default: 3,000원, free from 50,000원 of goods after discounts."""
    settings.SHIPPING_BASE_FEE = 3000
    settings.SHIPPING_FREE_THRESHOLD = 50000
    return settings


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Tasks queued by the code under test (``transaction.on_commit(task.delay)``) run in place, as a worker
    would run them, instead of piling up in the development broker's folder."""
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def category_tree(db):
    """가전 > 컴퓨터 > 노트북, the three levels the old store used."""
    root = CategoryFactory(name="가전", slug="appliances")
    middle = CategoryFactory(name="컴퓨터", slug="computers", parent=root)
    leaf = CategoryFactory(name="노트북", slug="laptops", parent=middle)
    return root, middle, leaf


@pytest.fixture
def product(db):
    return ProductFactory()


@pytest.fixture
def toss(settings):
    """The local Toss Payments fake (tests/payments/fake_toss.py), with the store's client pointed at it."""
    from tests.payments.fake_toss import FakeToss

    fake = FakeToss().start()
    settings.TOSS_API_BASE = fake.url
    settings.TOSS_SECRET_KEY = fake.secret_key
    settings.TOSS_READ_TIMEOUT = 1.0
    settings.TOSS_CONNECT_TIMEOUT = 1.0
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def screenshot_dir():
    path = Path(os.environ.get("SCREENSHOT_DIR", "reports/screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def chromium_available():
    return shutil.which(CHROMIUM) is not None
