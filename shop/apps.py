from django.apps import AppConfig
from django.urls import register_converter


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Storefront"

    def ready(self):
        from . import lookups  # noqa: F401 (registers the bounded ``in`` lookup)
        from .inputs import IdConverter

        # Before any URLconf is loaded: the apps' urls.py write <id:...> for row ids.
        register_converter(IdConverter, "id")
