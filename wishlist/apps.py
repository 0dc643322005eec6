from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WishlistConfig(AppConfig):
    name = "wishlist"
    verbose_name = _("Wishlist and restock alerts")
