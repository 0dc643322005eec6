"""What can go wrong when writing a review."""

from django.utils.translation import gettext_lazy as _

from shop.exceptions import DomainError


class ReviewError(DomainError):
    code = "review_error"
    message = _("The review could not be saved.")
    http_status = 400


class ReviewNotAllowed(ReviewError):
    """Not the customer's order line, or not delivered yet."""

    code = "review_not_allowed"
    message = _("You can review a product once it has been delivered to you.")
    http_status = 403


class AlreadyReviewed(ReviewError):
    code = "already_reviewed"
    message = _("You have already reviewed this item.")
    http_status = 409


class InvalidReview(ReviewError):
    code = "invalid_review"

    def __init__(self, message, *, field: str):
        super().__init__(message, field)
        self.message, self.field = message, field

    def details(self):
        return {"field": self.field}
