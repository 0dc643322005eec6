"""The OpenAPI schema's conventions for every app's API views."""

import inspect

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


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
        (its default applies), and the schema says so, so clients and fuzzers expect it."""
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return operation
