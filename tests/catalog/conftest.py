import pytest

from catalog.search import vocabulary
from tests.factories import CategoryFactory, ProductFactory


@pytest.fixture(autouse=True)
def _fresh_search_vocabulary():
    """The search vocabulary lives in process memory for minutes: each test loads its own catalogue's."""
    vocabulary.forget()
    yield
    vocabulary.forget()


@pytest.fixture
def parent_with_two_leaves():
    """A parent category over two leaves; 11 products with ties on price and name, 4 of them sold out."""
    parent = CategoryFactory(slug="parent")
    leaves = [CategoryFactory(slug=f"leaf-{i}", parent=parent) for i in range(2)]
    for i in range(11):
        ProductFactory(
            category=leaves[i % 2], price=1000 * (i % 3 + 1), name=f"상품 {i % 4}", stock=0 if i % 3 == 0 else 5
        )
    return [parent.id, *(leaf.id for leaf in leaves)]
