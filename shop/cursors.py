"""Opaque, signed cursors for keyset pagination: every list that pages by "after this row" uses these.

A cursor is the last row's sort key (e.g. ``(price, id)``), serialized and signed with ``SECRET_KEY`` under a
salt naming the list and its order (the *scope*). A client can hand a cursor back but can neither read it
meaningfully, forge one, nor carry one over to another list or sort: all of those are ``InvalidCursor``.
"""

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError

# Far above any real cursor (a name and an id sign to ~150 characters); longer input is refused unread.
MAX_CURSOR_LENGTH = 1024


class InvalidCursor(DomainError):
    """A cursor that was forged, tampered with, or made for another list: 400, on a page as in the API."""

    code = "invalid_cursor"
    message = _("This page link is invalid or has expired. Start again from the first page.")

    def details(self):
        return {"parameter": "after"}


def cursor_encode(position: tuple, *, scope: str) -> str:
    """The opaque cursor for a keyset position (the last row's sort key: ints and strings)."""
    return signing.dumps(list(position), salt=_salt(scope))


def cursor_decode(cursor: str, *, scope: str, types: tuple[type, ...]) -> tuple:
    """The position ``cursor_encode`` signed for this ``scope``, checked to be values of ``types``; raises
    ``InvalidCursor`` for anything else."""
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor
    try:
        position = signing.loads(cursor, salt=_salt(scope))
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidCursor from None
    if not isinstance(position, list) or len(position) != len(types):
        raise InvalidCursor
    # bool is an int in Python; a sort key never holds one.
    if any(type(value) is not kind for value, kind in zip(position, types, strict=True)):
        raise InvalidCursor
    return tuple(position)


def _salt(scope: str) -> str:
    return f"shop.cursors:{scope}"


def keyset_after(order: tuple[str, ...], position: tuple) -> Q:
    """The rows strictly after ``position`` in ``order`` (field names, "-" for descending): the filter a keyset
    page applies to the decoded cursor. The leading ``>=``/``<=`` on the first column repeats what the OR
    implies, so the database can read it as one index range."""
    beyond = None
    for depth, name in enumerate(order):
        column, descending = name.lstrip("-"), name.startswith("-")
        equal = {prior.lstrip("-"): value for prior, value in zip(order[:depth], position, strict=False)}
        term = Q(**equal, **{f"{column}__{'lt' if descending else 'gt'}": position[depth]})
        beyond = term if beyond is None else beyond | term
    first = order[0]
    return Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": position[0]}) & beyond
