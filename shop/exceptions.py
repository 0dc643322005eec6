"""The store's one domain-error hierarchy: every app's exceptions extend ``DomainError``.

A domain error carries what a caller needs to answer it: a stable ``code`` (for the mobile app), a translated
``message`` (for the customer), ``details()`` (the data behind it, JSON-ready) and its ``http_status``, plus
``retry_after`` seconds when trying again later can help. One DRF handler (``shop.api.exceptions``) turns it into
the API's ``{"code", "message", "details"}`` and one page helper (``shop.errors``) into a message or an error
page; no app keeps a mapping of its own.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    message = _("The request could not be completed.")
    http_status = 400
    retry_after: int | None = None

    def details(self):
        return None

    def page_messages(self) -> list:
        """What a page shows for it: the message, or one line per thing that went wrong."""
        return [self.message]


class NotFound(DomainError):
    """Nothing by that id or number that this customer may see (someone else's is not told apart)."""

    code = "not_found"
    message = _("Not found.")
    http_status = 404


class RequestTooLarge(DomainError):
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: refused unread."""

    code = "request_too_large"
    message = _("The request body is too large.")
    http_status = 413
