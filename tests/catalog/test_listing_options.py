"""Option filters in category listings (issue 16): facets from what is in stock, matched on one buyable SKU."""

import pytest

from catalog import stock
from catalog.models import StockMovement
from tests.factories import CategoryFactory, ProductFactory, product_with_options, sku_of

pytestmark = pytest.mark.django_db

SHOES = {"색상": ["블랙", "화이트"], "사이즈": ["250", "260"]}


@pytest.fixture
def shoes():
    category = CategoryFactory(slug="shoes")
    black_260 = product_with_options(options=SHOES, category=category, name="블랙 260 있음")
    # Every SKU in stock except black 260.
    no_black_260 = product_with_options(options=SHOES, category=category, name="블랙 260 없음")
    stock.stock_adjust(sku=sku_of(no_black_260, "블랙", "260"), delta=-5, reason=StockMovement.Reason.CORRECTION)
    plain = ProductFactory(category=category, name="옵션 없음")
    return category, black_260, no_black_260, plain


def _names(response):
    return {product.name for product in response.context["results"].products}


def test_the_drawer_offers_each_option_with_its_values_in_order(client, shoes):
    category, *_ = shoes
    response = client.get(category.get_absolute_url())
    facets = [(facet.name, facet.values) for facet in response.context["facets"]]
    assert facets == [("색상", ["블랙", "화이트"]), ("사이즈", ["250", "260"])]
    assert 'name="option" value="사이즈:260"' in response.content.decode()


def test_one_value_finds_products_with_that_value_in_stock(client, shoes):
    category, *_ = shoes
    response = client.get(category.get_absolute_url(), {"option": "사이즈:250"})
    assert _names(response) == {"블랙 260 있음", "블랙 260 없음"}


def test_two_options_must_meet_on_one_sku_a_customer_can_buy(client, shoes):
    category, *_ = shoes
    response = client.get(category.get_absolute_url(), {"option": ["색상:블랙", "사이즈:260"]})
    assert _names(response) == {"블랙 260 있음"}
    assert 'value="사이즈:260" checked' in response.content.decode()


def test_two_values_of_one_option_are_either(client, shoes):
    category, black_260, *_ = shoes
    for name in ("250", "260"):
        stock.stock_adjust(sku=sku_of(black_260, "블랙", name), delta=-5, reason=StockMovement.Reason.CORRECTION)
    response = client.get(category.get_absolute_url(), {"option": ["색상:블랙", "사이즈:250", "사이즈:260"]})
    assert _names(response) == {"블랙 260 없음"}


def test_a_value_sold_out_everywhere_is_not_offered(client, shoes):
    category, black_260, no_black_260, _ = shoes
    for product in (black_260, no_black_260):
        for colour in ("블랙", "화이트"):
            sku = sku_of(product, colour, "250")
            stock.stock_set(sku=sku, target=0, reason=StockMovement.Reason.CORRECTION)
    facets = {facet.name: facet.values for facet in client.get(category.get_absolute_url()).context["facets"]}
    assert facets["사이즈"] == ["260"]


def test_an_unknown_option_value_is_reported_and_ignored(client, shoes):
    category, *_ = shoes
    response = client.get(category.get_absolute_url(), {"option": "사이즈:999"})
    assert response.status_code == 200
    assert response.context["form"].errors["option"]
    assert _names(response) == {"블랙 260 있음", "블랙 260 없음", "옵션 없음"}


def test_option_filters_combine_with_price_and_keep_to_the_category(client, shoes):
    category, black_260, *_ = shoes
    other = product_with_options(options=SHOES, category=CategoryFactory(slug="elsewhere"), name="다른 카테고리")
    black_260.price = 99_000
    black_260.save()
    response = client.get(category.get_absolute_url(), {"option": "사이즈:260", "max_price": 50_000})
    assert _names(response) == {"블랙 260 없음"}
    assert other.name not in _names(client.get(category.get_absolute_url(), {"option": "사이즈:260"}))


def test_a_parent_category_offers_its_leaves_options(client, shoes):
    category, *_ = shoes
    parent = CategoryFactory(slug="fashion")
    category.parent = parent
    category.save()
    response = client.get(parent.get_absolute_url(), {"option": "색상:화이트"})
    assert _names(response) == {"블랙 260 있음", "블랙 260 없음"}


def test_the_option_filters_speak_korean_and_english(client, shoes):
    category, *_ = shoes
    assert "지금 재고가 있는 옵션" in client.get(category.get_absolute_url()).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Options in stock now" in client.get(category.get_absolute_url()).content.decode()
