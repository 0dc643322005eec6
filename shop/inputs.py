"""Strict parsers for what a request carries: one per kind of value, used by every URL, form, serializer and
JSON body of the site.

Python's ``int()`` and ``str.isdigit()`` (and so Django's and DRF's integer fields and ``\\d`` in a regex)
accept any Unicode digit: ``int("١٢٣")`` is 123 and ``"²".isdigit()`` is True but ``int("²")`` raises. Here a
number is ASCII digits only, and range-checked, so a huge id never reaches the database (SQLite raises
``OverflowError`` past 64 bits). Each parser raises ``InvalidInput``; the form and serializer fields below turn
that into a field error, and the URL converter into a 404.
"""

import json
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .exceptions import DomainError

# Row ids are 64-bit signed integers (BigAutoField) on every database the store runs on.
MAX_ID = 2**63 - 1
# The deepest JSON body any endpoint takes is 3 levels (an order: lines, then a line); this leaves room.
MAX_JSON_DEPTH = 32

_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


class InvalidInput(DomainError, ValueError):
    """A value from a request that is not what it must be; ``str()`` says why. Callers usually turn it into a
    field error; one that escapes is a 400 like any other domain error."""

    code = "invalid"

    @property
    def message(self):
        return str(self)


def parse_int(value, *, minimum: int, maximum: int) -> int:
    """An integer from ASCII digits (or a JSON integer), ``minimum <= n <= maximum``; no sign, no spaces."""
    if isinstance(value, bool):
        raise InvalidInput("not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and len(value) <= len(str(maximum)) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        raise InvalidInput("not a number")
    if not minimum <= number <= maximum:
        raise InvalidInput(f"not between {minimum} and {maximum}")
    return number


def parse_id(value) -> int:
    """A row id: 1 to ``MAX_ID``."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


def parse_quantity(value, *, minimum: int = 1) -> int:
    """A cart or order line's quantity: ``minimum`` (1, or 0 where 0 removes the line) to the line limit."""
    return parse_int(value, minimum=minimum, maximum=settings.CART_LINE_MAX_QUANTITY)


def parse_page(value) -> int:
    """A page number of a listing (1 and up; listings clamp the top themselves)."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


def parse_cursor(value: str, *, parts: int) -> tuple[int, ...]:
    """A keyset cursor of ``parts`` non-negative integers joined by dots (e.g. a search's "tier.id")."""
    pieces = value.split(".") if isinstance(value, str) else []
    if len(pieces) != parts:
        raise InvalidInput("not a cursor")
    return tuple(parse_int(piece, minimum=0, maximum=MAX_ID) for piece in pieces)


def parse_local_url(value, *, allowed_hosts) -> str:
    """A URL to send the visitor back to (a form's ``next``): a path on this site, never another site's URL nor
    a bare word (which ``redirect()`` would try to reverse as a view name)."""
    if not (isinstance(value, str) and value.startswith("/")):
        raise InvalidInput("not a path on this site")
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=allowed_hosts):
        raise InvalidInput("not a path on this site")
    return value


def parse_json(body: bytes | str, *, max_depth: int = MAX_JSON_DEPTH):
    """A JSON document nested at most ``max_depth`` arrays and objects deep.

    Python's parser recurses once per level, so ``[[[...`` a few kilobytes long raises ``RecursionError``;
    that and any deeper document than ``max_depth`` are refused like malformed JSON. NaN and Infinity are
    refused too (not JSON), and integers longer than Python's 4,300-digit limit raise ``ValueError``.
    """
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise InvalidInput(f"nested more than {max_depth} levels deep") from None
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InvalidInput(f"not valid JSON: {exc}") from None
    if _depth(document) > max_depth:
        raise InvalidInput(f"nested more than {max_depth} levels deep")
    return document


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON value")


def _depth(document) -> int:
    """How deeply arrays and objects nest (0 for a scalar), without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


# --- Validators of text fields ------------------------------------------------------------------------------
# ``re.ASCII``: without it ``\d`` matches ١٢٣٤٥ and １２３４５ too. Korean mobile numbers: 010-1234-5678 (hyphens
# optional); the older 011/016/017/018/019 prefixes too.
postal_code_validator = RegexValidator(r"^\d{5}$", _("Enter the 5-digit postal code."), flags=re.ASCII)
korean_mobile_validator = RegexValidator(
    r"^01[016789]-?\d{3,4}-?\d{4}$", _("Enter a Korean mobile number such as 010-1234-5678."), flags=re.ASCII
)


# --- Form and serializer fields -----------------------------------------------------------------------------
class IntegerField(forms.IntegerField):
    """Django's ``IntegerField`` through ``parse_int``: ASCII digits only, within its min and max values."""

    def __init__(self, *, min_value=0, max_value=MAX_ID, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_int(str(value).strip(), minimum=self.min_value, maximum=self.max_value)
        except InvalidInput:
            raise ValidationError(
                _("Enter a whole number from %(min)s to %(max)s."),
                code="invalid",
                params={"min": self.min_value, "max": self.max_value},
            ) from None


class IdFormField(IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class QuantityFormField(IntegerField):
    def __init__(self, *, min_value=1, **kwargs):
        super().__init__(min_value=min_value, max_value=settings.CART_LINE_MAX_QUANTITY, **kwargs)


class IntegerSerializerField(serializers.IntegerField):
    """DRF's ``IntegerField`` through ``parse_int``: a JSON integer or ASCII digits, within min and max."""

    default_error_messages = {"invalid": _("Enter a whole number from {min} to {max}.")}

    def __init__(self, *, min_value=0, max_value=MAX_ID, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_internal_value(self, data):
        try:
            return parse_int(data, minimum=self.min_value, maximum=self.max_value)
        except InvalidInput:
            self.fail("invalid", min=self.min_value, max=self.max_value)


class IdSerializerField(IntegerSerializerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class QuantitySerializerField(IntegerSerializerField):
    def __init__(self, *, min_value=1, **kwargs):
        super().__init__(min_value=min_value, max_value=settings.CART_LINE_MAX_QUANTITY, **kwargs)


class BooleanSerializerField(serializers.BooleanField):
    """A JSON body's ``true`` or ``false``. DRF's own also takes ``0``, ``1``, ``"yes"`` and ``"off"``, which the
    schema (type boolean) does not admit; a form's values are all strings, so a form keeps DRF's rules."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(getattr(self.root, "initial_data", None), QueryDict):
            return super().to_internal_value(data)
        self.fail("invalid", input=data)


# --- URL converter ------------------------------------------------------------------------------------------
class IdConverter:
    """``<id:name>`` in a URL: a row id (ASCII digits, at most ``MAX_ID``); anything else does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        try:
            return parse_id(value)
        except InvalidInput:
            raise ValueError(value) from None

    def to_url(self, value):
        return str(value)
