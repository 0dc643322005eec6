"""Reviews on the product page, in the API and in the admin; listings sorted by rating."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from catalog import selectors as catalog_selectors
from reviews.models import Review
from tests.factories import ProductFactory, UserFactory, png_bytes
from tests.reviews.conftest import deliver

pytestmark = pytest.mark.django_db


def test_the_product_page_shows_the_rating_the_distribution_and_reviews(client, make_review, reviewed_product):
    make_review(5, body="정말 좋아요")
    make_review(2, body="별로예요")

    page = client.get(reviewed_product.get_absolute_url()).content.decode()

    assert 'id="reviews"' in page and "정말 좋아요" in page and "별로예요" in page
    assert "<strong>3.5</strong>" in page
    assert page.count('class="bar"') == 5


def test_the_product_page_offers_a_review_to_whoever_received_it(client, user, delivered_line, reviewed_product):
    client.force_login(user)
    page = client.get(reviewed_product.get_absolute_url()).content.decode()
    assert reverse("reviews:write", args=[delivered_line.pk]) in page


def test_a_customer_writes_a_review_with_photos_on_the_page(client, user, delivered_line, reviewed_product):
    client.force_login(user)
    photos = [SimpleUploadedFile(f"{n}.png", png_bytes(), content_type="image/png") for n in range(2)]
    response = client.post(
        reverse("reviews:write", args=[delivered_line.pk]), {"rating": "4", "body": "색이 예뻐요", "photos": photos}
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.rating, review.photos.count()) == (4, 2)
    assert client.get(reverse("reviews:write", args=[delivered_line.pk])).status_code == 404


def test_the_write_page_of_another_customers_line_is_not_found(client, delivered_line):
    client.force_login(UserFactory())
    assert client.get(reverse("reviews:write", args=[delivered_line.pk])).status_code == 404


def test_the_api_lists_the_rating_and_pages_reviews(make_review, reviewed_product):
    for rating in (5, 4, 3):
        make_review(rating)
    api = APIClient()
    url = reverse("api:product-reviews", args=[reviewed_product.slug])

    first = api.get(url, {"sort": "lowest"}).json()
    assert first["rating"]["count"] == 3 and first["rating"]["average"] == 4.0
    assert [row["rating"] for row in first["rating"]["distribution"]] == [5, 4, 3, 2, 1]
    assert first["results"][0]["rating"] == 3 and first["results"][0]["author"].endswith("**")


def test_a_forged_review_cursor_is_a_400(reviewed_product):
    response = APIClient().get(reverse("api:product-reviews", args=[reviewed_product.slug]), {"after": "nope"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"


def test_a_customer_posts_a_review_through_the_api(user, delivered_line):
    api = APIClient()
    api.force_authenticate(user)
    photo = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")

    response = api.post(
        reverse("api:reviews"),
        {"order_line_id": delivered_line.pk, "rating": 5, "body": "최고", "photos": [photo]},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert len(response.json()["photos"]) == 1
    again = api.post(reverse("api:reviews"), {"order_line_id": delivered_line.pk, "rating": 5, "body": "또"})
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"


def test_the_api_refuses_a_review_of_a_line_not_delivered_with_403(user):
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(reverse("api:reviews"), {"order_line_id": 999999, "rating": 5, "body": "최고"})
    assert response.status_code == 403 and response.json()["code"] == "review_not_allowed"


def test_staff_hide_a_review_with_a_reason_in_the_admin(client, staff_user, make_review):
    review = make_review(1, body="광고 글")
    client.force_login(staff_user)
    url = reverse("admin:reviews_review_change", args=[review.pk])

    refused = client.post(url, {"hide": "on", "reason": ""})
    assert refused.status_code == 200 and not Review.objects.get(pk=review.pk).is_hidden

    client.post(url, {"hide": "on", "reason": "광고"})
    hidden = Review.objects.get(pk=review.pk)
    assert (hidden.is_hidden, hidden.hidden_reason, hidden.hidden_by) == (True, "광고", staff_user)


def test_listings_sort_by_rating_and_page_by_cursor(make_review, reviewed_product):
    make_review(5)
    other = ProductFactory(stock=10)
    deliver_user = UserFactory()
    from reviews import services

    services.review_create(user=deliver_user, order_line_id=deliver(deliver_user, other).pk, rating=3, body="보통")
    unrated = ProductFactory()

    first = catalog_selectors.product_page(sort="rating", limit=2)
    assert [p.pk for p in first.products] == [reviewed_product.pk, other.pk]
    rest = catalog_selectors.product_page(sort="rating", limit=2, after=first.next_cursor)
    assert unrated.pk in [p.pk for p in rest.products]


def test_cards_show_the_review_count(client, make_review, reviewed_product):
    make_review(4)
    make_review(5)
    page = client.get(reverse("catalog:category", args=[reviewed_product.category.slug]) + "?sort=rating")
    assert 'class="card-rating"' in page.content.decode()
    assert "★ 4.5" in page.content.decode()
