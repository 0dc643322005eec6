"""A product card in every state it shows, in Korean and English, for a visitor and a customer.

The markup is pinned as the templates wrote it before the card's values moved into Python
(``shop/templatetags/product_cards.py``): the same bytes for every state.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reviews import services as review_services
from tests.factories import CategoryFactory, ProductFactory, UserFactory
from tests.reviews.conftest import deliver
from wishlist import services as wish_services

pytestmark = pytest.mark.django_db

BLANK = "    "  # the lines a card's template tags leave behind, spaces kept

ON_SALE_RATED_LOW_KO = """<article class="card">
  <a href="/products/on-sale/" class="card-link">
{blank}
    <div class="no-image" aria-hidden="true">세</div>
{blank}
    <h3 class="card-title">세일 노트북</h3>
  </a>
  <p class="price"><del class="regular-price">20,000원</del> <span class="sale-price">15,000원</span>
</p>
  <p class="card-rating"><span class="stars" aria-label="5점 만점에 4.5점">★ 4.5</span> <span class="muted">(리뷰 2개)</span></p>

  <span class="badge low">3개 남음</span>

  <a class="wish" href="/accounts/login/?next=/products/on-sale/" aria-label="로그인하고 찜하기">♡</a>

</article>"""

SOLD_OUT_ONE_REVIEW_WISHED_EN = """<article class="card is-sold-out">
  <a href="/products/sold-out/" class="card-link">
{blank}
    <div class="no-image" aria-hidden="true">&lt;</div>
{blank}
    <h3 class="card-title">&lt;b&gt; sold &amp; out</h3>
  </a>
  <p class="price">₩12,900
</p>
  <p class="card-rating"><span class="stars" aria-label="Rated 5.0 out of 5">★ 5.0</span> <span class="muted">(1 review)</span></p>

  <span class="badge sold-out">Sold out</span>

  <form method="post" action="/wishlist/{pk}/toggle/" class="wish-form"><input type="hidden" name="csrfmiddlewaretoken" value="X"><input type="hidden" name="next" value="/categories/laptops/?sort=price_asc"><button type="submit" class="wish wished" aria-pressed="true" aria-label="Remove from wish list">♥</button></form>

</article>"""


def _review(product, rating):
    customer = UserFactory()
    line = deliver(customer, product)
    review_services.review_create(user=customer, order_line_id=line.pk, rating=rating, body="좋아요")


def _cards(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url).content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="X"', page)
    return re.findall(r'<article class="card.*?</article>', page, re.S)


@pytest.fixture
def laptops(db):
    return CategoryFactory(name="노트북", slug="laptops")


def test_a_card_on_sale_rated_and_nearly_gone_reads_as_before(client, laptops):
    product = ProductFactory(
        category=laptops, name="세일 노트북", slug="on-sale", price=20000, sale_price=15000, stock=5
    )
    _review(product, 4)
    _review(product, 5)  # two sold: three left

    assert _cards(client, "/categories/laptops/", "ko") == [ON_SALE_RATED_LOW_KO.format(blank=BLANK)]


def test_a_sold_out_wished_card_reads_as_before_for_its_customer(client, laptops, user):
    product = ProductFactory(category=laptops, name="<b> sold & out", slug="sold-out", stock=1)
    _review(product, 5)  # its last unit
    wish_services.wish_add(user=user, product_id=product.pk)
    client.force_login(user)

    cards = _cards(client, "/categories/laptops/?sort=price_asc", "en")

    assert cards == [SOLD_OUT_ONE_REVIEW_WISHED_EN.format(blank=BLANK, pk=product.pk)]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ko", ["리뷰 3개", "5점 만점에 4.3점", "1개 남음", "15,000원", "로그인하고 찜하기"]),
        ("en", ["3 reviews", "Rated 4.3 out of 5", "Only 1 left", "₩15,000", "Log in to add to your wish list"]),
    ],
)
def test_a_card_speaks_the_visitors_language(client, laptops, language, words):
    product = ProductFactory(category=laptops, price=20000, sale_price=15000, stock=4)
    for rating in (4, 4, 5):
        _review(product, rating)

    (card,) = _cards(client, "/categories/laptops/", language)

    assert all(word in card for word in words), card


def test_a_card_shows_no_sale_or_rating_it_does_not_have(client, laptops):
    ProductFactory(category=laptops, price=20000, sale_price=15000, sale_ends_at=timezone.now() - timedelta(days=1))

    (card,) = _cards(client, "/categories/laptops/", "ko")

    assert '<p class="price">20,000원\n</p>' in card
    assert "card-rating" not in card and "badge" not in card


def test_a_visitor_logs_in_from_a_card_and_comes_back_to_its_product(client, laptops):
    product = ProductFactory(category=laptops, slug="한글-슬러그")

    (card,) = _cards(client, "/categories/laptops/", "ko")

    # The product's address is percent-encoded, and quoted once more as ``next``.
    login = reverse("account_login") + "?next=" + product.get_absolute_url().replace("%", "%25")
    assert f'href="{login}"' in card and f'href="{product.get_absolute_url()}"' in card
