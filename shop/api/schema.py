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
