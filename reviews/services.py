"""Writing reviews: a delivered order line is reviewed once; staff hide and show reviews with a reason.

The product's aggregate (``ProductRating``) changes in the same transaction as the review, by deltas on its
row (``UPDATE ... SET count = count + 1``): the row lock queues concurrent reviews of one product, so no count is
lost, and the average is recomputed from the locked row's own sums.
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog import images
from orders.models import Order, OrderLine

from .exceptions import AlreadyReviewed, InvalidReview, ReviewNotAllowed
from .models import MAX_BODY_LENGTH, RATINGS, ProductRating, Review, ReviewPhoto

MAX_PHOTOS = 5


def _clean(*, rating, body: str, photos) -> tuple[int, str, list]:
    if type(rating) is not int or rating not in RATINGS:  # bool is an int in Python
        raise InvalidReview(_("Choose from 1 to 5 stars."), field="rating")
    body = (body or "").strip()
    if not body:
        raise InvalidReview(_("Write a few words about the product."), field="body")
    if len(body) > MAX_BODY_LENGTH:
        raise InvalidReview(_("At most %(max)d characters.") % {"max": MAX_BODY_LENGTH}, field="body")
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise InvalidReview(_("At most %(max)d photos.") % {"max": MAX_PHOTOS}, field="photos")
    cleaned = []
    for photo in photos:
        try:
            cleaned.append(photo if isinstance(photo, images.CleanImage) else images.clean_image(photo))
        except images.InvalidImage as exc:
            raise InvalidReview(exc.message, field="photos") from exc
    return rating, body, cleaned


def review_create(*, user, order_line_id: int, rating: int, body: str, photos=()) -> Review:
    """The customer reviews what one of their delivered order lines sold: 1-5 stars, text and up to five photos
    (checked by content like product images). ``ReviewNotAllowed`` for a line not theirs or not delivered,
    ``AlreadyReviewed`` for a line reviewed before, ``InvalidReview`` for bad input."""
    rating, body, photos = _clean(rating=rating, body=body, photos=photos)
    line = OrderLine.objects.select_related("order").filter(pk=order_line_id, order__user=user).first()
    if line is None or line.order.status != Order.Status.DELIVERED:
        raise ReviewNotAllowed()
    _rating_row_ensure(line.product_id)
    stored = []
    try:
        with transaction.atomic():
            _rating_row_lock(line.product_id)
            try:
                with transaction.atomic():
                    review = Review.objects.create(
                        product_id=line.product_id, order_line=line, user=user, rating=rating, body=body,
                        has_photos=bool(photos),
                    )  # fmt: skip
            except IntegrityError:
                raise AlreadyReviewed() from None
            for position, photo in enumerate(photos):
                saved = ReviewPhoto(review=review, width=photo.width, height=photo.height, position=position)
                saved.image.save(f"photo.{photo.extension}", ContentFile(photo.content), save=False)
                stored.append(saved.image)
                saved.save()
            _rating_change(product_id=line.product_id, rating=rating, sign=1)
    except BaseException:
        for image in stored:  # the rows were rolled back: nothing refers to these files
            image.storage.delete(image.name)
        raise
    return review


def review_hide(*, review: Review, reason: str, actor) -> Review:
    """Staff hide a review (a reason is required): it leaves the product page and the aggregate."""
    reason = reason.strip()
    if not reason:
        raise InvalidReview(_("Say why the review is hidden."), field="hidden_reason")
    with transaction.atomic():
        _rating_row_lock(review.product_id)
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if not locked.is_hidden:
            _rating_change(product_id=locked.product_id, rating=locked.rating, sign=-1)
        locked.is_hidden, locked.hidden_reason, locked.hidden_by = True, reason[:200], actor
        locked.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    return locked


def review_show(*, review: Review) -> Review:
    """Staff show a hidden review again; it counts in the aggregate again."""
    with transaction.atomic():
        _rating_row_lock(review.product_id)
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.is_hidden:
            _rating_change(product_id=locked.product_id, rating=locked.rating, sign=1)
        locked.is_hidden, locked.hidden_reason, locked.hidden_by = False, "", None
        locked.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    return locked


def _rating_row_ensure(product_id: int) -> None:
    """Make the product's aggregate row if it is missing, in a transaction of its own (so before the review's):
    inside the review's, INSERT IGNORE would hold a shared lock on the key that the later UPDATE must upgrade,
    and two first reviews upgrading at once deadlock."""
    if not ProductRating.objects.filter(pk=product_id).exists():
        ProductRating.objects.bulk_create([ProductRating(product_id=product_id)], ignore_conflicts=True)


def _rating_row_lock(product_id: int) -> None:
    """The first lock a review's transaction takes: the product's aggregate row, so reviews of one product queue
    here (and a review's foreign-key check on the product row, a shared lock, never waits in a cycle)."""
    list(ProductRating.objects.select_for_update().filter(pk=product_id).values_list("pk"))


def _rating_change(*, product_id: int, rating: int, sign: int) -> None:
    """Add (sign 1) or take away (-1) one review of ``rating`` stars on the aggregate's row, locked by the caller
    (``_rating_row_lock``); the average is recomputed from the row's own sums."""
    ProductRating.objects.filter(pk=product_id).update(
        count=F("count") + sign, total=F("total") + sign * rating, **{f"count_{rating}": F(f"count_{rating}") + sign}
    )
    count, total = ProductRating.objects.values_list("count", "total").get(pk=product_id)
    ProductRating.objects.filter(pk=product_id).update(average=round(total * 100 / count) if count else 0)
