import pytest

from catalog.search import vocabulary


@pytest.fixture(autouse=True)
def _fresh_search_vocabulary():
    """The search vocabulary lives in process memory for minutes: each test loads its own catalogue's."""
    vocabulary.forget()
    yield
    vocabulary.forget()
