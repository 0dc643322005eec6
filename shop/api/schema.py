"""The OpenAPI schema's conventions for every app's API views."""

import inspect
import re
from http import HTTPStatus

from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from shop.errors import CODES
from shop.exceptions import DomainError


class AutoSchema(SpectacularAutoSchema):
    """Tags each operation with its area, the app its view lives in (``SPECTACULAR_SETTINGS["TAGS"]`` describes
    them), unless the view names its own with ``extend_schema(tags=...)``."""

    def get_tags(self):
        return [self.view.__module__.split(".")[0]]

    def get_description(self):
        """The handler's own docstring, else the view class's own: never one inherited from a mixin (whose
        docstring describes the mixin, not the endpoint)."""
        handler = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        doc = getattr(handler, "__doc__", None) or self.view.__class__.__dict__.get("__doc__")
        return inspect.cleandoc(doc) if doc else ""

    def map_parsers(self):
        """Request bodies are documented as JSON, the API's format; DRF's form parsers stay for browsers and
        tests but are not part of the contract (a form's ``"0"`` for ``false`` is no JSON boolean)."""
        return [media_type for media_type in super().map_parsers() if media_type == "application/json"]

    def get_operation(self, *args, **kwargs):
        """Marks optional query parameters ``allowEmptyValue``: DRF reads ``?sort=`` as a parameter left out
        (its default applies), and the schema says so, so clients and fuzzers expect it. Gives every error
        response without examples one per code its description names (``code out_of_stock``), else the
        status's own code."""
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        for status, response in (operation or {}).get("responses", {}).items():
            content = response.get("content", {}).get("application/json")
            if str(status)[0] in "45" and content is not None and "examples" not in content:
                content["examples"] = error_examples(int(status), response.get("description", ""))
        return operation


def error_examples(status: int, description: str) -> dict:
    """Examples of the error body for ``status``: the codes ``description`` names, else the status's code."""
    named = _NAMED_CODE.findall(description)
    # Any 400 may be a validation error (code invalid, details per field).
    codes = list(dict.fromkeys((["invalid"] if status == 400 else []) + named)) or [CODES.get(status, "error")]
    messages = _domain_messages()
    examples = {}
    for code in codes:
        message = messages.get(code) or HTTPStatus(status).phrase
        examples[code] = {"value": {"code": code, "message": str(message), "details": None}}
    return examples


_NAMED_CODE = re.compile(r"\bcodes? ([a-z_]+)")


def _domain_messages() -> dict:
    """Each domain error's code and its English message (the first class to use a code gives it)."""
    messages, stack = {}, [DomainError]
    with translation.override("en"):
        while stack:
            kind = stack.pop(0)
            if isinstance(kind.__dict__.get("message"), Promise | str):
                messages.setdefault(kind.code, str(kind.message))
            stack.extend(kind.__subclasses__())
    return messages
