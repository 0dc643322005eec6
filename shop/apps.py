from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "shop"
    verbose_name = _("Storefront")

    def ready(self):
        from . import (
            lookups,  # noqa: F401 (registers the bounded ``in`` lookup)
            task_signals,  # noqa: F401 (Celery task metrics and request ids: instrumentation only)
        )
        from .inputs import IdConverter

        # Before any URLconf is loaded: the apps' urls.py write <id:...> for row ids.
        register_converter(IdConverter, "id")


class StoreAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the store's admin site (shop.admin_site)."""

    default = False
    default_site = "shop.admin_site.StoreAdminSite"
