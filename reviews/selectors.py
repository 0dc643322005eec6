"""Reads of reviews: a product's visible reviews in pages, its aggregate, and what a customer may review."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderLine
from shop import cursors

from .models import ProductRating, Review, ReviewPhoto

# Review list orders: key -> ORDER BY (the id tiebreaker makes each total, so keyset pages never overlap).
REVIEW_SORTS = {
    "newest": ("-id",),
    "highest": ("-rating", "-id"),
    "lowest": ("rating", "-id"),
}
DEFAULT_REVIEW_SORT = "newest"


def review_sort_labels():
    return [("newest", _("Newest")), ("highest", _("Highest rated")), ("lowest", _("Lowest rated"))]


REVIEW_PAGE_SIZE = 10


@dataclass
class ReviewPage:
    reviews: list[Review]
    next_cursor: str | None


def product_rating(*, product) -> ProductRating:
    """The product's aggregate; an empty one (count 0) for a product nobody has reviewed."""
    return ProductRating.objects.filter(product=product).first() or ProductRating(product=product)


def review_page(
    *, product, sort: str = DEFAULT_REVIEW_SORT, photos_only: bool = False, after: str = "", limit=REVIEW_PAGE_SIZE
) -> ReviewPage:
    """A keyset page of the product's visible reviews with their photos and authors. ``after`` is the previous
    page's ``next_cursor`` (``shop.cursors``); ``InvalidCursor`` for one made for another product, sort or
    filter."""
    sort = sort if sort in REVIEW_SORTS else DEFAULT_REVIEW_SORT
    order = REVIEW_SORTS[sort]
    queryset = Review.objects.filter(product=product, is_hidden=False)
    if photos_only:
        queryset = queryset.filter(has_photos=True)
    queryset = (
        queryset.order_by(*order)
        .select_related("user", "order_line")
        .prefetch_related(Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "id")))
    )
    scope = f"reviews.{product.pk}.{sort}.{int(photos_only)}"
    columns = [name.lstrip("-") for name in order]
    if after:
        position = cursors.cursor_decode(after, scope=scope, types=(int,) * len(columns))
        queryset = queryset.filter(cursors.keyset_after(order, position))
    reviews = list(queryset[: limit + 1])
    next_cursor = None
    if len(reviews) > limit:
        reviews = reviews[:limit]
        next_cursor = cursors.cursor_encode(tuple(getattr(reviews[-1], c) for c in columns), scope=scope)
    return ReviewPage(reviews, next_cursor)


def reviewable_lines(*, user, product=None) -> list[OrderLine]:
    """The customer's delivered order lines not reviewed yet (of one product, if given), newest first."""
    if not user.is_authenticated:
        return []
    lines = OrderLine.objects.filter(order__user=user, order__status=Order.Status.DELIVERED, review__isnull=True)
    if product is not None:
        lines = lines.filter(product=product)
    return list(lines.select_related("order").order_by("-id")[:20])
