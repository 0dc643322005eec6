from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import _add_email

        from .adapter import refuse_address_of_another_account
        from .api import schema  # noqa: F401  (registers the OpenAPI description of X-Session-Token)

        _add_email.connect(refuse_address_of_another_account, dispatch_uid="accounts.refuse_address_of_another_account")
