import pytest

from config.celery import app as celery_app


@pytest.fixture
def celery_eager():
    """Tasks run in the caller (on_commit callbacks included), as a worker would run them."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
