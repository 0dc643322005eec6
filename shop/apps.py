from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ShopConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "shop"
    verbose_name = "Storefront"


class StoreAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the store's admin site (shop.admin_site)."""

    default = False
    default_site = "shop.admin_site.StoreAdminSite"
