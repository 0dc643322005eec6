"""Writing and moderating reviews; the product's aggregate."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from orders import services as order_services
from reviews import selectors, services
from reviews.exceptions import AlreadyReviewed, InvalidReview, ReviewNotAllowed
from reviews.models import ProductRating, Review
from tests.factories import UserFactory, png_bytes
from tests.payments.conftest import HOME

pytestmark = pytest.mark.django_db


def _photo(name="p.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_a_customer_reviews_a_delivered_line_once(user, delivered_line):
    review = services.review_create(user=user, order_line_id=delivered_line.pk, rating=5, body=" 튼튼해요 ")

    assert (review.rating, review.body, review.product_id) == (5, "튼튼해요", delivered_line.product_id)
    with pytest.raises(AlreadyReviewed):
        services.review_create(user=user, order_line_id=delivered_line.pk, rating=4, body="또")


def test_a_line_not_yet_delivered_cannot_be_reviewed(user, reviewed_product):
    order = order_services.order_place(user=user, address=HOME, lines=[(reviewed_product.skus.get().id, 1)])
    order_services.order_mark_paid(order=order)

    with pytest.raises(ReviewNotAllowed):
        services.review_create(user=user, order_line_id=order.lines.get().pk, rating=5, body="좋아요")


def test_another_customers_line_cannot_be_reviewed(delivered_line):
    with pytest.raises(ReviewNotAllowed):
        services.review_create(user=UserFactory(), order_line_id=delivered_line.pk, rating=5, body="좋아요")


@pytest.mark.parametrize("rating", [0, 6, -1, "5", None, True])
def test_a_rating_outside_one_to_five_is_refused(user, delivered_line, rating):
    with pytest.raises(InvalidReview) as refused:
        services.review_create(user=user, order_line_id=delivered_line.pk, rating=rating, body="좋아요")
    assert refused.value.field == "rating"


def test_an_empty_review_is_refused(user, delivered_line):
    with pytest.raises(InvalidReview):
        services.review_create(user=user, order_line_id=delivered_line.pk, rating=3, body="   ")


def test_up_to_five_photos_are_kept_and_a_sixth_is_refused(user, delivered_line):
    with pytest.raises(InvalidReview) as refused:
        services.review_create(
            user=user, order_line_id=delivered_line.pk, rating=5, body="사진", photos=[_photo() for _ in range(6)]
        )
    assert refused.value.field == "photos"

    review = services.review_create(
        user=user, order_line_id=delivered_line.pk, rating=5, body="사진", photos=[_photo() for _ in range(5)]
    )
    assert review.has_photos and review.photos.count() == 5


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(user, delivered_line):
    fake = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    with pytest.raises(InvalidReview):
        services.review_create(user=user, order_line_id=delivered_line.pk, rating=5, body="사진", photos=[fake])
    assert not Review.objects.exists()


def test_photos_lose_their_metadata(user, delivered_line):
    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (20, 10), (200, 0, 0)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")

    review = services.review_create(user=user, order_line_id=delivered_line.pk, rating=4, body="사진", photos=[upload])

    with review.photos.get().image.open() as stored:
        assert not Image.open(stored).getexif()


def test_the_aggregate_has_count_average_and_distribution(make_review, reviewed_product):
    for rating in (5, 5, 4, 1):
        make_review(rating)

    rating = ProductRating.objects.get(product=reviewed_product)
    assert (rating.count, rating.total, rating.average, rating.average_stars) == (4, 15, 375, 3.8)
    assert [(row["rating"], row["count"]) for row in rating.distribution] == [(5, 2), (4, 1), (3, 0), (2, 0), (1, 1)]
    assert rating.distribution[0]["percent"] == 50


def test_hiding_a_review_takes_it_out_of_the_aggregate_and_showing_puts_it_back(make_review, staff_user):
    keep, hide = make_review(5), make_review(1)

    services.review_hide(review=hide, reason="욕설", actor=staff_user)
    services.review_hide(review=hide, reason="욕설", actor=staff_user)  # twice: counted once

    rating = selectors.product_rating(product=keep.product)
    assert (rating.count, rating.average) == (1, 500)
    assert [r.pk for r in selectors.review_page(product=keep.product).reviews] == [keep.pk]
    services.review_show(review=hide)
    assert selectors.product_rating(product=keep.product).count == 2


def test_hiding_needs_a_reason(make_review, staff_user):
    with pytest.raises(InvalidReview):
        services.review_hide(review=make_review(3), reason=" ", actor=staff_user)


def test_reviews_sort_newest_highest_lowest_and_filter_photo_reviews(make_review, reviewed_product):
    three, five, one = make_review(3), make_review(5, photos=[_photo()]), make_review(1)

    def ids(**kwargs):
        return [r.pk for r in selectors.review_page(product=reviewed_product, **kwargs).reviews]

    assert ids() == [one.pk, five.pk, three.pk]
    assert ids(sort="highest") == [five.pk, three.pk, one.pk]
    assert ids(sort="lowest") == [one.pk, three.pk, five.pk]
    assert ids(photos_only=True) == [five.pk]


def test_review_pages_follow_each_other_without_overlap(make_review, reviewed_product):
    made = [make_review(rating) for rating in (5, 4, 5, 3, 5)]
    seen, after = [], ""
    while True:
        page = selectors.review_page(product=reviewed_product, sort="highest", after=after, limit=2)
        seen += [review.pk for review in page.reviews]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert sorted(seen) == sorted(r.pk for r in made) and len(seen) == len(set(seen))
