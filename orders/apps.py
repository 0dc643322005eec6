from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .cart import cart_merge_at_log_in

        # Log-in is Django's flow (allauth, Kakao and the admin all end in auth.login), and this is its hook:
        # the visitor cart moves into the customer's there, once, instead of in whatever page renders next.
        user_logged_in.connect(cart_merge_at_log_in, dispatch_uid="orders.cart_merge_at_log_in")
