"""Product reviews by customers who received what they review, and each product's rating aggregate.

A review belongs to one order line (a line is reviewed once). ``ProductRating`` is the aggregate pages and
listings read: written only by ``reviews.services``, by deltas on its locked row, so concurrent reviews never
lose a count.
"""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

RATINGS = (1, 2, 3, 4, 5)
MAX_BODY_LENGTH = 2000


def review_photo_path(instance, filename):
    """``reviews/<128 random bits>/photo.<ext>``: unguessable, like product images."""
    extension = PurePosixPath(filename).suffix.lower() or ".bin"
    return f"reviews/{secrets.token_hex(16)}/photo{extension}"


class Review(models.Model):
    # String references: catalog and orders never import this app.
    product = models.ForeignKey("catalog.Product", related_name="reviews", on_delete=models.CASCADE)
    order_line = models.OneToOneField(
        "orders.OrderLine", verbose_name=_("order line"), related_name="review", on_delete=models.PROTECT
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="reviews", on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    body = models.TextField(_("review"), max_length=MAX_BODY_LENGTH)
    # Kept with the photos, so "photo reviews only" filters without a join.
    has_photos = models.BooleanField(_("with photos"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("hidden by"), null=True, blank=True,
        related_name="+", on_delete=models.SET_NULL,
    )  # fmt: skip
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_5")
        ]
        indexes = [
            models.Index(fields=["product", "is_hidden", "id"], name="review_product_newest"),
            models.Index(fields=["product", "is_hidden", "rating", "id"], name="review_product_rating"),
        ]

    def __str__(self):
        return f"{self.product_id} ★{self.rating}"


class ReviewPhoto(models.Model):
    """A review's photo, validated and re-encoded by ``catalog.images`` like a product image."""

    review = models.ForeignKey(Review, related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField(_("photo"), upload_to=review_photo_path, max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")
        ordering = ["position", "id"]

    def __str__(self):
        return self.image.name


class ProductRating(models.Model):
    """The visible reviews of a product, summed: count, total of stars, the average and each star's count."""

    product = models.OneToOneField("catalog.Product", primary_key=True, related_name="rating", on_delete=models.CASCADE)
    count = models.PositiveIntegerField(_("reviews"), default=0)
    total = models.PositiveIntegerField(default=0)
    # The average in hundredths of a star (4.37 is 437): an integer, so listings sort and page by it exactly.
    average = models.PositiveSmallIntegerField(_("average (1/100 star)"), default=0, db_index=True)
    count_1 = models.PositiveIntegerField(default=0)
    count_2 = models.PositiveIntegerField(default=0)
    count_3 = models.PositiveIntegerField(default=0)
    count_4 = models.PositiveIntegerField(default=0)
    count_5 = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("product rating")
        verbose_name_plural = _("product ratings")

    def __str__(self):
        return f"{self.product_id}: {self.average_stars} ({self.count})"

    @property
    def average_stars(self) -> float:
        return round(self.average / 100, 1)

    # A card's words, made here once rather than by two {% blocktranslate %} per card (a listing shows 24).
    @property
    def stars_label(self) -> str:
        return gettext("Rated %(stars)s out of 5") % {"stars": localize(self.average_stars)}

    @property
    def count_label(self) -> str:
        return ngettext("%(count)s review", "%(count)s reviews", self.count) % {"count": localize(self.count)}

    @property
    def distribution(self) -> list[dict]:
        """Five to one star: each with its count and its share of the reviews in percent."""
        return [
            {
                "rating": stars,
                "count": getattr(self, f"count_{stars}"),
                "percent": round(100 * getattr(self, f"count_{stars}") / self.count) if self.count else 0,
            }
            for stars in reversed(RATINGS)
        ]
